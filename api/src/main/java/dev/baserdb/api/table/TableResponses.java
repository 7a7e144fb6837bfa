package dev.baserdb.api.table;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.data.DataTable;

import java.time.Instant;
import java.util.List;

/** Response bodies of the managed-table routes (API.md §6). */
final class TableResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TableResponses() {
    }

    @Schema(name = "Column")
    record ColumnResponse(String name, String type, boolean nullable,
                          @Schema(description = "The default, a value of the column's type") JsonNode defaultValue, boolean unique,
                          boolean system) {

        static ColumnResponse of(Column column) {
            return new ColumnResponse(column.name(), column.type(), column.nullable(), parse(column.defaultValue()),
                    column.unique(), false);
        }
    }

    @Schema(name = "Policy")
    record PolicyResponse(String id, @Schema(allowableValues = {"anon", "authenticated"}) String apiRole,
                          @Schema(allowableValues = {"SELECT", "INSERT", "UPDATE", "DELETE"}) String operation,
                          boolean allowed, String constraintSql) {

        static PolicyResponse of(Policy policy) {
            String sql = policy.constraintSql() == null ? null
                    : policy.constraintSql().replace("\"baserdb_current_user_id\"()", ":current_user_id");
            return new PolicyResponse(policy.policyId(), policy.apiRole(), policy.operation(), policy.allowed(), sql);
        }
    }

    record Table(String id, String projectId, String organizationId, String groupId, String name,
                 List<ColumnResponse> columns,
                 @ArraySchema(schema = @Schema(implementation = TableSchemas.TableIndex.class)) JsonNode indexes, List<PolicyResponse> policies, Instant createdAt,
                 Instant updatedAt) {

        static Table of(DataTable view) {
            List<ColumnResponse> columns = new java.util.ArrayList<>(List.of(
                    new ColumnResponse("id", "UUID", false, null, true, true),
                    new ColumnResponse("created_at", "TIMESTAMPTZ", false, null, false, true),
                    new ColumnResponse("updated_at", "TIMESTAMPTZ", false, null, false, true)));
            view.columns().forEach(column -> columns.add(ColumnResponse.of(column)));
            return new Table(view.id(), view.projectId(), view.organizationId(), view.groupId(), view.name(),
                    columns, view.indexes(), view.policies().stream().map(PolicyResponse::of).toList(),
                    view.createdAt(), view.updatedAt());
        }
    }

    record PoliciesUpdated(int updated, List<PolicyResponse> policies) {
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
