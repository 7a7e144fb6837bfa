package dev.baserdb.api.site;

import dev.baserdb.query.site.DeployView;
import dev.baserdb.query.site.SiteView;

import java.time.Instant;
import java.util.List;

/** Response bodies of the site and deploy routes (API.md §12). */
final class SiteResponses {

    private SiteResponses() {
    }

    record SiteBody(String id, String projectId, String subdomain, boolean spaMode, String liveDeployId, String url,
                    String stagingUrl, Instant createdAt) {

        static SiteBody of(SiteView view, String publicUrl) {
            String url = publicUrl + "/sites/" + view.subdomain() + "/";
            return new SiteBody(view.id(), view.projectId(), view.subdomain(), view.spaMode(), view.liveDeployId(), url,
                    url + "_staging/", view.createdAt());
        }
    }

    record ActorBody(String type, String id) {
    }

    record DeployBody(String id, String siteId, String label, String status, int files, long sizeBytes,
                      Instant createdAt, Instant publishedAt, ActorBody actor) {

        static DeployBody of(DeployView view) {
            return new DeployBody(view.id(), view.siteId(), view.label(), view.status(), view.files(), view.sizeBytes(),
                    view.createdAt(), view.publishedAt(), new ActorBody(view.actorType(), view.actorId()));
        }
    }

    record DeployFileBody(String path, String sha256, long size, String contentType) {
    }

    record DeployDiff(List<String> added, List<String> removed, List<String> modified, List<String> unchanged) {
    }
}
