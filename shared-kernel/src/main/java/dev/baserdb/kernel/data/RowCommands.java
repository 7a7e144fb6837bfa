package dev.baserdb.kernel.data;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Commands of the {@code Row} aggregate, one per data row (its id is the row's UUID). Values are
 * JSON, already checked against the table's column types; PASSWORD values are already hashed.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "command")
@JsonSubTypes({@JsonSubTypes.Type(value = RowCommands.InsertRow.class, name = "insert"),
        @JsonSubTypes.Type(value = RowCommands.UpdateRow.class, name = "update"),
        @JsonSubTypes.Type(value = RowCommands.DeleteRow.class, name = "delete"),
        @JsonSubTypes.Type(value = RowCommands.RestoreRow.class, name = "restore")})
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

    /**
     * Several row commands as one unit of work (a data-API batch or transaction): applied in order,
     * their events appended in one batch and written by the data plane set-based, all or none.
     */
    record WriteRows(List<RowCommands> commands) {
    }
}
