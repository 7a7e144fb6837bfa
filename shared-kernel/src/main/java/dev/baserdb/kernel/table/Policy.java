package dev.baserdb.kernel.table;

/**
 * Who ({@code anon} or {@code authenticated}) may do what ({@code SELECT INSERT UPDATE DELETE}) to a
 * table's rows, under which condition ({@code constraintSql}, already validated and normalised; null
 * means every row).
 */
public record Policy(String policyId, String apiRole, String operation, boolean allowed, String constraintSql) {
}
