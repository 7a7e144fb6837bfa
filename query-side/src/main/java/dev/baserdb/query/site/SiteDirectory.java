package dev.baserdb.query.site;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record2;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;
import static dev.baserdb.kernel.readmodel.schema.Tables.DEPLOYS;
import static dev.baserdb.kernel.readmodel.schema.Tables.DEPLOY_FILES;
import static dev.baserdb.kernel.readmodel.schema.Tables.SITE_VERSIONS;

/** Reads sites, deploys and deploy files, now or as of an instant. */
@Service
public class SiteDirectory {

    private final DSLContext db;

    public SiteDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<SiteView> findSite(String siteId, Instant asOf) {
        return db.selectFrom(SITE_VERSIONS).where(SITE_VERSIONS.ID.eq(siteId)).and(SITE_VERSIONS.PERIOD.at(asOf))
                .fetchOptional().map(SiteDirectory::toSite);
    }

    /** The last version a site had, deleted or not (for its history and time travel). */
    public Optional<SiteView> lastSiteVersion(String siteId) {
        return db.selectFrom(SITE_VERSIONS).where(SITE_VERSIONS.ID.eq(siteId))
                .orderBy(SITE_VERSIONS.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(SiteDirectory::toSite);
    }

    public Optional<SiteView> findBySubdomain(String subdomain) {
        return db.selectFrom(SITE_VERSIONS).where(SITE_VERSIONS.SUBDOMAIN.eq(subdomain)).and(SITE_VERSIONS.PERIOD.current())
                .fetchOptional().map(SiteDirectory::toSite);
    }

    public List<SiteView> sitesOf(String projectId, Instant asOf) {
        return db.selectFrom(SITE_VERSIONS).where(SITE_VERSIONS.PROJECT_ID.eq(projectId)).and(SITE_VERSIONS.PERIOD.at(asOf))
                .orderBy(SITE_VERSIONS.CREATED_AT).fetch(SiteDirectory::toSite);
    }

    /** The deploy as it was at {@code asOf} ({@code null}: now); empty if it did not exist yet. */
    public Optional<DeployView> findDeploy(String deployId, Instant asOf) {
        Record deploy = db.selectFrom(DEPLOYS).where(DEPLOYS.ID.eq(deployId)).fetchOne();
        if (deploy == null || (asOf != null && instant(deploy.get(DEPLOYS.CREATED_AT)).isAfter(asOf))) {
            return Optional.empty();
        }
        String live = liveAt(deploy.get(DEPLOYS.SITE_ID), asOf);
        return Optional.of(toDeploy(deploy, live, asOf));
    }

    /** The site's deploys that existed at {@code asOf}, newest first. */
    public Page<DeployView> deploysOf(String siteId, Instant asOf, PageRequest page) {
        Condition of = DEPLOYS.SITE_ID.eq(siteId);
        if (asOf != null) {
            of = of.and(DEPLOYS.CREATED_AT.le(asOf.atOffset(ZoneOffset.UTC)));
        }
        long total = db.fetchCount(DEPLOYS, of);
        String live = liveAt(siteId, asOf);
        List<DeployView> items = db.selectFrom(DEPLOYS).where(of)
                .orderBy(DEPLOYS.CREATED_AT.desc(), DEPLOYS.ID.desc()).limit(page.limit()).offset(page.offset())
                .fetch(r -> toDeploy(r, live, asOf));
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public List<DeployFileView> files(String deployId) {
        return db.selectFrom(DEPLOY_FILES).where(DEPLOY_FILES.DEPLOY_ID.eq(deployId)).orderBy(DEPLOY_FILES.PATH)
                .fetch(r -> new DeployFileView(r.get(DEPLOY_FILES.PATH), r.get(DEPLOY_FILES.SHA256),
                        r.get(DEPLOY_FILES.SIZE), r.get(DEPLOY_FILES.CONTENT_TYPE)));
    }

    public Optional<DeployFileView> file(String deployId, String path) {
        return db.selectFrom(DEPLOY_FILES).where(DEPLOY_FILES.DEPLOY_ID.eq(deployId))
                .and(DEPLOY_FILES.PATH.eq(path)).fetchOptional()
                .map(r -> new DeployFileView(r.get(DEPLOY_FILES.PATH), r.get(DEPLOY_FILES.SHA256),
                        r.get(DEPLOY_FILES.SIZE), r.get(DEPLOY_FILES.CONTENT_TYPE)));
    }

    /** The deploy {@code _staging} serves: the newest one in staging (finalized, never published). */
    public Optional<String> stagedDeploy(String siteId) {
        return db.select(DEPLOYS.ID).from(DEPLOYS).where(DEPLOYS.SITE_ID.eq(siteId))
                .and(DEPLOYS.FINALIZED_AT.isNotNull()).and(DEPLOYS.FIRST_PUBLISHED_AT.isNull())
                .orderBy(DEPLOYS.FINALIZED_AT.desc(), DEPLOYS.ID.desc()).limit(1).fetchOptional(DEPLOYS.ID);
    }

    /** The ids of every deploy the site ever had (for the site's history). */
    public List<String> deployIdsOf(String siteId) {
        return db.select(DEPLOYS.ID).from(DEPLOYS).where(DEPLOYS.SITE_ID.eq(siteId)).fetch(DEPLOYS.ID);
    }

    private String liveAt(String siteId, Instant asOf) {
        return db.select(SITE_VERSIONS.LIVE_DEPLOY_ID).from(SITE_VERSIONS).where(SITE_VERSIONS.ID.eq(siteId))
                .and(SITE_VERSIONS.PERIOD.at(asOf))
                .fetchOptional(SITE_VERSIONS.LIVE_DEPLOY_ID).orElse(null);
    }

    private DeployView toDeploy(Record r, String liveDeployId, Instant asOf) {
        Record2<Integer, BigDecimal> totals = db.select(count(), sum(DEPLOY_FILES.SIZE)).from(DEPLOY_FILES)
                .where(DEPLOY_FILES.DEPLOY_ID.eq(r.get(DEPLOYS.ID))).fetchOne();
        Instant published = instant(r.get(DEPLOYS.FIRST_PUBLISHED_AT));
        Instant finalized = instant(r.get(DEPLOYS.FINALIZED_AT));
        String status;
        if (r.get(DEPLOYS.ID).equals(liveDeployId)) {
            status = "live";
        } else if (published != null && before(published, asOf)) {
            status = "superseded";
        } else if (finalized != null && before(finalized, asOf)) {
            status = "staging";
        } else {
            status = "pending";
        }
        return new DeployView(r.get(DEPLOYS.ID), r.get(DEPLOYS.SITE_ID), r.get(DEPLOYS.PROJECT_ID),
                r.get(DEPLOYS.ORGANIZATION_ID), r.get(DEPLOYS.LABEL), status, totals.value1(),
                totals.value2() == null ? 0 : totals.value2().longValue(), instant(r.get(DEPLOYS.CREATED_AT)),
                published != null && before(published, asOf) ? published : null,
                r.get(DEPLOYS.ACTOR_TYPE), r.get(DEPLOYS.ACTOR_ID));
    }

    private static boolean before(Instant at, Instant asOf) {
        return asOf == null || !at.isAfter(asOf);
    }

    private static SiteView toSite(Record r) {
        return new SiteView(r.get(SITE_VERSIONS.ID), r.get(SITE_VERSIONS.PROJECT_ID), r.get(SITE_VERSIONS.ORGANIZATION_ID),
                r.get(SITE_VERSIONS.SUBDOMAIN), r.get(SITE_VERSIONS.SPA_MODE), r.get(SITE_VERSIONS.LIVE_DEPLOY_ID),
                instant(r.get(SITE_VERSIONS.CREATED_AT)), r.get(SITE_VERSIONS.VERSION));
    }
}
