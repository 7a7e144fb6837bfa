package dev.baserdb.kernel.table;

import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Commands of the {@code Table} aggregate: a managed table's schema, indexes and policies. */
public sealed interface TableCommands {

    TableId tableId();

    record CreateTable(@TargetAggregateIdentifier TableId tableId, ProjectId projectId, OrganizationId organizationId,
                       GroupId groupId, String schema, String name, List<Column> columns) implements TableCommands {
    }

    record AddColumn(@TargetAggregateIdentifier TableId tableId, Column column) implements TableCommands {
    }

    record DropColumn(@TargetAggregateIdentifier TableId tableId, String name) implements TableCommands {
    }

    record CreateIndex(@TargetAggregateIdentifier TableId tableId, String indexName, List<String> columns,
                       boolean unique) implements TableCommands {
    }

    record DropIndex(@TargetAggregateIdentifier TableId tableId, String indexName) implements TableCommands {
    }

    /** Sets (adds or replaces, by role and operation) policies; {@code replaceRoles} clears those roles first. */
    record SetPolicies(@TargetAggregateIdentifier TableId tableId, List<Policy> policies, List<String> replaceRoles)
            implements TableCommands {
    }

    record DeletePolicy(@TargetAggregateIdentifier TableId tableId, String policyId) implements TableCommands {
    }

    record DeleteTable(@TargetAggregateIdentifier TableId tableId) implements TableCommands {
    }
}
