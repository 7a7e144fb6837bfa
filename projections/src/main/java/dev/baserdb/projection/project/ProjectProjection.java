package dev.baserdb.projection.project;

import dev.baserdb.kernel.project.GroupEvents.GroupCreated;
import dev.baserdb.kernel.project.GroupEvents.GroupDeleted;
import dev.baserdb.kernel.project.GroupEvents.GroupRenamed;
import dev.baserdb.kernel.project.ProjectEvents.ProjectCreated;
import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRenamed;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRestoredFromBackup;
import dev.baserdb.kernel.project.ProjectEvents.ProjectServiceKeyRotated;
import dev.baserdb.projection.platform.VersionedRows;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.projection.data.CatalogChanges;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.GROUP_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.PROJECT_VERSIONS;

/**
 * Projects and their groups, versioned for time travel. Inline: a rotated service key stops
 * working with the next request, and the unique indexes (slug per organization, group name per
 * project) roll a duplicate back.
 */
@Component
@ProcessingGroup(ProjectProjection.GROUP)
class ProjectProjection {

    static final String GROUP = "projects";

    private final DSLContext db;
    private final VersionedRows rows;
    /** Data requests keep projects (by id and by service key) in memory: every project event makes it forget. */
    private final DataCatalog catalog;

    ProjectProjection(DSLContext db, VersionedRows rows, DataCatalog catalog) {
        this.db = db;
        this.rows = rows;
        this.catalog = catalog;
    }

    /** A new project caches nothing stale (the data catalog never keeps an absence): no invalidation. */
    @EventHandler
    void on(ProjectCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        open(event.projectId().value(), event.organizationId().value(), event.name(), event.slug(),
                event.serviceKeyHash(), version, at);
    }

    /** A project restored from a backup opens like a created one. */
    @EventHandler
    void on(ProjectRestoredFromBackup event, @SequenceNumber long version, @Timestamp Instant at) {
        open(event.projectId().value(), event.organizationId().value(), event.name(), event.slug(),
                event.serviceKeyHash(), version, at);
    }

    private void open(String projectId, String organizationId, String name, String slug, String serviceKeyHash,
                      long version, Instant at) {
        rows.open(PROJECT_VERSIONS, PROJECT_VERSIONS.PERIOD, PROJECT_VERSIONS.ID.eq(projectId), Map.of(
                        PROJECT_VERSIONS.ID, projectId,
                        PROJECT_VERSIONS.ORGANIZATION_ID, organizationId,
                        PROJECT_VERSIONS.NAME, name,
                        PROJECT_VERSIONS.SLUG, slug,
                        PROJECT_VERSIONS.SERVICE_KEY_HASH, serviceKeyHash,
                        PROJECT_VERSIONS.CREATED_AT, utc(at),
                        PROJECT_VERSIONS.UPDATED_AT, utc(at)),
                PROJECT_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(ProjectRenamed event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.change(PROJECT_VERSIONS, PROJECT_VERSIONS.PERIOD, PROJECT_VERSIONS.ID.eq(event.projectId().value()),
                Map.of(PROJECT_VERSIONS.NAME, event.name(), PROJECT_VERSIONS.UPDATED_AT, utc(at)),
                PROJECT_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(ProjectServiceKeyRotated event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.change(PROJECT_VERSIONS, PROJECT_VERSIONS.PERIOD, PROJECT_VERSIONS.ID.eq(event.projectId().value()),
                Map.of(PROJECT_VERSIONS.SERVICE_KEY_HASH, event.serviceKeyHash(), PROJECT_VERSIONS.UPDATED_AT, utc(at)),
                PROJECT_VERSIONS.VERSION, version, utc(at));
    }

    /** A deleted project takes its groups with it (their rows end; their events stay). */
    @EventHandler
    void on(ProjectDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.end(PROJECT_VERSIONS, PROJECT_VERSIONS.PERIOD, PROJECT_VERSIONS.ID.eq(event.projectId().value()),
                PROJECT_VERSIONS.VERSION, version, utc(at));
        db.update(GROUP_VERSIONS).set(GROUP_VERSIONS.PERIOD.validTo(), utc(at))
                .where(GROUP_VERSIONS.PROJECT_ID.eq(event.projectId().value())).and(GROUP_VERSIONS.PERIOD.current())
                .execute();
    }

    @EventHandler
    void on(GroupCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.open(GROUP_VERSIONS, GROUP_VERSIONS.PERIOD, GROUP_VERSIONS.ID.eq(event.groupId().value()), Map.of(
                        GROUP_VERSIONS.ID, event.groupId().value(),
                        GROUP_VERSIONS.PROJECT_ID, event.projectId().value(),
                        GROUP_VERSIONS.ORGANIZATION_ID, event.organizationId().value(),
                        GROUP_VERSIONS.NAME, event.name(),
                        GROUP_VERSIONS.CREATED_AT, utc(at),
                        GROUP_VERSIONS.UPDATED_AT, utc(at)),
                GROUP_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(GroupRenamed event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.change(GROUP_VERSIONS, GROUP_VERSIONS.PERIOD, GROUP_VERSIONS.ID.eq(event.groupId().value()),
                Map.of(GROUP_VERSIONS.NAME, event.name(), GROUP_VERSIONS.UPDATED_AT, utc(at)), GROUP_VERSIONS.VERSION,
                version, utc(at));
    }

    @EventHandler
    void on(GroupDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.end(GROUP_VERSIONS, GROUP_VERSIONS.PERIOD, GROUP_VERSIONS.ID.eq(event.groupId().value()),
                GROUP_VERSIONS.VERSION, version, utc(at));
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(GROUP_VERSIONS).execute();
        db.deleteFrom(PROJECT_VERSIONS).execute();
    }
}
