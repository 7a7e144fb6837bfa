package dev.baserdb.command.data;

import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowCommands.UpdateRow;
import dev.baserdb.kernel.data.RowEvents.RowDeleted;
import dev.baserdb.kernel.data.RowEvents.RowInserted;
import dev.baserdb.kernel.data.RowEvents.RowRestored;
import dev.baserdb.kernel.data.RowEvents.RowUpdated;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One data row. It knows its table and whether it is soft-deleted; the values themselves live in
 * the events and the physical table. Type, uniqueness and policy checks happen where the data is:
 * in the API (types) and in PostgreSQL (constraints, row-level security) within the same transaction.
 */
@Aggregate
class Row {

    @AggregateIdentifier
    private String rowId;
    private TableId tableId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private boolean deleted;

    Row() {
        // for Axon
    }

    /**
     * A row created through the repository, for a unit of work that changes it again before its end
     * (a transaction's insert and update of one row); other inserts append their event without the
     * aggregate ({@link RowInserts}).
     */
    Row(InsertRow command) {
        apply(inserted(command));
    }

    /** The event of an insert: the aggregate's first, whichever way it is appended. */
    static RowInserted inserted(InsertRow command) {
        return new RowInserted(command.rowId(), command.tableId(), command.projectId(), command.organizationId(),
                command.values());
    }

    @CommandHandler
    void handle(UpdateRow command) {
        requireTable(command.tableId());
        if (deleted) {
            throw BaserDbException.notFound("Row");
        }
        apply(new RowUpdated(rowId, tableId, projectId, organizationId, command.changes()));
    }

    @CommandHandler
    void handle(DeleteRow command) {
        requireTable(command.tableId());
        if (deleted) {
            throw BaserDbException.notFound("Row");
        }
        apply(new RowDeleted(rowId, tableId, projectId, organizationId));
    }

    @CommandHandler
    void handle(RestoreRow command) {
        requireTable(command.tableId());
        if (!deleted) {
            throw BaserDbException.conflict("The row is not deleted");
        }
        apply(new RowRestored(rowId, tableId, projectId, organizationId));
    }

    /** A row id is only meaningful in its own table: elsewhere it does not exist. */
    private void requireTable(TableId expected) {
        if (!tableId.equals(expected)) {
            throw BaserDbException.notFound("Row");
        }
    }

    @EventSourcingHandler
    void on(RowInserted event) {
        rowId = event.rowId();
        tableId = event.tableId();
        projectId = event.projectId();
        organizationId = event.organizationId();
    }

    @EventSourcingHandler
    void on(RowDeleted event) {
        deleted = true;
    }

    @EventSourcingHandler
    void on(RowRestored event) {
        deleted = false;
    }

}
