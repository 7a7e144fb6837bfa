package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.audit.AuditFilter;
import dev.baserdb.query.audit.AuditLog;
import dev.baserdb.query.audit.Verification;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail (API.md §10). Owners, admins and auditors of an organization (and tokens with
 * {@code audit:read}) read their organization's entries; platform admins read everything.
 */
@RestController
@RequestMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "audit")
class AuditController {

    private static final int MAX_LIMIT = 1000;

    private final AuditLog audit;
    private final Authorization authorization;
    private final AuditResponses responses;
    private final ObjectMapper json;

    AuditController(AuditLog audit, Authorization authorization, AuditResponses responses, ObjectMapper json) {
        this.audit = audit;
        this.authorization = authorization;
        this.responses = responses;
        this.json = json;
    }

    @Operation(summary = "Audit entries, newest first, with filters and cursor paging")
    @GetMapping("/events")
    ResponseEntity<Envelope> list(Principal principal,
                                  @RequestParam(name = "organization_id", required = false) String organizationId,
                                  @RequestParam(name = "project_id", required = false) String projectId,
                                  @RequestParam(name = "actor_id", required = false) String actorId,
                                  @RequestParam(required = false) String action,
                                  @RequestParam(name = "resource_type", required = false) String resourceType,
                                  @RequestParam(name = "resource_id", required = false) String resourceId,
                                  @RequestParam(required = false) String from,
                                  @RequestParam(required = false) String to,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) String cursor) {
        AuditFilter filter = authorizedFilter(principal, organizationId, projectId, actorId, action, resourceType,
                resourceId, from, to);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw BaserDbException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        List<AuditEntry> page = audit.list(filter, cursor(cursor), size + 1);
        boolean more = page.size() > size;
        List<AuditEntry> shown = more ? page.subList(0, size) : page;
        return ResponseEntity.ok(Envelope.success(shown.stream().map(responses::entry).toList())
                .paged(size, null, null, more, more ? Long.toString(shown.get(shown.size() - 1).sequence()) : null));
    }

    @Operation(summary = "One audit entry with its hash, prev_hash and the canonical JSON that was hashed")
    @GetMapping("/events/{id}")
    ResponseEntity<Envelope> get(Principal principal, @PathVariable String id) {
        AuditEntry entry = audit.find(id).orElseThrow(() -> BaserDbException.notFound("Audit entry"));
        if (!principal.isPlatformAdmin()) {
            if (entry.organizationId() == null) {
                throw BaserDbException.notFound("Audit entry");
            }
            authorization.require(principal, entry.organizationId(), Permission.READ_AUDIT);
        }
        return Envelope.ok(responses.withProof(entry));
    }

    @Operation(summary = "Recompute the hash chain over a period and report the first broken entry")
    @GetMapping("/verify")
    ResponseEntity<Envelope> verify(Principal principal,
                                    @RequestParam(name = "organization_id", required = false) String organizationId,
                                    @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to) {
        authorizedFilter(principal, organizationId, null, null, null, null, null, from, to);
        Verification result = audit.verify(organizationId, instant("from", from), instant("to", to));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("verified", result.verified());
        data.put("checked", result.checked());
        data.put("head_hash", result.headHash());
        data.put("first_broken_id", result.firstBrokenId());
        return Envelope.ok(data);
    }

    @Operation(summary = "Export audit entries as JSON lines or CSV, streamed oldest first")
    @GetMapping(path = "/export", produces = {"application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<StreamingResponseBody> export(Principal principal,
                                                 @RequestParam(defaultValue = "jsonl") String format,
                                                 @RequestParam(name = "organization_id", required = false) String organizationId,
                                                 @RequestParam(name = "project_id", required = false) String projectId,
                                                 @RequestParam(name = "actor_id", required = false) String actorId,
                                                 @RequestParam(required = false) String action,
                                                 @RequestParam(name = "resource_type", required = false) String resourceType,
                                                 @RequestParam(name = "resource_id", required = false) String resourceId,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        if (!format.equals("jsonl") && !format.equals("csv")) {
            throw BaserDbException.invalid("format", "must be jsonl or csv");
        }
        AuditFilter filter = authorizedFilter(principal, organizationId, projectId, actorId, action, resourceType,
                resourceId, from, to);
        boolean csv = format.equals("csv");
        StreamingResponseBody body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (csv) {
                writer.write(CsvRows.HEADER);
                writer.write('\n');
            }
            audit.stream(filter, entry -> {
                try {
                    AuditResponses.Entry shown = responses.entry(entry);
                    writer.write(csv ? CsvRows.row(shown, json) : json.writeValueAsString(shown));
                    writer.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"audit." + (csv ? "csv" : "jsonl") + "\"")
                .body(body);
    }

    /** Non-admins read one organization's entries, which they must be allowed to audit. */
    private AuditFilter authorizedFilter(Principal principal, String organizationId, String projectId, String actorId,
                                         String action, String resourceType, String resourceId, String from,
                                         String to) {
        if (!principal.isPlatformAdmin()) {
            if (organizationId == null) {
                throw BaserDbException.invalid("organization_id", "is required unless you are a platform admin");
            }
            authorization.require(principal, organizationId, Permission.READ_AUDIT);
        }
        return new AuditFilter(organizationId, projectId, actorId, action, resourceType, resourceId,
                instant("from", from), instant("to", to));
    }

    private static Instant instant(String name, String value) {
        try {
            return Responses.asOf(value);
        } catch (BaserDbException e) {
            throw BaserDbException.invalid(name, "must be an RFC 3339 instant");
        }
    }

    private static Long cursor(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw BaserDbException.invalid("cursor", "is not a cursor this API gave out");
        }
    }
}
