package dev.baserdb.projection.site;

import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.kernel.site.DeployEvents.DeployFileAdded;
import dev.baserdb.kernel.site.DeployEvents.DeployFileRemoved;
import dev.baserdb.kernel.site.DeployEvents.DeployFinalized;
import dev.baserdb.kernel.site.DeployEvents.DeployOpened;
import dev.baserdb.kernel.site.DeployEvents.DeployPublished;
import dev.baserdb.kernel.site.DeployEvents.DeployUploaded;
import dev.baserdb.kernel.site.DeployFile;
import dev.baserdb.kernel.site.SiteEvents.SiteCreated;
import dev.baserdb.kernel.site.SiteEvents.SiteDeleted;
import dev.baserdb.kernel.site.SiteEvents.SiteLiveDeployChanged;
import dev.baserdb.projection.platform.VersionedRows;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep5;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.SiteTables.DeployFiles;
import static dev.baserdb.kernel.readmodel.SiteTables.Deploys;
import static dev.baserdb.kernel.readmodel.SiteTables.Sites;

/**
 * Sites (versioned: which deploy was live when), deploys with the instants that decide their status,
 * and each deploy's files by SHA-256. Inline, so a published deploy is served with the next request
 * and a taken subdomain or a second site of a project rolls its command back.
 */
@Component
@ProcessingGroup(SiteProjection.GROUP)
class SiteProjection {

    static final String GROUP = "sites";
    private static final int INSERT_BATCH = 500;

    private final DSLContext db;
    private final VersionedRows rows;

    SiteProjection(DSLContext db, VersionedRows rows) {
        this.db = db;
        this.rows = rows;
    }

    @EventHandler
    void on(SiteCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<Field<?>, Object> values = new HashMap<>();
        values.put(Sites.ID, event.siteId().value());
        values.put(Sites.PROJECT_ID, event.projectId().value());
        values.put(Sites.ORGANIZATION_ID, event.organizationId().value());
        values.put(Sites.SUBDOMAIN, event.subdomain());
        values.put(Sites.SPA_MODE, event.spaMode());
        values.put(Sites.LIVE_DEPLOY_ID, null);
        values.put(Sites.CREATED_AT, utc(at));
        rows.open(Sites.TABLE, Sites.PERIOD, Sites.ID.eq(event.siteId().value()), values, Sites.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(SiteLiveDeployChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<Field<?>, Object> changes = new HashMap<>();
        changes.put(Sites.LIVE_DEPLOY_ID, event.deployId().value());
        rows.change(Sites.TABLE, Sites.PERIOD, Sites.ID.eq(event.siteId().value()), changes, Sites.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(SiteDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(Sites.TABLE, Sites.PERIOD, Sites.ID.eq(event.siteId().value()), Sites.VERSION, version, utc(at));
    }

    @EventHandler
    void on(DeployUploaded event, @SequenceNumber long version, @Timestamp Instant at,
            @MetaDataValue("actor_type") String actorType, @MetaDataValue("actor_id") String actorId) {
        if (!insertDeploy(event.deployId().value(), event.siteId().value(), event.projectId().value(),
                event.organizationId().value(), event.label(), actorType, actorId, at, version)) {
            return;
        }
        db.update(Deploys.TABLE).set(Deploys.FINALIZED_AT, utc(at)).where(Deploys.ID.eq(event.deployId().value()))
                .execute();
        insertFiles(event.deployId().value(), event.files());
    }

    @EventHandler
    void on(DeployOpened event, @SequenceNumber long version, @Timestamp Instant at,
            @MetaDataValue("actor_type") String actorType, @MetaDataValue("actor_id") String actorId) {
        insertDeploy(event.deployId().value(), event.siteId().value(), event.projectId().value(),
                event.organizationId().value(), event.label(), actorType, actorId, at, version);
    }

    @EventHandler
    void on(DeployFileAdded event, @SequenceNumber long version) {
        if (!advance(event.deployId().value(), version)) {
            return;
        }
        DeployFile file = event.file();
        db.insertInto(DeployFiles.TABLE)
                .set(DeployFiles.DEPLOY_ID, event.deployId().value()).set(DeployFiles.PATH, file.path())
                .set(DeployFiles.SHA256, file.sha256()).set(DeployFiles.SIZE, file.size())
                .set(DeployFiles.CONTENT_TYPE, file.contentType())
                .onConflict(DeployFiles.DEPLOY_ID, DeployFiles.PATH).doUpdate()
                .set(DeployFiles.SHA256, file.sha256()).set(DeployFiles.SIZE, file.size())
                .set(DeployFiles.CONTENT_TYPE, file.contentType())
                .execute();
    }

    @EventHandler
    void on(DeployFileRemoved event, @SequenceNumber long version) {
        if (!advance(event.deployId().value(), version)) {
            return;
        }
        db.deleteFrom(DeployFiles.TABLE).where(DeployFiles.DEPLOY_ID.eq(event.deployId().value()))
                .and(DeployFiles.PATH.eq(event.path())).execute();
    }

    @EventHandler
    void on(DeployFinalized event, @SequenceNumber long version, @Timestamp Instant at) {
        if (advance(event.deployId().value(), version)) {
            db.update(Deploys.TABLE).set(Deploys.FINALIZED_AT, utc(at))
                    .where(Deploys.ID.eq(event.deployId().value())).execute();
        }
    }

    @EventHandler
    void on(DeployPublished event, @SequenceNumber long version, @Timestamp Instant at) {
        if (advance(event.deployId().value(), version)) {
            db.update(Deploys.TABLE).set(Deploys.FIRST_PUBLISHED_AT, utc(at))
                    .where(Deploys.ID.eq(event.deployId().value())).and(Deploys.FIRST_PUBLISHED_AT.isNull()).execute();
        }
    }

    /** A deleted project's site ends with it: its subdomain is free again and nothing is served. */
    @EventHandler
    void on(ProjectDeleted event, @Timestamp Instant at) {
        db.update(Sites.TABLE).set(Sites.PERIOD.validTo(), utc(at))
                .where(Sites.PROJECT_ID.eq(event.projectId().value())).and(Sites.PERIOD.current()).execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(DeployFiles.TABLE).execute();
        db.deleteFrom(Deploys.TABLE).execute();
        db.deleteFrom(Sites.TABLE).execute();
    }

    private boolean insertDeploy(String deployId, String siteId, String projectId, String organizationId, String label,
                                 String actorType, String actorId, Instant at, long version) {
        return db.insertInto(Deploys.TABLE)
                .set(Deploys.ID, deployId).set(Deploys.SITE_ID, siteId).set(Deploys.PROJECT_ID, projectId)
                .set(Deploys.ORGANIZATION_ID, organizationId).set(Deploys.LABEL, label)
                .set(Deploys.ACTOR_TYPE, actorType).set(Deploys.ACTOR_ID, actorId)
                .set(Deploys.CREATED_AT, utc(at)).set(Deploys.VERSION, version)
                .onConflictDoNothing().execute() == 1;
    }

    /** Moves the deploy's version forward; false when this event is already in (a replay). */
    private boolean advance(String deployId, long version) {
        return db.update(Deploys.TABLE).set(Deploys.VERSION, version)
                .where(Deploys.ID.eq(deployId)).and(Deploys.VERSION.lt(version)).execute() == 1;
    }

    private void insertFiles(String deployId, List<DeployFile> files) {
        for (int from = 0; from < files.size(); from += INSERT_BATCH) {
            InsertValuesStep5<Record, String, String, String, Long, String> insert = db.insertInto(DeployFiles.TABLE,
                    DeployFiles.DEPLOY_ID, DeployFiles.PATH, DeployFiles.SHA256, DeployFiles.SIZE, DeployFiles.CONTENT_TYPE);
            for (DeployFile file : files.subList(from, Math.min(files.size(), from + INSERT_BATCH))) {
                insert = insert.values(deployId, file.path(), file.sha256(), file.size(), file.contentType());
            }
            insert.onConflictDoNothing().execute();
        }
    }
}
