package dev.baserdb.api.table;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The request bodies of the table routes as the OpenAPI document shows them. The handlers read the
 * JSON themselves ({@link ColumnSpecs}, {@link PolicySpecs}) to name every faulty field in one 400, so
 * these records only describe it; the generated-client walkthrough test sends them for real.
 */
final class TableSchemas {

    static final String COLUMN_TYPE = "^(?i)(INT|BIGINT|VARCHAR\\([0-9]+\\)|TEXT|BOOLEAN|DECIMAL\\([0-9]+,\\s*[0-9]+\\)|"
            + "FLOAT|DATE|TIMESTAMP|TIMESTAMPTZ|UUID|JSON|PASSWORD)$";

    private TableSchemas() {
    }

    @Schema(description = "A table to create in a project's group (public when group_id is absent)")
    record NewTable(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "prj_…") String projectId,
                    String groupId,
                    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^[a-zA-Z_][a-zA-Z0-9_]{0,62}$",
                            example = "products") String name,
                    @ArraySchema(minItems = 0, maxItems = 1000) List<NewColumn> columns) {
    }

    @Schema(description = "A column; every table also has id (UUID), created_at and updated_at")
    record NewColumn(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^[a-zA-Z_][a-zA-Z0-9_]{0,62}$",
                             example = "price") String name,
                     @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = COLUMN_TYPE,
                             description = "Case-insensitive: INT BIGINT VARCHAR(n) TEXT BOOLEAN DECIMAL(p,s) FLOAT "
                                     + "DATE TIMESTAMP TIMESTAMPTZ UUID JSON PASSWORD. PASSWORD values are hashed "
                                     + "and always read back as null.", example = "DECIMAL(10,2)") String type,
                     @Schema(description = "Default true") Boolean nullable,
                      @Schema(name = "default", description = "A value of the column's type (PASSWORD takes none)")
                     com.fasterxml.jackson.databind.JsonNode defaultValue,
                     @Schema(description = "Default false") Boolean unique) {
    }

    @Schema(description = "An index over one or more columns")
    record NewIndex(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> columns,
                    @Schema(description = "Unique among rows that are not deleted; default false") Boolean unique,
                    @Schema(description = "Default derived from the columns") String name) {
    }

    @Schema(description = "An index of a table")
    record TableIndex(String name, List<String> columns, boolean unique) {
    }

    @Schema(description = "The API roles a policy applies to: anon (no credentials) or authenticated (a project-user "
            + "token from the data login)", allowableValues = {"anon", "authenticated"})
    enum ApiRole { anon, authenticated }

    @Schema(description = "The operations a policy decides", allowableValues = {"SELECT", "INSERT", "UPDATE", "DELETE"})
    enum PolicyOperation { SELECT, INSERT, UPDATE, DELETE }

    @Schema(description = "Shape 1: replaces every policy of the role with one allowing exactly these operations")
    record PolicyGrant(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) ApiRole apiRole,
                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<PolicyOperation> allow) {
    }

    @Schema(description = "Shapes 2 and 3: one operation of one role, optionally only for rows where constraint_sql "
            + "holds (docs/policies.md gives its grammar)")
    record PolicyRule(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) ApiRole apiRole,
                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) PolicyOperation operation,
                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Boolean allowed,
                      @Schema(example = "owner_id = :current_user_id") String constraintSql) {
    }

    @Schema(description = "One of the three shapes: a list of grants, a list of rules, or one rule",
            oneOf = {PolicyGrantList.class, PolicyRuleList.class, PolicyRule.class})
    interface PolicyChange {
    }

    @ArraySchema(schema = @Schema(implementation = PolicyGrant.class))
    interface PolicyGrantList {
    }

    @ArraySchema(schema = @Schema(implementation = PolicyRule.class))
    interface PolicyRuleList {
    }
}
