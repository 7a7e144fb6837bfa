package dev.baserdb.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.table.ConstraintGrammar;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.SystemColumns;
import dev.baserdb.query.data.RoleSessions;
import dev.baserdb.kernel.data.DataTable;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.jooq.impl.DSL.name;

/**
 * Reads the three shapes of {@code PUT /tables/{id}/policies} (API.md §6) and checks every
 * {@code constraint_sql} against the grammar of §6 and the table's column types. What is stored is
 * the normalised rendering of the checked tree; the data plane compiles it again when it creates
 * the PostgreSQL policy.
 */
@Component
class PolicySpecs {

    static final Set<String> ROLES = Set.of("anon", "authenticated");
    static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE");

    /** The policies to set, and the roles whose other policies go (the "allow" shape replaces a role). */
    record Change(List<Policy> policies, List<String> replaceRoles) {
    }

    private final RoleSessions sessions;

    PolicySpecs(RoleSessions sessions) {
        this.sessions = sessions;
    }

    Change read(JsonNode body, DataTable table) {
        if (body == null || !(body.isArray() || body.isObject())) {
            throw BaserDbException.invalid("body", "must be a policy object or an array of them");
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else {
            items.add(body);
        }
        if (items.isEmpty() || items.size() > 8) {
            throw BaserDbException.invalid("body", "must hold 1 to 8 policies");
        }
        List<Policy> policies = new ArrayList<>();
        Set<String> replaceRoles = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = body.isArray() ? "[" + i + "]." : "";
            String role = text(item, "api_role", at);
            if (!ROLES.contains(role)) {
                throw BaserDbException.invalid(at + "api_role", "must be anon or authenticated");
            }
            if (item.has("allow")) {
                JsonNode allow = item.get("allow");
                if (!allow.isArray()) {
                    throw BaserDbException.invalid(at + "allow", "must be an array of operations");
                }
                replaceRoles.add(role);
                for (JsonNode operation : allow) {
                    policies.add(new Policy(Ids.newId("pol"), role, operation(operation.asText(), at + "allow"),
                            true, null));
                }
            } else {
                String operation = operation(text(item, "operation", at), at + "operation");
                JsonNode allowed = item.path("allowed");
                if (!allowed.isBoolean()) {
                    throw BaserDbException.invalid(at + "allowed", "must be true or false");
                }
                JsonNode constraint = item.path("constraint_sql");
                String sql = null;
                if (!constraint.isMissingNode() && !constraint.isNull()) {
                    if (!constraint.isTextual()) {
                        throw BaserDbException.invalid(at + "constraint_sql", "must be a string");
                    }
                    sql = constraint(constraint.asText(), table, at + "constraint_sql");
                }
                policies.add(new Policy(Ids.newId("pol"), role, operation, allowed.booleanValue(), sql));
            }
        }
        return new Change(policies, List.copyOf(replaceRoles));
    }

    /**
     * The checked, normalised SQL of a constraint: it must be of the grammar of API.md §6
     * ({@link ConstraintGrammar}), and PostgreSQL must accept it as a condition over this table
     * (types), asked in an authenticator session under the project's anon role, with a timeout. The
     * refusal names the offending part; PostgreSQL's own message is never passed on, since it can
     * quote values.
     */
    String constraint(String sql, DataTable table, String field) {
        Set<String> columns = new HashSet<>(SystemColumns.ROW);
        columns.addAll(table.columnTypes().keySet());
        ConstraintGrammar.Compiled compiled;
        try {
            compiled = ConstraintGrammar.compile(sql, columns);
        } catch (ConstraintGrammar.Refused refused) {
            throw BaserDbException.invalid(field, refused.getMessage());
        }
        try {
            sessions.read(table.projectId(), new dev.baserdb.kernel.data.DataCaller("anon", null), db -> db.execute("EXPLAIN SELECT 1 FROM "
                    + db.render(name(table.schema(), table.name())) + " WHERE (" + compiled.postgres() + ")"));
        } catch (RuntimeException e) {
            SQLException cause = findSql(e);
            throw BaserDbException.invalid(field, "PostgreSQL does not accept it over this table: "
                    + reason(cause == null ? null : cause.getSQLState()));
        }
        return compiled.normalized();
    }

    /** A fixed description per SQLSTATE: never PostgreSQL's message, which can quote values. */
    private static String reason(String sqlState) {
        if (sqlState == null) {
            return "it cannot be checked";
        }
        return switch (sqlState) {
            case "42883" -> "an operator or function does not apply to these types";
            case "42804", "42846" -> "the types do not match (a cast may help)";
            case "22P02", "22007", "22008", "22003" -> "a literal is not valid for its type";
            case "42703" -> "it names an unknown column";
            case "42725" -> "an operator or function is ambiguous for these types (add a cast)";
            case "57014" -> "checking it took too long";
            default -> "it is not a valid condition here (SQLSTATE " + sqlState + ")";
        };
    }

    private static SQLException findSql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String operation(String value, String field) {
        String operation = value == null ? "" : value.toUpperCase();
        if (!OPERATIONS.contains(operation)) {
            throw BaserDbException.invalid(field, "operations are SELECT, INSERT, UPDATE, DELETE");
        }
        return operation;
    }

    private static String text(JsonNode item, String name, String at) {
        JsonNode value = item.path(name);
        if (!value.isTextual()) {
            throw BaserDbException.invalid(at + name, "is required and must be a string");
        }
        return value.asText();
    }
}
