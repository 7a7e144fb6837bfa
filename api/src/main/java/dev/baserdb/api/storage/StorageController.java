package dev.baserdb.api.storage;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.BucketId;
import dev.baserdb.kernel.storage.BucketCommands.DeleteFile;
import dev.baserdb.kernel.storage.BucketCommands.UploadFile;
import dev.baserdb.kernel.storage.ObjectNames;
import dev.baserdb.query.storage.BucketView;
import dev.baserdb.query.storage.StorageDirectory;
import dev.baserdb.query.storage.StoredFileView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Files of a bucket (API.md §11): multipart upload streamed into the blob store while hashed and
 * measured, checked against the bucket before it becomes visible; list (as of an instant); delete;
 * signed URLs of private objects.
 */
@RestController
@RequestMapping(path = "/api/v1/projects/{projectId}/storage/{bucket}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "storage")
class StorageController {

    static final String DOWNLOAD_PREFIX = "/api/v1/storage/";

    private final Commands commands;
    private final StorageDirectory storage;
    private final ProjectAccess projects;
    private final BlobStore blobs;
    private final ContentTypes contentTypes;
    private final SignedUrls signedUrls;
    private final Clock clock;
    private final String publicUrl;

    StorageController(Commands commands, StorageDirectory storage, ProjectAccess projects, BlobStore blobs,
                      ContentTypes contentTypes, SignedUrls signedUrls, Clock clock, BaserDbProperties properties) {
        this.commands = commands;
        this.storage = storage;
        this.projects = projects;
        this.blobs = blobs;
        this.contentTypes = contentTypes;
        this.signedUrls = signedUrls;
        this.clock = clock;
        this.publicUrl = properties.publicUrl().replaceAll("/+$", "");
    }

    @Operation(operationId = "uploadFile", summary = "Upload a file (multipart field `file`, optional `name`); its type is sniffed from the bytes")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Envelope> uploadFile(Principal principal, @PathVariable String projectId,
                                        @PathVariable("bucket") String bucketName, HttpServletRequest request)
            throws IOException {
        projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        BucketView bucket = bucket(projectId, bucketName);
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw new BaserDbException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the file as multipart/form-data");
        }
        MultipartFile file = multipart.getFile("file");
        if (file == null) {
            throw BaserDbException.invalid("file", "is required (a multipart file field)");
        }
        String given = request.getParameter("name");
        String name = given != null ? given : file.getOriginalFilename();
        String problem = ObjectNames.problem(name);
        if (problem != null) {
            throw BaserDbException.invalid("name", problem);
        }
        if (ObjectNames.blocked(name)) {
            throw new BaserDbException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Files named like this are not accepted",
                    Map.of("name", "must not end with " + String.join(" ", ObjectNames.BLOCKED_EXTENSIONS)));
        }
        StoredFileView stored;
        try (InputStream in = file.getInputStream();
             BlobStore.PendingBlob blob = blobs.receive(in, bucket.maxFileSize())) {
            String type = contentTypes.sniff(blob.head(), name);
            if (!ObjectNames.allowed(type, bucket.allowedMimeTypes())) {
                throw new BaserDbException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "The file's content type (" + type + ") is not allowed in this bucket");
            }
            // Visible before the event: an orphan blob (the command refused) costs disk, never a broken read.
            blob.commit();
            commands.send(new UploadFile(new BucketId(bucket.id()), name, blob.size(), blob.sha256(), type));
            stored = storage.findFile(bucket.id(), name, null).orElseThrow();
        } catch (BlobStore.BlobTooLargeException e) {
            throw new BaserDbException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The file is larger than the bucket's max_file_size of " + bucket.maxFileSize() + " bytes");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.success(body(projectId, bucket, stored)));
    }

    @Operation(operationId = "listFiles", summary = "The bucket's files, now or as of an instant (`prefix` narrows them)")
    @GetMapping
    ResponseEntity<Envelope> listFiles(Principal principal, @PathVariable String projectId,
                                       @PathVariable("bucket") String bucketName,
                                       @RequestParam(required = false) String prefix,
                                       @RequestParam(name = "as_of", required = false) String asOf,
                                       @RequestParam(required = false) Integer limit,
                                       @RequestParam(required = false) Integer offset) {
        Instant at = Responses.asOf(asOf);
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        BucketView bucket = storage.findBucket(projectId, bucketName, at)
                .orElseThrow(() -> BaserDbException.notFound("Bucket"));
        return Responses.page(storage.filesOf(bucket.id(), prefix, at, Responses.pageRequest(limit, offset)), at,
                file -> body(projectId, bucket, file));
    }

    @Operation(operationId = "deleteFile", summary = "Delete a file; its blob stays readable in the bucket's history")
    @DeleteMapping("/**")
    ResponseEntity<Envelope> deleteFile(Principal principal, @PathVariable String projectId,
                                        @PathVariable("bucket") String bucketName, HttpServletRequest request) {
        projects.require(principal, projectId, Permission.DELETE_SCHEMA);
        BucketView bucket = bucket(projectId, bucketName);
        String name = objectName(request, "/api/v1/projects/" + projectId + "/storage/" + bucketName + "/");
        StoredFileView file = storage.findFile(bucket.id(), name, null)
                .orElseThrow(() -> BaserDbException.notFound("File"));
        commands.send(new DeleteFile(new BucketId(bucket.id()), name));
        return Envelope.ok(body(projectId, bucket, file));
    }

    @Operation(operationId = "signFileUrl", summary = "A signed URL that reads one file of a private bucket until it expires (at most 7 days)")
    @PostMapping(path = "/sign", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> signFileUrl(Principal principal, @PathVariable String projectId,
                                         @PathVariable("bucket") String bucketName,
                                         @Valid @RequestBody StorageRequests.SignatureRequest body) {
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        BucketView bucket = bucket(projectId, bucketName);
        String problem = ObjectNames.problem(body.name());
        if (problem != null) {
            throw BaserDbException.invalid("name", problem);
        }
        storage.findFile(bucket.id(), body.name(), null).orElseThrow(() -> BaserDbException.notFound("File"));
        Instant expiresAt = clock.instant().plusSeconds(body.expiresIn());
        String path = objectPath(projectId, bucket.name(), body.name());
        return Envelope.ok(new StorageResponses.SignedUrlBody(publicUrl + path + "?" + signedUrls.sign(path, expiresAt),
                expiresAt));
    }

    private BucketView bucket(String projectId, String name) {
        return storage.findBucket(projectId, name, null).orElseThrow(() -> BaserDbException.notFound("Bucket"));
    }

    private StorageResponses.StoredFileBody body(String projectId, BucketView bucket, StoredFileView file) {
        return new StorageResponses.StoredFileBody(file.name(), bucket.name(), file.size(), file.sha256(),
                file.contentType(), publicUrl + objectPath(projectId, bucket.name(), file.name()), file.uploadedAt());
    }

    /** The object's path under {@code /api/v1/storage}; names are of URL-safe characters only. */
    static String objectPath(String projectId, String bucket, String name) {
        return DOWNLOAD_PREFIX + projectId + "/" + bucket + "/" + name;
    }

    /** The object name that follows {@code prefix} in the request's raw path, decoded once and checked. */
    static String objectName(HttpServletRequest request, String prefix) {
        String raw = request.getRequestURI();
        if (!raw.startsWith(prefix) || raw.length() == prefix.length()) {
            throw BaserDbException.notFound("File");
        }
        String name = UriUtils.decode(raw.substring(prefix.length()), StandardCharsets.UTF_8);
        String problem = ObjectNames.problem(name);
        if (problem != null) {
            throw BaserDbException.invalid("name", problem);
        }
        return name;
    }
}
