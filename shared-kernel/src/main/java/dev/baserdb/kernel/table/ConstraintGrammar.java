package dev.baserdb.kernel.table;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.TableField;
import org.jooq.VisitContext;
import org.jooq.VisitListener;
import org.jooq.conf.ParseNameCase;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultVisitListenerProvider;
import org.jooq.impl.ParserException;
import org.jooq.impl.QOM;
import org.jooq.impl.SQLDataType;

import java.util.Set;

/**
 * The small, safe language of a policy's {@code constraint_sql} (API.md §6): column references of
 * the table, literals, {@code :current_user_id}, comparisons, {@code AND OR NOT}, {@code IN},
 * {@code IS [NOT] NULL}, {@code [NOT] LIKE/ILIKE}, {@code BETWEEN}, arithmetic, casts to the column
 * types and a short list of functions. Everything else is refused with a message naming the part.
 *
 * <p>Three gates, each an allow-list: a lexical pass over the raw text (no statement separators,
 * comments, dollar quotes, escape strings, placeholders or operators outside the grammar); jOOQ's
 * parser, which must read exactly one condition; and a walk over every part jOOQ renders from the
 * parsed tree, so what PostgreSQL finally sees was checked node by node. The SQL that PostgreSQL
 * enforces is always rendered from that validated tree, never taken from the tenant's string.
 */
public final class ConstraintGrammar {

    /** What the tenant writes for the authenticated caller's row id. */
    public static final String CURRENT_USER = ":current_user_id";
    /** What {@link #CURRENT_USER} becomes in PostgreSQL (a function of the read schema, see V5_0). */
    public static final String CURRENT_USER_FUNCTION = "baserdb_current_user_id()";
    public static final int MAX_LENGTH = 4000;

    /**
     * Stands for {@code :current_user_id} while jOOQ parses and renders: a quoted identifier with a
     * control character, which no literal or identifier of a tenant can contain (the lexer refuses
     * control characters), so replacing its rendering afterwards cannot touch anything else.
     */
    private static final String SENTINEL = "bdb\u0001current_user";
    private static final String RENDERED_SENTINEL = "\"" + SENTINEL + "\"";

    /** Conditions, operators and functions of the grammar, as jOOQ's parser builds them. */
    private static final Set<String> NODES = Set.of(
            "And", "Or", "Not", "Xor",
            "Eq", "Ne", "Lt", "Le", "Gt", "Ge",
            "IsNull", "IsNotNull", "Like", "NotLike", "LikeIgnoreCase", "NotLikeIgnoreCase",
            "BetweenCondition", "InList", "NotInList", "FieldCondition", "TrueCondition", "FalseCondition",
            "Add", "Sub", "Mul", "Div", "Mod", "Neg",
            "Cast", "Cast$CastNative",
            "Lower", "Upper", "Trim", "CharLength", "Coalesce", "Nullif", "Abs", "Round", "Floor", "Ceil",
            "CurrentTimestamp", "CurrentDate", "Extract", "TruncDate",
            "Expression", "Expression$DateExpression",
            "KeywordImpl", "UnqualifiedName", "QueryPartList", "Val", "TableFieldImpl");

    /**
     * jOOQ renders the grammar's functions through generic helper parts; those are allowed only
     * directly inside one of the grammar's own functions. A tenant's unknown function is a generic
     * {@code Function} elsewhere in the tree and is refused there.
     */
    private static final Set<String> OPERATORS = Set.of("Add", "Sub", "Mul", "Div");
    private static final Set<String> SUBQUERIES = Set.of("Exists", "NotExists", "In", "NotIn", "ScalarSubquery",
            "QuantifiedSelectImpl", "SelectQueryImpl", "SelectImpl");
    private static final Set<String> HELPERS = Set.of("Function", "Function1", "SQLImpl");
    private static final Set<String> FUNCTIONS = Set.of("Lower", "Upper", "Trim", "CharLength", "Coalesce", "Nullif",
            "Abs", "Round", "Floor", "Ceil", "Mod", "Extract", "TruncDate", "CurrentTimestamp", "CurrentDate");

    /** Cast targets: the column types of API.md §6 (and intervals, for date arithmetic). */
    private static final Set<DataType<?>> CAST_TYPES = Set.of(SQLDataType.INTEGER, SQLDataType.BIGINT,
            SQLDataType.SMALLINT, SQLDataType.VARCHAR, SQLDataType.CLOB, SQLDataType.CHAR, SQLDataType.BOOLEAN,
            SQLDataType.NUMERIC, SQLDataType.DECIMAL, SQLDataType.DOUBLE, SQLDataType.FLOAT, SQLDataType.REAL,
            SQLDataType.DATE, SQLDataType.TIMESTAMP, SQLDataType.TIMESTAMPWITHTIMEZONE, SQLDataType.UUID,
            SQLDataType.JSON, SQLDataType.JSONB, SQLDataType.INTERVAL, SQLDataType.INTERVALDAYTOSECOND,
            SQLDataType.INTERVALYEARTOMONTH);

    private static final DSLContext PARSER = DSL.using(SQLDialect.POSTGRES, new Settings()
            .withParseNameCase(ParseNameCase.AS_IS)
            // Unknown functions are parsed so that the walk can refuse them by name.
            .withParseUnknownFunctions(ParseUnknownFunctions.IGNORE)
            .withRenderQuotedNames(RenderQuotedNames.ALWAYS));

    /** A checked constraint: the form kept in events and shown to users, and the form PostgreSQL enforces. */
    public record Compiled(String normalized, String postgres) {
    }

    /** A constraint outside the grammar; the message names the offending part and never quotes data. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private ConstraintGrammar() {
    }

    /**
     * Checks {@code sql} against the grammar over a table whose columns (system columns included)
     * are {@code columns}, and renders both forms.
     */
    public static Compiled compile(String sql, Set<String> columns) {
        if (sql == null || sql.isBlank() || sql.length() > MAX_LENGTH) {
            throw new Refused("must be a boolean SQL expression of at most " + MAX_LENGTH + " characters");
        }
        Condition condition;
        try {
            condition = PARSER.parser().parseCondition(lex(sql));
        } catch (ParserException e) {
            throw new Refused("is not a single SQL condition" + position(e));
        }
        Walk walk = new Walk(columns);
        String rendered = DSL.using(PARSER.configuration().derive(new DefaultVisitListenerProvider(walk)))
                .renderInlined(condition);
        if (walk.refusal != null) {
            throw new Refused(walk.refusal);
        }
        if (rendered.contains("\u0000")) {
            throw new Refused("may not contain NUL characters");
        }
        return new Compiled(rendered.replace(RENDERED_SENTINEL, CURRENT_USER),
                rendered.replace(RENDERED_SENTINEL, CURRENT_USER_FUNCTION));
    }

    /**
     * The lexical gate: walks the raw text tracking string literals and quoted identifiers, refuses
     * everything the grammar has no use for, and replaces {@code :current_user_id} (and the function
     * older events stored in its place) by the sentinel identifier.
     */
    static String lex(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                throw new Refused("may not contain control characters");
            }
            if (c == '\'') {
                if (i > 0 && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'b'
                        || sql.charAt(i - 1) == 'B' || sql.charAt(i - 1) == 'x' || sql.charAt(i - 1) == 'X'
                        || sql.charAt(i - 1) == 'n' || sql.charAt(i - 1) == 'N')
                        && (i == 1 || !identifierChar(sql.charAt(i - 2)))) {
                    throw new Refused("may not use escape, bit or national string literals (E'…', B'…', X'…', N'…')");
                }
                int end = closing(sql, i, '\'');
                out.append(sql, i, end + 1);
                i = end + 1;
                continue;
            }
            if (c == '"') {
                int end = closing(sql, i, '"');
                String identifier = sql.substring(i, end + 1);
                if (identifier.equals("\"baserdb_current_user_id\"") && sql.startsWith("()", end + 1)) {
                    out.append(RENDERED_SENTINEL);
                    i = end + 3;
                } else {
                    out.append(identifier);
                    i = end + 1;
                }
                continue;
            }
            if (sql.startsWith(CURRENT_USER, i) && !identifierChar(at(sql, i + CURRENT_USER.length()))) {
                out.append(RENDERED_SENTINEL);
                i += CURRENT_USER.length();
                continue;
            }
            if (sql.startsWith("baserdb_current_user_id()", i) && (i == 0 || !identifierChar(sql.charAt(i - 1)))) {
                out.append(RENDERED_SENTINEL);
                i += "baserdb_current_user_id()".length();
                continue;
            }
            if (c == ':') {
                if (at(sql, i + 1) != ':') {
                    throw new Refused("may use no parameter other than " + CURRENT_USER);
                }
                out.append("::");
                i += 2;
                continue;
            }
            if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                throw new Refused("may not contain comments");
            }
            if (c == '!' && at(sql, i + 1) != '=') {
                throw new Refused("may not use the operator !");
            }
            switch (c) {
                case ';' -> throw new Refused("may not contain ; (one expression, no statements)");
                case '$' -> throw new Refused("may not contain $ (dollar quoting or positional parameters)");
                case '?' -> throw new Refused("may not contain ? (placeholders)");
                case '\\', '{', '}', '[', ']', '&', '|', '#', '^', '~', '@', '`' ->
                        throw new Refused("may not use the character " + c);
                default -> out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    private static int closing(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                throw new Refused("may not contain control characters");
            }
            if (c == quote) {
                if (at(sql, i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new Refused(quote == '\'' ? "has an unterminated string literal" : "has an unterminated quoted name");
    }

    private static char at(String sql, int index) {
        return index < sql.length() ? sql.charAt(index) : ' ';
    }

    private static boolean identifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static String position(ParserException e) {
        return e.line() > 0 ? " (near column " + e.column() + ")" : "";
    }

    /** Checks every part jOOQ renders; the first refusal is kept and rendering carries on harmlessly. */
    private static final class Walk implements VisitListener {

        private final Set<String> columns;
        private String refusal;

        Walk(Set<String> columns) {
            this.columns = columns;
        }

        @Override
        public void visitStart(VisitContext context) {
            if (refusal != null) {
                return;
            }
            refusal = check(context.queryPart(), context.queryParts());
        }

        /** The part directly enclosing the one being visited. */
        private static String owner(QueryPart[] stack) {
            return stack.length >= 2 ? kind(stack[stack.length - 2]) : null;
        }

        private String check(QueryPart part, QueryPart[] stack) {
            String kind = kind(part);
            if (part instanceof org.jooq.Select<?> || SUBQUERIES.contains(kind)) {
                return "may not contain subqueries";
            }
            if (part instanceof org.jooq.Table<?>) {
                return "may not reference tables (only the columns of this table, unqualified)";
            }
            if (HELPERS.contains(kind)) {
                String owner = owner(stack);
                // SQLImpl is also how jOOQ renders the operator token of arithmetic
                if (FUNCTIONS.contains(owner) || "SQLImpl".equals(kind) && OPERATORS.contains(owner)) {
                    return null;
                }
                if (part instanceof QOM.Function<?> function) {
                    return "may not call the function " + function.getName()
                            + " (allowed: lower upper trim length coalesce nullif abs round floor ceil now"
                            + " current_date date_trunc extract)";
                }
                return "may not contain " + kind;
            }
            if (kind == null || !NODES.contains(kind)) {
                String what = part instanceof QOM.Function<?> function ? "the function " + function.getName()
                        : part instanceof org.jooq.Name name ? "the qualified name " + name
                        : kind == null ? part.getClass().getSimpleName()
                        : part instanceof Field<?> ? "the function or operator " + kind.toLowerCase(java.util.Locale.ROOT)
                        : kind;
                return "may not contain " + what;
            }
            if (part instanceof TableField<?, ?> column) {
                if (column.getQualifiedName().qualified()) {
                    return "may not reference tables (only the columns of this table, unqualified)";
                }
                String name = column.getName();
                if (!SENTINEL.equals(name) && !columns.contains(name)) {
                    return "names " + name + ", which is not a column of this table";
                }
            }
            if (part instanceof QOM.Cast<?> cast && !castable(cast.getDataType())) {
                return "may not cast to " + cast.getDataType().getCastTypeName()
                        + " (only to the column types of API.md §6)";
            }
            if (part instanceof Param<?> param) {
                if (param.getParamName() != null) {
                    return "may use no parameter other than " + CURRENT_USER;
                }
            }
            // jOOQ reads a number where a condition belongs as "number <> 0" (MySQL's rule), with an
            // Integer zero it made up itself; numbers a tenant writes are parsed as Long.
            if (part instanceof QOM.Ne<?> ne && ne.$arg2() instanceof Param<?> zero
                    && Integer.valueOf(0).equals(zero.getValue())) {
                return "must be a boolean expression, not a number";
            }
            return null;
        }

        private static boolean castable(DataType<?> type) {
            DataType<?> sql = type.getSQLDataType();
            return sql != null && CAST_TYPES.stream().anyMatch(allowed -> allowed.getType() == sql.getType()
                    && allowed.getTypeName().equals(sql.getTypeName()));
        }

        /** The jOOQ implementation class, without its package; null for parts from anywhere else. */
        private static String kind(QueryPart part) {
            String name = part.getClass().getName();
            return name.startsWith("org.jooq.impl.") ? name.substring("org.jooq.impl.".length()) : null;
        }
    }
}
