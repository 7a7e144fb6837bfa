package dev.baserdb.api.data;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Request and result bodies of the data API as the OpenAPI document shows them. Rows are the
 * table's own columns, so the handlers read and write JSON trees; these records describe those
 * trees (rows themselves are the contract's free-form {@code Row} and {@code RowValues}).
 */
final class DataSchemas {

    private DataSchemas() {
    }

    @Schema(description = "Up to 500 rows inserted all or none (a bare JSON array of rows is accepted too)")
    record RowBatch(@ArraySchema(minItems = 1, maxItems = 500, schema = @Schema(ref = "#/components/schemas/RowValues"))
                    List<Map<String, Object>> rows) {
    }

    record InsertedRows(int inserted, @ArraySchema(schema = @Schema(ref = "#/components/schemas/Row"))
                        List<Map<String, Object>> rows) {
    }

    @Schema(description = "What a transaction operation does", allowableValues = {"insert", "update", "delete", "restore"})
    enum RowOperationKind { insert, update, delete, restore }

    @Schema(description = "One operation of a transaction")
    record RowOperation(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) RowOperationKind op,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "table, or group.table")
                        String table,
                        @Schema(description = "The row (UUID): required for update, delete and restore; optional "
                                + "for insert") String id,
                        @Schema(ref = "#/components/schemas/RowValues") Map<String, Object> values) {
    }

    @Schema(description = "Up to 100 operations on the project's tables, applied all or none (a bare JSON array of "
            + "operations is accepted too)")
    record RowTransaction(@ArraySchema(minItems = 1, maxItems = 100) List<RowOperation> operations) {
    }

    record TransactionStep(RowOperationKind op, String table, String id) {
    }

    record TransactionResult(int applied, List<TransactionStep> results) {
    }

    record RowCount(long count) {
    }

    record DeletedRow(String id, boolean deleted) {
    }

    @Schema(description = "One aggregate value: `value`, and the group_by column's value when grouped",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record AggregateValue(@Schema(description = "The aggregate (a number, or a value of the column for min and max)") com.fasterxml.jackson.databind.JsonNode value) {
    }

    record RowVersionActor(String type, String id) {
    }

    @Schema(description = "One version of a row")
    record RowVersion(long version, String operation, Instant validFrom, Instant validTo, String eventId,
                      RowVersionActor actor, @Schema(ref = "#/components/schemas/Row") Map<String, Object> values) {
    }

    @Schema(description = "The identifier column's value by its name, and the password",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
            example = "{\"email\": \"ada@example.com\", \"password\": \"correct horse battery\"}")
    record RowCredentials(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String password) {
    }

    @Schema(description = "A project-user token (role authenticated, sub = the row id) and the signed-in row")
    record RowSession(String token, String tokenType, long expiresIn,
                      @Schema(ref = "#/components/schemas/Row") Map<String, Object> row) {
    }
}
