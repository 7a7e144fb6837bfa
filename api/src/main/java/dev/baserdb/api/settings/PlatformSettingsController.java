package dev.baserdb.api.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.mail.MailConfiguration;
import dev.baserdb.api.platform.mail.MailProperties;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.RequestParam;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.settings.PlatformSettingsCommands;
import dev.baserdb.kernel.settings.PlatformSettingsEvents.PlatformSettingsChanged;
import dev.baserdb.kernel.settings.PlatformSettingsValues;
import dev.baserdb.query.history.HistoryEntry;
import dev.baserdb.query.history.ResourceHistory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Platform settings (API.md §14), for platform admins: read, change (PATCH: the fields given),
 * history (every change with its actor), export (the settings JSON) and import (the same JSON,
 * recorded as one change event).
 */
@RestController
@RequestMapping(path = "/api/v1/admin/settings", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin")
class PlatformSettingsController {

    private static final Set<String> FIELDS = Set.of("maintenance_mode", "registration_open", "single_session_mode",
            "lockout_max_attempts", "lockout_duration_ms", "email_provider", "email_from", "app_name", "app_url");

    private final PlatformSettingsService settings;
    private final ResourceHistory history;
    private final MailProperties mail;

    PlatformSettingsController(PlatformSettingsService settings, ResourceHistory history, MailProperties mail) {
        this.settings = settings;
        this.history = history;
        this.mail = mail;
    }

    /**
     * One change: when, by whom, what changed from what to what. The actor has the shape of every
     * history's; its impersonator_id stays null here, as impersonation tokens cannot reach admin routes.
     */
    record SettingsHistoryEntry(Instant at, HistoryResponses.Actor actor, String source,
                                Map<String, PlatformSettingsValues.SettingChange> changes) {
    }

    @Operation(operationId = "getPlatformSettings",
            summary = "The platform settings in force (ETag: the settings version), or as they were at ?as_of=")
    @GetMapping
    ResponseEntity<Envelope> getPlatformSettings(Principal principal, HttpServletRequest request,
                                                 @RequestParam(name = "as_of", required = false) String asOf) {
        requireAdmin(principal);
        Instant at = Responses.asOf(asOf);
        List<HistoryEntry> changes = history.of(PlatformSettingsCommands.ID).stream()
                .filter(entry -> at == null || !entry.occurredAt().isAfter(at))
                .toList();
        if (changes.isEmpty()) {
            // Before the first change the configuration's values held.
            return Responses.resource(request, 0, at, at == null ? settings.current().asMap() : settings.initial().asMap());
        }
        HistoryEntry last = changes.get(changes.size() - 1);
        PlatformSettingsValues values = at == null ? settings.current()
                : ((PlatformSettingsChanged) last.payload()).settings();
        return Responses.resource(request, last.sequence() + 1, at, values.asMap());
    }

    @Operation(operationId = "updatePlatformSettings",
            summary = "Change some settings (If-Match: the version read); they hold from the next request")
    @PatchMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> updatePlatformSettings(Principal principal, HttpServletRequest request,
                                                    @RequestBody JsonNode body) {
        requireAdmin(principal);
        Responses.ifMatch(request, version());
        return Envelope.ok(settings.change(merge(settings.current(), body, false), "update").asMap());
    }

    /** The settings' version as the ETag shows it: how many changes there were (0 before the first). */
    private long version() {
        List<HistoryEntry> changes = history.of(PlatformSettingsCommands.ID);
        return changes.isEmpty() ? 0 : changes.get(changes.size() - 1).sequence() + 1;
    }

    @Operation(operationId = "listPlatformSettingsHistory", summary = "Every change of the settings with its actor")
    @GetMapping("/history")
    ResponseEntity<Envelope> listPlatformSettingsHistory(Principal principal) {
        requireAdmin(principal);
        List<SettingsHistoryEntry> entries = history.of(PlatformSettingsCommands.ID).stream()
                .filter(entry -> entry.payload() instanceof PlatformSettingsChanged)
                .map(PlatformSettingsController::entry)
                .toList();
        return Envelope.list(entries);
    }

    @Operation(operationId = "exportPlatformSettings", summary = "The settings as JSON, for import elsewhere")
    @GetMapping("/export")
    ResponseEntity<Envelope> exportPlatformSettings(Principal principal) {
        requireAdmin(principal);
        return Envelope.ok(settings.current().asMap());
    }

    @Operation(operationId = "importPlatformSettings", summary = "Set every setting from an export; recorded as one change")
    @PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> importPlatformSettings(Principal principal, @RequestBody JsonNode body) {
        requireAdmin(principal);
        return Envelope.ok(settings.change(merge(settings.current(), body, true), "import").asMap());
    }

    private static SettingsHistoryEntry entry(HistoryEntry entry) {
        PlatformSettingsChanged event = (PlatformSettingsChanged) entry.payload();
        return new SettingsHistoryEntry(entry.occurredAt(), HistoryResponses.Actor.of(entry),
                event.source(), event.changes());
    }

    /**
     * The settings with the body's fields applied. Unknown fields, wrong types and bad values are
     * 400 with a detail per field; an import must name every field.
     */
    private PlatformSettingsValues merge(PlatformSettingsValues current, JsonNode body, boolean complete) {
        if (!(body instanceof ObjectNode object)) {
            throw new BaserDbException(dev.baserdb.kernel.error.ErrorCode.BAD_REQUEST, "The body must be a JSON object");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.put(name, "is not a setting");
            }
        }
        if (complete) {
            FIELDS.stream().filter(field -> !object.has(field)).forEach(field -> problems.put(field, "is required"));
        }
        boolean maintenance = bool(object, "maintenance_mode", current.maintenanceMode(), problems);
        boolean registration = bool(object, "registration_open", current.registrationOpen(), problems);
        boolean singleSession = bool(object, "single_session_mode", current.singleSessionMode(), problems);
        long attempts = number(object, "lockout_max_attempts", current.lockoutMaxAttempts(), 1, 1000, problems);
        long duration = number(object, "lockout_duration_ms", current.lockoutDurationMs(), 1000, 7L * 24 * 3600 * 1000,
                problems);
        String provider = text(object, "email_provider", current.emailProvider(), 16, problems);
        if (provider != null && !provider.equals("console") && !provider.equals("smtp")) {
            problems.put("email_provider", "must be console or smtp");
        } else if ("smtp".equals(provider) && !MailConfiguration.smtpConfigured(mail)) {
            problems.put("email_provider", "smtp needs an SMTP server in the configuration (BASERDB_SMTP_HOST)");
        }
        String from = text(object, "email_from", current.emailFrom(), 254, problems);
        if (from != null && !from.matches("^[^@\\s<>\"]+@[^@\\s<>\"]+$")) {
            problems.put("email_from", "must be an email address");
        }
        String appName = text(object, "app_name", current.appName(), 100, problems);
        if (appName != null && appName.isBlank()) {
            problems.put("app_name", "must not be blank");
        }
        String appUrl = text(object, "app_url", current.appUrl(), 2048, problems);
        if (appUrl != null && !httpUrl(appUrl)) {
            problems.put("app_url", "must be an http or https URL");
        }
        if (!problems.isEmpty()) {
            throw new BaserDbException(dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED,
                    "Some settings are invalid", problems);
        }
        return new PlatformSettingsValues(maintenance, registration, singleSession, (int) attempts, duration,
                provider, from, appName, appUrl);
    }

    private static boolean bool(ObjectNode body, String field, boolean current, Map<String, String> problems) {
        if (!body.has(field)) {
            return current;
        }
        if (!body.get(field).isBoolean()) {
            problems.put(field, "must be true or false");
            return current;
        }
        return body.get(field).booleanValue();
    }

    private static long number(ObjectNode body, String field, long current, long min, long max,
                               Map<String, String> problems) {
        if (!body.has(field)) {
            return current;
        }
        JsonNode value = body.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            problems.put(field, "must be a whole number from " + min + " to " + max);
            return current;
        }
        return value.longValue();
    }

    private static String text(ObjectNode body, String field, String current, int maxLength,
                               Map<String, String> problems) {
        if (!body.has(field)) {
            return current;
        }
        JsonNode value = body.get(field);
        if (!value.isTextual() || value.textValue().length() > maxLength) {
            problems.put(field, "must be a string of at most " + maxLength + " characters");
            return current;
        }
        return value.textValue().trim();
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static void requireAdmin(Principal principal) {
        if (!principal.isPlatformAdmin() || principal.isImpersonated()) {
            throw BaserDbException.forbidden("Only platform admins manage the platform");
        }
    }
}
