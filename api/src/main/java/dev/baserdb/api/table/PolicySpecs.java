package dev.baserdb.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.query.data.TableView;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.VisitContext;
import org.jooq.VisitListener;
import org.jooq.impl.DefaultVisitListenerProvider;
import org.jooq.conf.ParseNameCase;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.ParserException;
import org.jooq.impl.QOM;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.jooq.impl.DSL.name;

/**
 * Reads the three shapes of {@code PUT /tables/{id}/policies} (API.md §6) and checks every
 * {@code constraint_sql}: jOOQ parses it as exactly one boolean condition (so it cannot close its
 * policy and open another statement), it may not read any table, and PostgreSQL itself must accept
 * it as a WHERE clause over this table's columns. What is stored is jOOQ's rendering of the parsed
 * condition, with {@code :current_user_id} bound to the authenticated caller's row id.
 */
@Component
class PolicySpecs {

    static final Set<String> ROLES = Set.of("anon", "authenticated");
    static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE");
    private static final String CURRENT_USER = ":current_user_id";

    /** The policies to set, and the roles whose other policies go (the "allow" shape replaces a role). */
    record Change(List<Policy> policies, List<String> replaceRoles) {
    }

    private final DSLContext db;
    private final TransactionTemplate readOnly;
    private final DSLContext parser = DSL.using(SQLDialect.POSTGRES, new Settings()
            .withParseNameCase(ParseNameCase.AS_IS)
            // Functions run as the caller's database role, which can reach nothing but the tables'
            // rows under their policies; PostgreSQL checks that each function exists.
            .withParseUnknownFunctions(ParseUnknownFunctions.IGNORE)
            .withRenderQuotedNames(RenderQuotedNames.ALWAYS));

    PolicySpecs(DSLContext db, PlatformTransactionManager transactionManager) {
        this.db = db;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
    }

    Change read(JsonNode body, TableView table) {
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

    /** The checked, normalised SQL of a constraint. */
    String constraint(String sql, TableView table, String field) {
        if (sql.isBlank() || sql.length() > 4000) {
            throw BaserDbException.invalid(field, "must be a boolean SQL expression of at most 4000 characters");
        }
        Condition condition;
        try {
            condition = parser.parser().parseCondition(sql.replace(CURRENT_USER, "baserdb_current_user_id()"));
        } catch (ParserException e) {
            throw BaserDbException.invalid(field, "is not a single SQL condition: " + firstLine(e.getMessage()));
        }
        // Rendering visits every part of the parsed condition: a table or a subquery among them is refused.
        boolean[] readsTables = {false};
        boolean[] numeric = {false};
        VisitListener guard = new VisitListener() {
            @Override
            public void visitStart(VisitContext context) {
                QueryPart part = context.queryPart();
                if (part instanceof Select<?> || part instanceof Table<?>) {
                    readsTables[0] = true;
                }
                // jOOQ's parser reads a numeric expression where a condition belongs as "expression <> 0"
                // (MySQL's rule), with an Integer zero; numbers the caller wrote are parsed as Long.
                if (part instanceof QOM.Ne<?> ne && ne.$arg2() instanceof Param<?> zero
                        && Integer.valueOf(0).equals(zero.getValue())) {
                    numeric[0] = true;
                }
            }
        };
        String rendered = DSL.using(parser.configuration().derive(new DefaultVisitListenerProvider(guard)))
                .renderInlined(condition);
        if (readsTables[0]) {
            throw BaserDbException.invalid(field, "may not read other tables or contain subqueries");
        }
        if (numeric[0]) {
            throw BaserDbException.invalid(field, "must be a boolean expression, not a number");
        }
        try {
            readOnly.executeWithoutResult(status -> db.execute("EXPLAIN SELECT 1 FROM "
                    + db.render(name(table.schema(), table.name())) + " WHERE (" + rendered + ")"));
        } catch (DataAccessException | org.springframework.dao.DataAccessException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw BaserDbException.invalid(field, "PostgreSQL does not accept it over this table: "
                    + firstLine(cause.getMessage()));
        }
        return rendered;
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

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.replaceAll("^ERROR: ", "").replaceAll("\\s*Position: \\d+$", "");
    }

}
