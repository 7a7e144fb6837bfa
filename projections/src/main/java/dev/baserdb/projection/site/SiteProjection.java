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
import static dev.baserdb.kernel.readmodel.schema.Tables.DEPLOYS;
import static dev.baserdb.kernel.readmodel.schema.Tables.DEPLOY_FILES;
import static dev.baserdb.kernel.readmodel.schema.Tables.SITE_VERSIONS;

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
        values.put(SITE_VERSIONS.ID, event.siteId().value());
        values.put(SITE_VERSIONS.PROJECT_ID, event.projectId().value());
        values.put(SITE_VERSIONS.ORGANIZATION_ID, event.organizationId().value());
        values.put(SITE_VERSIONS.SUBDOMAIN, event.subdomain());
        values.put(SITE_VERSIONS.SPA_MODE, event.spaMode());
        values.put(SITE_VERSIONS.LIVE_DEPLOY_ID, null);
        values.put(SITE_VERSIONS.CREATED_AT, utc(at));
        rows.open(SITE_VERSIONS, SITE_VERSIONS.PERIOD, SITE_VERSIONS.ID.eq(event.siteId().value()), values,
                SITE_VERSIONS.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(SiteLiveDeployChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<Field<?>, Object> changes = new HashMap<>();
        changes.put(SITE_VERSIONS.LIVE_DEPLOY_ID, event.deployId().value());
        rows.change(SITE_VERSIONS, SITE_VERSIONS.PERIOD, SITE_VERSIONS.ID.eq(event.siteId().value()), changes,
                SITE_VERSIONS.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(SiteDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(SITE_VERSIONS, SITE_VERSIONS.PERIOD, SITE_VERSIONS.ID.eq(event.siteId().value()),
                SITE_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(DeployUploaded event, @SequenceNumber long version, @Timestamp Instant at,
            @MetaDataValue("actor_type") String actorType, @MetaDataValue("actor_id") String actorId) {
        if (!insertDeploy(event.deployId().value(), event.siteId().value(), event.projectId().value(),
                event.organizationId().value(), event.label(), actorType, actorId, at, version)) {
            return;
        }
        db.update(DEPLOYS).set(DEPLOYS.FINALIZED_AT, utc(at)).where(DEPLOYS.ID.eq(event.deployId().value()))
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
        db.insertInto(DEPLOY_FILES)
                .set(DEPLOY_FILES.DEPLOY_ID, event.deployId().value()).set(DEPLOY_FILES.PATH, file.path())
                .set(DEPLOY_FILES.SHA256, file.sha256()).set(DEPLOY_FILES.SIZE, file.size())
                .set(DEPLOY_FILES.CONTENT_TYPE, file.contentType())
                .onConflict(DEPLOY_FILES.DEPLOY_ID, DEPLOY_FILES.PATH).doUpdate()
                .set(DEPLOY_FILES.SHA256, file.sha256()).set(DEPLOY_FILES.SIZE, file.size())
                .set(DEPLOY_FILES.CONTENT_TYPE, file.contentType())
                .execute();
    }

    @EventHandler
    void on(DeployFileRemoved event, @SequenceNumber long version) {
        if (!advance(event.deployId().value(), version)) {
            return;
        }
        db.deleteFrom(DEPLOY_FILES).where(DEPLOY_FILES.DEPLOY_ID.eq(event.deployId().value()))
                .and(DEPLOY_FILES.PATH.eq(event.path())).execute();
    }

    @EventHandler
    void on(DeployFinalized event, @SequenceNumber long version, @Timestamp Instant at) {
        if (advance(event.deployId().value(), version)) {
            db.update(DEPLOYS).set(DEPLOYS.FINALIZED_AT, utc(at))
                    .where(DEPLOYS.ID.eq(event.deployId().value())).execute();
        }
    }

    @EventHandler
    void on(DeployPublished event, @SequenceNumber long version, @Timestamp Instant at) {
        if (advance(event.deployId().value(), version)) {
            db.update(DEPLOYS).set(DEPLOYS.FIRST_PUBLISHED_AT, utc(at))
                    .where(DEPLOYS.ID.eq(event.deployId().value())).and(DEPLOYS.FIRST_PUBLISHED_AT.isNull()).execute();
        }
    }

    /** A deleted project's site ends with it: its subdomain is free again and nothing is served. */
    @EventHandler
    void on(ProjectDeleted event, @Timestamp Instant at) {
        db.update(SITE_VERSIONS).set(SITE_VERSIONS.PERIOD.validTo(), utc(at))
                .where(SITE_VERSIONS.PROJECT_ID.eq(event.projectId().value())).and(SITE_VERSIONS.PERIOD.current()).execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(DEPLOY_FILES).execute();
        db.deleteFrom(DEPLOYS).execute();
        db.deleteFrom(SITE_VERSIONS).execute();
    }

    private boolean insertDeploy(String deployId, String siteId, String projectId, String organizationId, String label,
                                 String actorType, String actorId, Instant at, long version) {
        return db.insertInto(DEPLOYS)
                .set(DEPLOYS.ID, deployId).set(DEPLOYS.SITE_ID, siteId).set(DEPLOYS.PROJECT_ID, projectId)
                .set(DEPLOYS.ORGANIZATION_ID, organizationId).set(DEPLOYS.LABEL, label)
                .set(DEPLOYS.ACTOR_TYPE, actorType).set(DEPLOYS.ACTOR_ID, actorId)
                .set(DEPLOYS.CREATED_AT, utc(at)).set(DEPLOYS.VERSION, version)
                .onConflictDoNothing().execute() == 1;
    }

    /** Moves the deploy's version forward; false when this event is already in (a replay). */
    private boolean advance(String deployId, long version) {
        return db.update(DEPLOYS).set(DEPLOYS.VERSION, version)
                .where(DEPLOYS.ID.eq(deployId)).and(DEPLOYS.VERSION.lt(version)).execute() == 1;
    }

    private void insertFiles(String deployId, List<DeployFile> files) {
        for (int from = 0; from < files.size(); from += INSERT_BATCH) {
            InsertValuesStep5<Record, String, String, String, Long, String> insert = db.insertInto(DEPLOY_FILES,
                    DEPLOY_FILES.DEPLOY_ID, DEPLOY_FILES.PATH, DEPLOY_FILES.SHA256, DEPLOY_FILES.SIZE, DEPLOY_FILES.CONTENT_TYPE);
            for (DeployFile file : files.subList(from, Math.min(files.size(), from + INSERT_BATCH))) {
                insert = insert.values(deployId, file.path(), file.sha256(), file.size(), file.contentType());
            }
            insert.onConflictDoNothing().execute();
        }
    }
}
