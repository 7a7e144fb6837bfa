package dev.baserdb.api.platform.database;

import org.jooq.codegen.JavaGenerator;
import org.jooq.codegen.JavaWriter;
import org.jooq.meta.ColumnDefinition;
import org.jooq.meta.TableDefinition;

/**
 * jOOQ's Java generator, plus the validity period ({@code dev.baserdb.kernel.readmodel.Period}) of
 * every versioned table (one with {@code valid_from} and {@code valid_to}) as its {@code PERIOD}.
 */
public class ReadModelGenerator extends JavaGenerator {

    @Override
    protected void generateTableClassFooter(TableDefinition table, JavaWriter out) {
        super.generateTableClassFooter(table, out);
        if (has(table, "valid_from") && has(table, "valid_to")) {
            String period = out.ref("dev.baserdb.kernel.readmodel.Period");
            out.println();
            out.javadoc("The validity period of this table's versions.");
            out.println("public final " + period + " PERIOD = new " + period + "(VALID_FROM, VALID_TO);");
        }
    }

    private static boolean has(TableDefinition table, String column) {
        return table.getColumns().stream().map(ColumnDefinition::getName).anyMatch(column::equals);
    }
}
