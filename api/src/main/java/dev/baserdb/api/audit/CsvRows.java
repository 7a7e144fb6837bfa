package dev.baserdb.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Audit entries as CSV rows (RFC 4180 quoting); {@code changes} is a JSON cell. A cell that a
 * spreadsheet would take for a formula — one starting with {@code = + - @}, tab or carriage
 * return, e.g. a User-Agent of {@code =HYPERLINK(...)} — is neutralised with a leading single quote,
 * as OWASP recommends for CSV injection.
 */
final class CsvRows {

    static final String HEADER = "id,sequence,occurred_at,organization_id,project_id,actor_type,actor_id,"
            + "impersonator_id,action,resource_type,resource_id,request_id,ip,user_agent,changes,prev_hash,hash";

    private CsvRows() {
    }

    static String row(AuditResponses.Entry e, ObjectMapper json) throws JsonProcessingException {
        return Stream.of(e.id(), Long.toString(e.sequence()), e.occurredAt().toString(), e.organizationId(),
                        e.projectId(), e.actor().type(), e.actor().id(), e.actor().impersonatorId(), e.action(),
                        e.resource().type(), e.resource().id(), e.requestId(), e.ip(), e.userAgent(),
                        json.writeValueAsString(e.changes()), e.prevHash(), e.hash())
                .map(CsvRows::cell)
                .collect(Collectors.joining(","));
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = startsLikeAFormula(value) ? "'" + value : value;
        boolean quote = safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r");
        return quote ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    private static boolean startsLikeAFormula(String value) {
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> true;
            default -> false;
        };
    }
}
