package dev.baserdb.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Audit entries as CSV rows (RFC 4180 quoting); {@code changes} is a JSON cell. */
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

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
