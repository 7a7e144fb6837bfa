package dev.baserdb.api.storage;

import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Principals;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.project.ProjectView;
import dev.baserdb.query.storage.BucketView;
import dev.baserdb.query.storage.StorageDirectory;
import dev.baserdb.query.storage.StoredFileView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * Object downloads (API.md §11): a public bucket's files to anyone; a private bucket's with a signed
 * URL, or to a caller who may read the project. A signature is checked before anything is looked
 * up, so a changed path is 403 whether or not it names another file. Types a browser could run
 * script in are sent as attachments, under a sandboxing Content-Security-Policy.
 */
@RestController
@Tag(name = "storage")
class DownloadController {

    private final StorageDirectory storage;
    private final ProjectAccess projects;
    private final Authorization authorization;
    private final SignedUrls signedUrls;
    private final BlobDownloads downloads;

    DownloadController(StorageDirectory storage, ProjectAccess projects, Authorization authorization,
                       SignedUrls signedUrls, BlobDownloads downloads) {
        this.storage = storage;
        this.projects = projects;
        this.authorization = authorization;
        this.signedUrls = signedUrls;
        this.downloads = downloads;
    }

    @Operation(operationId = "downloadFile", summary = "Read a file: public buckets without auth, private ones with a signed URL or credentials; single ranges")
    @GetMapping("/api/v1/storage/{projectId}/{bucket}/**")
    void downloadFile(@PathVariable String projectId, @PathVariable("bucket") String bucketName,
                      @RequestParam(name = SignedUrls.EXPIRES, required = false) String expires,
                      @RequestParam(name = SignedUrls.SIGNATURE, required = false) String signature,
                      HttpServletRequest request, HttpServletResponse response) throws IOException {
        String prefix = StorageController.DOWNLOAD_PREFIX + projectId + "/" + bucketName + "/";
        boolean signed = expires != null || signature != null;
        if (signed) {
            signedUrls.verify(request.getRequestURI(), expires, signature);
        }
        String name = StorageController.objectName(request, prefix);
        ProjectView project = projects.find(projectId);
        BucketView bucket = storage.findBucket(project.id(), bucketName, null)
                .orElseThrow(() -> BaserDbException.notFound("File"));
        if (!bucket.isPublic() && !signed) {
            Principal principal = Principals.of(request);
            if (principal == null) {
                if (request.getAttribute(Principals.FAILURE) instanceof BaserDbException refused) {
                    throw refused;
                }
                // Without credentials a private bucket is indistinguishable from none.
                throw BaserDbException.notFound("File");
            }
            authorization.requireProject(principal, project, Permission.READ_ORGANIZATION);
        }
        StoredFileView file = storage.findFile(bucket.id(), name, null)
                .orElseThrow(() -> BaserDbException.notFound("File"));
        boolean inline = ContentTypes.inline(file.contentType());
        String leaf = name.substring(name.lastIndexOf('/') + 1);
        response.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
        downloads.send(request, response, new BlobDownloads.Blob(file.sha256(), file.size(), file.contentType(),
                bucket.isPublic() && !signed ? "public, max-age=300" : "private, max-age=300",
                inline ? null : "attachment; filename=\"" + leaf + "\""));
    }
}
