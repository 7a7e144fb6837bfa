package dev.baserdb.kernel.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Commands of the {@code Row} aggregate, one per data row (its id is the row's UUID). Values are
 * JSON, already checked against the table's column types; PASSWORD values are already hashed.
 */
public sealed interface RowCommands {

    String rowId();

    record InsertRow(@TargetAggregateIdentifier String rowId, TableId tableId, ProjectId projectId,
                     OrganizationId organizationId, ObjectNode values) implements RowCommands {
    }

    record UpdateRow(@TargetAggregateIdentifier String rowId, TableId tableId, ObjectNode changes)
            implements RowCommands {
    }

    record DeleteRow(@TargetAggregateIdentifier String rowId, TableId tableId) implements RowCommands {
    }

    record RestoreRow(@TargetAggregateIdentifier String rowId, TableId tableId) implements RowCommands {
    }
}
