package dev.baserdb.kernel.table;

/**
 * A column of a managed table: its name, its type as written in API.md §6 (upper case, e.g.
 * {@code VARCHAR(40)}, {@code DECIMAL(10,2)}), and its constraints. {@code defaultValue} is the
 * default as JSON text ({@code "0"}, {@code "true"}, {@code "\"draft\""}) or null.
 */
public record Column(String name, String type, boolean nullable, String defaultValue, boolean unique) {
}
