package dev.baserdb.api.site;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.SiteId;
import dev.baserdb.query.site.SiteDirectory;
import dev.baserdb.query.site.SiteView;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Finds a site within its project for the site and deploy endpoints: a site of another project, an
 * id of the wrong shape, or one that does not exist (at the instant asked) is a 404 "Site", the same
 * answer in every case. Permission checks stay with the callers, before these look-ups.
 */
@Component
class ProjectSites {

    private final SiteDirectory sites;

    ProjectSites(SiteDirectory sites) {
        this.sites = sites;
    }

    /** The project's current site of that id; another project's, or a deleted one, is 404. */
    SiteView current(String projectId, String siteId) {
        if (!Ids.hasShape(siteId, SiteId.PREFIX)) {
            throw noSite();
        }
        return sites.findSite(siteId, null).filter(s -> s.projectId().equals(projectId)).orElseThrow(ProjectSites::noSite);
    }

    /** The project's site as it was at that instant, or the current one when {@code at} is null. */
    SiteView asOf(String projectId, String siteId, Instant at) {
        if (at == null) {
            return current(projectId, siteId);
        }
        return sites.findSite(siteId, at).filter(s -> s.projectId().equals(projectId)).orElseThrow(ProjectSites::noSite);
    }

    /** 404 unless the site exists or existed in the project (a deleted site's history and deploys stay readable). */
    void requireKnown(String projectId, String siteId) {
        if (!Ids.hasShape(siteId, SiteId.PREFIX)
                || sites.lastSiteVersion(siteId).filter(s -> s.projectId().equals(projectId)).isEmpty()) {
            throw noSite();
        }
    }

    private static BaserDbException noSite() {
        return BaserDbException.notFound("Site");
    }
}
