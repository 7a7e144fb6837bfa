package dev.baserdb.command.data;

import dev.baserdb.kernel.data.RowCommands;
import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.data.RowCommands.WriteRows;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * A data-API batch or transaction as one unit of work: each row command goes to its own
 * {@link Row} (created, or loaded once and kept for the rest of the unit), in order, so all their
 * events are appended together and the data plane writes them set-based; one refusal rolls back
 * all of them.
 */
@Component
class RowBatches {

    private final Repository<Row> rows;

    RowBatches(Repository<Row> rows) {
        this.rows = rows;
    }

    @CommandHandler
    void handle(WriteRows batch) throws Exception {
        for (RowCommands command : batch.commands()) {
            if (command instanceof InsertRow insert) {
                rows.newInstance(() -> new Row(insert));
            } else if (command instanceof UpdateRow update) {
                rows.load(update.rowId()).execute(row -> row.handle(update));
            } else if (command instanceof DeleteRow delete) {
                rows.load(delete.rowId()).execute(row -> row.handle(delete));
            } else if (command instanceof RestoreRow restore) {
                rows.load(restore.rowId()).execute(row -> row.handle(restore));
            }
        }
    }
}
