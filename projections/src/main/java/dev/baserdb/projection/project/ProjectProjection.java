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
import static dev.baserdb.kernel.readmodel.TenancyTables.Groups;
import static dev.baserdb.kernel.readmodel.TenancyTables.Projects;

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
        rows.open(Projects.TABLE, Projects.PERIOD, Projects.ID.eq(projectId), Map.of(
                        Projects.ID, projectId,
                        Projects.ORGANIZATION_ID, organizationId,
                        Projects.NAME, name,
                        Projects.SLUG, slug,
                        Projects.SERVICE_KEY_HASH, serviceKeyHash,
                        Projects.CREATED_AT, utc(at),
                        Projects.UPDATED_AT, utc(at)),
                Projects.VERSION, version, utc(at));
    }

    @EventHandler
    void on(ProjectRenamed event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.change(Projects.TABLE, Projects.PERIOD, Projects.ID.eq(event.projectId().value()),
                Map.of(Projects.NAME, event.name(), Projects.UPDATED_AT, utc(at)), Projects.VERSION, version, utc(at));
    }

    @EventHandler
    void on(ProjectServiceKeyRotated event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.change(Projects.TABLE, Projects.PERIOD, Projects.ID.eq(event.projectId().value()),
                Map.of(Projects.SERVICE_KEY_HASH, event.serviceKeyHash(), Projects.UPDATED_AT, utc(at)),
                Projects.VERSION, version, utc(at));
    }

    /** A deleted project takes its groups with it (their rows end; their events stay). */
    @EventHandler
    void on(ProjectDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.end(Projects.TABLE, Projects.PERIOD, Projects.ID.eq(event.projectId().value()),
                Projects.VERSION, version, utc(at));
        db.update(Groups.TABLE).set(Groups.PERIOD.validTo(), utc(at))
                .where(Groups.PROJECT_ID.eq(event.projectId().value())).and(Groups.PERIOD.current())
                .execute();
    }

    @EventHandler
    void on(GroupCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.open(Groups.TABLE, Groups.PERIOD, Groups.ID.eq(event.groupId().value()), Map.of(
                        Groups.ID, event.groupId().value(),
                        Groups.PROJECT_ID, event.projectId().value(),
                        Groups.ORGANIZATION_ID, event.organizationId().value(),
                        Groups.NAME, event.name(),
                        Groups.CREATED_AT, utc(at),
                        Groups.UPDATED_AT, utc(at)),
                Groups.VERSION, version, utc(at));
    }

    @EventHandler
    void on(GroupRenamed event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.change(Groups.TABLE, Groups.PERIOD, Groups.ID.eq(event.groupId().value()),
                Map.of(Groups.NAME, event.name(), Groups.UPDATED_AT, utc(at)), Groups.VERSION, version, utc(at));
    }

    @EventHandler
    void on(GroupDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        CatalogChanges.changing(db, catalog);
        rows.end(Groups.TABLE, Groups.PERIOD, Groups.ID.eq(event.groupId().value()), Groups.VERSION, version, utc(at));
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(Groups.TABLE).execute();
        db.deleteFrom(Projects.TABLE).execute();
    }
}
