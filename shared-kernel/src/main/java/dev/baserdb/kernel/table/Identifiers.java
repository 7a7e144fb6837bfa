package dev.baserdb.kernel.table;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SQL identifiers that come from requests (table and column names): {@code ^[a-zA-Z_][a-zA-Z0-9_]{0,62}$},
 * and none of PostgreSQL's reserved key words. They are always quoted in SQL as well.
 */
public final class Identifiers {

    private static final Pattern IDENTIFIER = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]{0,62}$");

    /** PostgreSQL's reserved key words (pg_get_keywords() categories R and T). */
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
            "binary", "both", "case", "cast", "check", "collate", "collation", "column", "concurrently",
            "constraint", "create", "cross", "current_catalog", "current_date", "current_role", "current_schema",
            "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group",
            "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral",
            "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null",
            "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references",
            "returning", "right", "select", "session_user", "similar", "some", "symmetric", "system_user", "table",
            "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic",
            "verbose", "when", "where", "window", "with");

    private Identifiers() {
    }

    /** Why {@code name} is not a valid identifier, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            return Optional.of("must match ^[a-zA-Z_][a-zA-Z0-9_]{0,62}$");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of("is a reserved SQL word");
        }
        return Optional.empty();
    }
}
