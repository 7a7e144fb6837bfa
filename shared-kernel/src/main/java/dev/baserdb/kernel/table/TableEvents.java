package dev.baserdb.kernel.table;

import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * Events of the {@code Table} aggregate. {@code schema} is the PostgreSQL schema of the table's
 * group; the data plane applies each event as DDL in the same transaction.
 */
public sealed interface TableEvents {

    TableId tableId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record TableCreated(TableId tableId, ProjectId projectId, OrganizationId organizationId, GroupId groupId,
                        String schema, String name, List<Column> columns) implements TableEvents {
    }

    @Revision("1")
    record TableColumnAdded(TableId tableId, ProjectId projectId, OrganizationId organizationId, Column column)
            implements TableEvents {
    }

    @Revision("1")
    record TableColumnDropped(TableId tableId, ProjectId projectId, OrganizationId organizationId, String name)
            implements TableEvents {
    }

    @Revision("1")
    record TableIndexCreated(TableId tableId, ProjectId projectId, OrganizationId organizationId, String indexName,
                             List<String> columns, boolean unique) implements TableEvents {
    }

    @Revision("1")
    record TableIndexDropped(TableId tableId, ProjectId projectId, OrganizationId organizationId, String indexName)
            implements TableEvents {
    }

    /** The complete set of policies after a change. */
    @Revision("1")
    record TablePoliciesChanged(TableId tableId, ProjectId projectId, OrganizationId organizationId,
                                List<Policy> policies) implements TableEvents {
    }

    @Revision("1")
    record TableDeleted(TableId tableId, ProjectId projectId, OrganizationId organizationId) implements TableEvents {
    }
}
