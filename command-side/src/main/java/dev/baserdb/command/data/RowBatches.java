package dev.baserdb.command.data;

import dev.baserdb.kernel.data.RowCommands;
import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.data.RowCommands.WriteRows;
import dev.baserdb.kernel.error.BaserDbException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A data-API batch or transaction as one unit of work: each row command goes to its own
 * {@link Row} (loaded once and kept for the rest of the unit), in order, so all their events are
 * appended together and the data plane writes them set-based; one refusal rolls back all of them.
 * An insert appends its event directly ({@link RowInserts}), unless a later command of the unit
 * changes the same row: that one needs the new aggregate in the repository.
 */
@Component
class RowBatches {

    private final Repository<Row> rows;
    private final RowInserts inserts;

    RowBatches(Repository<Row> rows, RowInserts inserts) {
        this.rows = rows;
        this.inserts = inserts;
    }

    @CommandHandler
    void handle(WriteRows batch) throws Exception {
        Set<String> changedLater = changedAfterInsert(batch.commands());
        for (RowCommands command : batch.commands()) {
            if (command instanceof InsertRow insert) {
                if (changedLater.contains(insert.rowId())) {
                    rows.newInstance(() -> new Row(insert));
                } else {
                    inserts.append(insert);
                }
            } else if (command instanceof UpdateRow update) {
                rows.load(update.rowId()).execute(row -> row.handle(update));
            } else if (command instanceof DeleteRow delete) {
                rows.load(delete.rowId()).execute(row -> row.handle(delete));
            } else if (command instanceof RestoreRow restore) {
                rows.load(restore.rowId()).execute(row -> row.handle(restore));
            }
        }
    }

    /**
     * The ids of rows a command of the unit changes after inserting them; a unit that inserts one id
     * twice is refused as the second insert would be on its own (409).
     */
    private static Set<String> changedAfterInsert(List<RowCommands> commands) {
        Set<String> inserted = new HashSet<>();
        Set<String> changed = new HashSet<>();
        for (RowCommands command : commands) {
            if (command instanceof InsertRow) {
                if (!inserted.add(command.rowId())) {
                    throw BaserDbException.conflict("Two inserts of one unit of work name the same row id");
                }
            } else if (inserted.contains(command.rowId())) {
                changed.add(command.rowId());
            }
        }
        return changed;
    }
}
