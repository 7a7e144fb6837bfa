package dev.baserdb.api.site;

import dev.baserdb.api.storage.BlobDownloads;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.site.SitePaths;
import dev.baserdb.query.site.DeployFileView;
import dev.baserdb.query.site.SiteDirectory;
import dev.baserdb.query.site.SiteView;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves sites (API.md §12): {@code /sites/{subdomain}/…} from the live deploy (404 before any
 * publish), {@code /sites/{subdomain}/_staging/…} from the newest staged one. A path is looked up
 * among the deploy's files by name, never on a file system, so nothing outside the deploy can be
 * reached; a directory serves its {@code index.html}, and an unknown path is 404, or the root
 * {@code index.html} in {@code spa_mode}.
 */
@RestController
@Hidden
class SiteServingController {

    private static final String STAGING = "_staging";
    private static final String INDEX = "index.html";

    private final SiteDirectory sites;
    private final BlobDownloads downloads;

    SiteServingController(SiteDirectory sites, BlobDownloads downloads) {
        this.sites = sites;
        this.downloads = downloads;
    }

    @GetMapping({"/sites/{subdomain}", "/sites/{subdomain}/**"})
    void serveSite(@PathVariable String subdomain, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        SiteView site = SitePaths.SUBDOMAIN.matcher(subdomain).matches()
                ? sites.findBySubdomain(subdomain).orElseThrow(SiteServingController::notFound) : null;
        if (site == null) {
            throw notFound();
        }
        String prefix = "/sites/" + subdomain;
        String raw = request.getRequestURI();
        if (raw.equals(prefix)) {
            response.sendRedirect(prefix + "/");
            return;
        }
        if (!raw.startsWith(prefix + "/")) {
            throw notFound(); // the subdomain was percent-encoded: not a site's address
        }
        String rest = UriUtils.decode(raw.substring(prefix.length() + 1), StandardCharsets.UTF_8);
        boolean staging = rest.equals(STAGING) || rest.startsWith(STAGING + "/");
        if (rest.equals(STAGING)) {
            response.sendRedirect(prefix + "/" + STAGING + "/");
            return;
        }
        String path = staging ? rest.substring(STAGING.length() + 1) : rest;
        String deployId = staging ? sites.stagedDeploy(site.id()).orElseThrow(SiteServingController::notFound)
                : site.liveDeployId();
        if (deployId == null) {
            throw notFound();
        }
        if (path.isEmpty() || path.endsWith("/")) {
            path = path + INDEX;
        }
        Optional<DeployFileView> file = SitePaths.problem(path) == null ? sites.file(deployId, path) : Optional.empty();
        if (file.isEmpty() && SitePaths.problem(path) == null && sites.file(deployId, path + "/" + INDEX).isPresent()) {
            response.sendRedirect(raw + "/");
            return;
        }
        if (file.isEmpty() && site.spaMode()) {
            file = sites.file(deployId, INDEX);
        }
        DeployFileView served = file.orElseThrow(SiteServingController::notFound);
        downloads.send(request, response, new BlobDownloads.Blob(served.sha256(), served.size(), served.contentType(),
                staging ? "no-cache" : "public, max-age=0, must-revalidate", null));
    }

    private static BaserDbException notFound() {
        return BaserDbException.notFound("Page");
    }
}
