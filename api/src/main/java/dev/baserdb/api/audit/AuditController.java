package dev.baserdb.api.audit;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.baserdb.api.platform.openapi.Returns;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.audit.AuditCheckpoint;
import dev.baserdb.query.audit.AuditFilter;
import dev.baserdb.query.audit.AuditLog;
import dev.baserdb.query.audit.Verification;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
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

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final MediaType CSV = MediaType.parseMediaType("text/csv");

    private final AuditLog audit;
    private final AuditCheckpoints checkpoints;
    private final Authorization authorization;
    private final AuditResponses responses;
    private final ObjectMapper json;

    AuditController(AuditLog audit, AuditCheckpoints checkpoints, Authorization authorization,
                    AuditResponses responses, ObjectMapper json) {
        this.audit = audit;
        this.checkpoints = checkpoints;
        this.authorization = authorization;
        this.responses = responses;
        this.json = json;
    }

    @Operation(operationId = "listAuditEvents", summary = "Audit entries, newest first, with filters and cursor paging")
    @Returns(value = AuditResponses.Entry.class, list = true)
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

    @Operation(operationId = "getAuditEvent", summary = "One audit entry with its hash, prev_hash and the canonical JSON that was hashed")
    @Returns(value = AuditResponses.EntryWithProof.class)
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

    @Operation(operationId = "verifyAuditTrail", summary = "Check the audit trail over a period: the hash chain, every entry against its event, "
            + "completeness up to the processed position, and the latest signed checkpoint")
    @Returns(value = AuditSchemas.AuditVerification.class)
    @GetMapping("/verify")
    ResponseEntity<Envelope> verify(Principal principal,
                                    @RequestParam(name = "organization_id", required = false) String organizationId,
                                    @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to) {
        authorizedFilter(principal, organizationId, null, null, null, null, null, from, to);
        Verification result = audit.verify(organizationId, instant("from", from), instant("to", to));
        Map<String, Object> checkpoint = null;
        boolean checkpointHolds = true;
        if (result.checkpoint() != null) {
            AuditCheckpoint signed = result.checkpoint().checkpoint();
            boolean signatureValid = checkpoints.signatureValid(signed);
            checkpointHolds = signatureValid && result.checkpoint().matchesTrail();
            checkpoint = new LinkedHashMap<>();
            checkpoint.put("position", signed.position());
            checkpoint.put("count", signed.count());
            checkpoint.put("head_hash", signed.headHash());
            checkpoint.put("at", signed.at());
            checkpoint.put("signature_valid", signatureValid);
            checkpoint.put("matches_trail", result.checkpoint().matchesTrail());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("verified", result.verified() && checkpointHolds);
        data.put("checked", result.checked());
        data.put("head_hash", result.headHash());
        data.put("first_broken_id", result.firstBrokenId());
        data.put("position", result.position());
        data.put("missing", result.missing());
        data.put("missing_ids", result.missingIds());
        data.put("extra", result.extra());
        data.put("extra_ids", result.extraIds());
        data.put("checkpoint", checkpoint);
        return Envelope.ok(data);
    }

    @Operation(operationId = "listAuditCheckpoints", summary = "Signed checkpoints of the audit trail, newest first, with cursor paging; each signature is "
            + "a JWS (EdDSA) over the canonical JSON of {position, count, head_hash, at}, verifiable with the JWKS")
    @Returns(value = AuditSchemas.SignedCheckpoint.class, list = true)
    @GetMapping("/checkpoints")
    ResponseEntity<Envelope> checkpoints(Principal principal,
                                         @RequestParam(name = "organization_id", required = false) String organizationId,
                                         @RequestParam(required = false) Integer limit,
                                         @RequestParam(required = false) String cursor) {
        authorizedFilter(principal, organizationId, null, null, null, null, null, null, null);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw BaserDbException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        List<AuditCheckpoint> page = audit.checkpoints(cursor(cursor), size + 1);
        boolean more = page.size() > size;
        List<AuditCheckpoint> shown = more ? page.subList(0, size) : page;
        return ResponseEntity.ok(Envelope.success(shown.stream().map(AuditController::checkpoint).toList())
                .paged(size, null, null, more, more ? Long.toString(shown.get(shown.size() - 1).id()) : null));
    }

    @Operation(operationId = "exportAuditEvents", summary = "Export audit entries as JSON lines or CSV, streamed oldest first; `format` (jsonl or csv) "
            + "or else the Accept header (text/csv, application/x-ndjson) chooses")
    @ApiResponse(responseCode = "200", description = "One audit entry per line (JSON lines), or CSV with a header row",
            content = {@Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string",
                    description = "One AuditEntry as JSON per line")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string"))})
    @GetMapping(path = "/export", produces = {"application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<StreamingResponseBody> export(Principal principal,
                                                 @Parameter(schema = @Schema(allowableValues = {"jsonl", "csv"}))
                                                 @RequestParam(required = false) String format,
                                                 @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
                                                 @RequestParam(name = "organization_id", required = false) String organizationId,
                                                 @RequestParam(name = "project_id", required = false) String projectId,
                                                 @RequestParam(name = "actor_id", required = false) String actorId,
                                                 @RequestParam(required = false) String action,
                                                 @RequestParam(name = "resource_type", required = false) String resourceType,
                                                 @RequestParam(name = "resource_id", required = false) String resourceId,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        boolean csv = csv(format, accept);
        AuditFilter filter = authorizedFilter(principal, organizationId, projectId, actorId, action, resourceType,
                resourceId, from, to);
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

    /**
     * CSV or JSON lines: an explicit {@code format} decides; without it the most preferred type of
     * the Accept header that this route serves does ({@code text/csv}, or JSON lines for
     * {@code application/x-ndjson}, {@code application/json} and wildcards).
     */
    private static boolean csv(String format, String accept) {
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "jsonl", "ndjson" -> false;
                default -> throw BaserDbException.invalid("format", "must be jsonl or csv");
            };
        }
        List<MediaType> accepted;
        try {
            accepted = accept == null || accept.isBlank() ? List.of() : MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            accepted = List.of();
        }
        for (MediaType type : accepted.stream()
                .sorted(Comparator.comparingDouble(MediaType::getQualityValue).reversed()).toList()) {
            if (type.getQualityValue() == 0) {
                continue;
            }
            if (!type.isWildcardType() && CSV.isCompatibleWith(type)) {
                return true;
            }
            if (NDJSON.isCompatibleWith(type) || MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
                return false;
            }
        }
        return false;
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

    private static Map<String, Object> checkpoint(AuditCheckpoint checkpoint) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", checkpoint.id());
        shown.put("position", checkpoint.position());
        shown.put("count", checkpoint.count());
        shown.put("head_hash", checkpoint.headHash());
        shown.put("at", checkpoint.at());
        shown.put("kid", checkpoint.kid());
        shown.put("signature", checkpoint.signature());
        return shown;
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
