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
import static dev.baserdb.kernel.readmodel.SiteTables.DeployFiles;
import static dev.baserdb.kernel.readmodel.SiteTables.Deploys;
import static dev.baserdb.kernel.readmodel.SiteTables.Sites;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;

/** Reads sites, deploys and deploy files, now or as of an instant. */
@Service
public class SiteDirectory {

    private final DSLContext db;

    public SiteDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<SiteView> findSite(String siteId, Instant asOf) {
        return db.selectFrom(Sites.TABLE).where(Sites.ID.eq(siteId)).and(Sites.PERIOD.at(asOf))
                .fetchOptional().map(SiteDirectory::toSite);
    }

    /** The last version a site had, deleted or not (for its history and time travel). */
    public Optional<SiteView> lastSiteVersion(String siteId) {
        return db.selectFrom(Sites.TABLE).where(Sites.ID.eq(siteId)).orderBy(Sites.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(SiteDirectory::toSite);
    }

    public Optional<SiteView> findBySubdomain(String subdomain) {
        return db.selectFrom(Sites.TABLE).where(Sites.SUBDOMAIN.eq(subdomain)).and(Sites.PERIOD.current())
                .fetchOptional().map(SiteDirectory::toSite);
    }

    public List<SiteView> sitesOf(String projectId, Instant asOf) {
        return db.selectFrom(Sites.TABLE).where(Sites.PROJECT_ID.eq(projectId)).and(Sites.PERIOD.at(asOf))
                .orderBy(Sites.CREATED_AT).fetch(SiteDirectory::toSite);
    }

    /** The deploy as it was at {@code asOf} ({@code null}: now); empty if it did not exist yet. */
    public Optional<DeployView> findDeploy(String deployId, Instant asOf) {
        Record deploy = db.selectFrom(Deploys.TABLE).where(Deploys.ID.eq(deployId)).fetchOne();
        if (deploy == null || (asOf != null && instant(deploy.get(Deploys.CREATED_AT)).isAfter(asOf))) {
            return Optional.empty();
        }
        String live = liveAt(deploy.get(Deploys.SITE_ID), asOf);
        return Optional.of(toDeploy(deploy, live, asOf));
    }

    /** The site's deploys that existed at {@code asOf}, newest first. */
    public Page<DeployView> deploysOf(String siteId, Instant asOf, PageRequest page) {
        Condition of = Deploys.SITE_ID.eq(siteId);
        if (asOf != null) {
            of = of.and(Deploys.CREATED_AT.le(asOf.atOffset(ZoneOffset.UTC)));
        }
        long total = db.fetchCount(Deploys.TABLE, of);
        String live = liveAt(siteId, asOf);
        List<DeployView> items = db.selectFrom(Deploys.TABLE).where(of)
                .orderBy(Deploys.CREATED_AT.desc(), Deploys.ID.desc()).limit(page.limit()).offset(page.offset())
                .fetch(r -> toDeploy(r, live, asOf));
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public List<DeployFileView> files(String deployId) {
        return db.selectFrom(DeployFiles.TABLE).where(DeployFiles.DEPLOY_ID.eq(deployId)).orderBy(DeployFiles.PATH)
                .fetch(r -> new DeployFileView(r.get(DeployFiles.PATH), r.get(DeployFiles.SHA256),
                        r.get(DeployFiles.SIZE), r.get(DeployFiles.CONTENT_TYPE)));
    }

    public Optional<DeployFileView> file(String deployId, String path) {
        return db.selectFrom(DeployFiles.TABLE).where(DeployFiles.DEPLOY_ID.eq(deployId))
                .and(DeployFiles.PATH.eq(path)).fetchOptional()
                .map(r -> new DeployFileView(r.get(DeployFiles.PATH), r.get(DeployFiles.SHA256),
                        r.get(DeployFiles.SIZE), r.get(DeployFiles.CONTENT_TYPE)));
    }

    /** The deploy {@code _staging} serves: the newest one in staging (finalized, never published). */
    public Optional<String> stagedDeploy(String siteId) {
        return db.select(Deploys.ID).from(Deploys.TABLE).where(Deploys.SITE_ID.eq(siteId))
                .and(Deploys.FINALIZED_AT.isNotNull()).and(Deploys.FIRST_PUBLISHED_AT.isNull())
                .orderBy(Deploys.FINALIZED_AT.desc(), Deploys.ID.desc()).limit(1).fetchOptional(Deploys.ID);
    }

    /** The ids of every deploy the site ever had (for the site's history). */
    public List<String> deployIdsOf(String siteId) {
        return db.select(Deploys.ID).from(Deploys.TABLE).where(Deploys.SITE_ID.eq(siteId)).fetch(Deploys.ID);
    }

    private String liveAt(String siteId, Instant asOf) {
        return db.select(Sites.LIVE_DEPLOY_ID).from(Sites.TABLE).where(Sites.ID.eq(siteId))
                .and(Sites.PERIOD.at(asOf))
                .fetchOptional(Sites.LIVE_DEPLOY_ID).orElse(null);
    }

    private DeployView toDeploy(Record r, String liveDeployId, Instant asOf) {
        Record2<Integer, BigDecimal> totals = db.select(count(), sum(DeployFiles.SIZE)).from(DeployFiles.TABLE)
                .where(DeployFiles.DEPLOY_ID.eq(r.get(Deploys.ID))).fetchOne();
        Instant published = instant(r.get(Deploys.FIRST_PUBLISHED_AT));
        Instant finalized = instant(r.get(Deploys.FINALIZED_AT));
        String status;
        if (r.get(Deploys.ID).equals(liveDeployId)) {
            status = "live";
        } else if (published != null && before(published, asOf)) {
            status = "superseded";
        } else if (finalized != null && before(finalized, asOf)) {
            status = "staging";
        } else {
            status = "pending";
        }
        return new DeployView(r.get(Deploys.ID), r.get(Deploys.SITE_ID), r.get(Deploys.PROJECT_ID),
                r.get(Deploys.ORGANIZATION_ID), r.get(Deploys.LABEL), status, totals.value1(),
                totals.value2() == null ? 0 : totals.value2().longValue(), instant(r.get(Deploys.CREATED_AT)),
                published != null && before(published, asOf) ? published : null,
                r.get(Deploys.ACTOR_TYPE), r.get(Deploys.ACTOR_ID));
    }

    private static boolean before(Instant at, Instant asOf) {
        return asOf == null || !at.isAfter(asOf);
    }

    private static SiteView toSite(Record r) {
        return new SiteView(r.get(Sites.ID), r.get(Sites.PROJECT_ID), r.get(Sites.ORGANIZATION_ID),
                r.get(Sites.SUBDOMAIN), r.get(Sites.SPA_MODE), r.get(Sites.LIVE_DEPLOY_ID),
                instant(r.get(Sites.CREATED_AT)), r.get(Sites.VERSION));
    }
}
