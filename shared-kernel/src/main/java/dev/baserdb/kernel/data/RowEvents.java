package dev.baserdb.kernel.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import org.axonframework.serialization.Revision;

/**
 * Events of the {@code Row} aggregate. Who wrote (and under which data-API role) travels in the
 * metadata; the data plane writes the physical row and its history version in the same transaction.
 */
public sealed interface RowEvents {

    String rowId();

    TableId tableId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record RowInserted(String rowId, TableId tableId, ProjectId projectId, OrganizationId organizationId,
                       ObjectNode values) implements RowEvents {
    }

    @Revision("1")
    record RowUpdated(String rowId, TableId tableId, ProjectId projectId, OrganizationId organizationId,
                      ObjectNode changes) implements RowEvents {
    }

    @Revision("1")
    record RowDeleted(String rowId, TableId tableId, ProjectId projectId, OrganizationId organizationId)
            implements RowEvents {
    }

    @Revision("1")
    record RowRestored(String rowId, TableId tableId, ProjectId projectId, OrganizationId organizationId)
            implements RowEvents {
    }
}
