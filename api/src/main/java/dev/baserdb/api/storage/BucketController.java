package dev.baserdb.api.storage;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.BucketId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.storage.BucketCommands.CreateBucket;
import dev.baserdb.kernel.storage.BucketCommands.DeleteBucket;
import dev.baserdb.kernel.storage.BucketCommands.UpdateBucket;
import dev.baserdb.kernel.storage.ObjectNames;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.platform.AggregateVersions;
import dev.baserdb.query.project.ProjectView;
import dev.baserdb.query.storage.BucketView;
import dev.baserdb.query.storage.StorageDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * Buckets of a project (API.md §11), addressed by name. They need the permissions of tables (§4):
 * reading them the organization's read permission, creating and changing them the right to change
 * the project's schema, deleting them the right to delete it.
 */
@RestController
@RequestMapping(path = "/api/v1/projects/{projectId}/buckets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "storage")
class BucketController {

    private final Commands commands;
    private final StorageDirectory storage;
    private final ProjectAccess projects;
    private final AggregateVersions versions;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;

    BucketController(Commands commands, StorageDirectory storage, ProjectAccess projects, AggregateVersions versions,
                     ResourceHistory history, HistoryResponses historyResponses) {
        this.commands = commands;
        this.storage = storage;
        this.projects = projects;
        this.versions = versions;
        this.history = history;
        this.historyResponses = historyResponses;
    }

    @Operation(operationId = "listBuckets", summary = "The project's buckets, now or as of an instant")
    @GetMapping
    ResponseEntity<Envelope> listBuckets(Principal principal, @PathVariable String projectId,
                                         @RequestParam(name = "as_of", required = false) String asOf,
                                         @RequestParam(required = false) Integer limit,
                                         @RequestParam(required = false) Integer offset) {
        Instant at = Responses.asOf(asOf);
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        return Responses.page(storage.bucketsOf(projectId, at, Responses.pageRequest(limit, offset)), at,
                StorageResponses.BucketBody::of);
    }

    @Operation(operationId = "createBucket", summary = "Create a bucket: public or private, its file size limit and allowed types")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> createBucket(Principal principal, @PathVariable String projectId,
                                          @Valid @RequestBody StorageRequests.NewBucket body) {
        ProjectView project = projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        if (storage.findBucket(projectId, body.name(), null).isPresent()) {
            throw BaserDbException.conflict("The project already has a bucket named " + body.name());
        }
        BucketId id = BucketId.generate();
        commands.send(new CreateBucket(id, new ProjectId(project.id()), new OrganizationId(project.organizationId()),
                body.name(), Boolean.TRUE.equals(body.isPublic()),
                body.maxFileSize() == null ? ObjectNames.DEFAULT_MAX_FILE_SIZE : body.maxFileSize(),
                types(body.allowedMimeTypes())));
        return Responses.created(versions.current(id.value()), StorageResponses.BucketBody.of(bucket(projectId, body.name())));
    }

    @Operation(operationId = "getBucket", summary = "Read a bucket, now or as of an instant")
    @GetMapping("/{name}")
    ResponseEntity<Envelope> getBucket(Principal principal, @PathVariable String projectId, @PathVariable String name,
                                       @RequestParam(name = "as_of", required = false) String asOf,
                                       HttpServletRequest request) {
        Instant at = Responses.asOf(asOf);
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        BucketView bucket = storage.findBucket(projectId, name, at).orElseThrow(BucketController::noBucket);
        // Uploads move the bucket's version too: the ETag is the aggregate's, as If-Match expects. The
        // version is read before the view it goes with (so the bucket is read again): a write committing
        // in between gives a stale ETag (a later If-Match is 412), never a body older than its ETag.
        long version = at == null ? versions.current(bucket.id()) : bucket.version();
        if (at == null) {
            bucket = storage.findBucket(projectId, name, null).orElseThrow(BucketController::noBucket);
        }
        return Responses.resource(request, version, at, StorageResponses.BucketBody.of(bucket));
    }

    @Operation(operationId = "updateBucket", summary = "Change a bucket's visibility, file size limit or allowed types")
    @PatchMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> updateBucket(Principal principal, @PathVariable String projectId, @PathVariable String name,
                                          @Valid @RequestBody StorageRequests.BucketChanges body,
                                          HttpServletRequest request) {
        projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        BucketView bucket = bucket(projectId, name);
        Long expected = Responses.ifMatch(request, versions.current(bucket.id()));
        commands.send(new UpdateBucket(new BucketId(bucket.id()),
                body.isPublic() == null ? bucket.isPublic() : body.isPublic(),
                body.maxFileSize() == null ? bucket.maxFileSize() : body.maxFileSize(),
                body.allowedMimeTypes() == null ? bucket.allowedMimeTypes() : types(body.allowedMimeTypes()),
                expected));
        BucketView updated = bucket(projectId, name);
        return ResponseEntity.ok().eTag(Responses.etag(versions.current(updated.id())))
                .body(Envelope.success(StorageResponses.BucketBody.of(updated)));
    }

    @Operation(operationId = "deleteBucket", summary = "Delete a bucket; its files stay in its history")
    @DeleteMapping("/{name}")
    ResponseEntity<Envelope> deleteBucket(Principal principal, @PathVariable String projectId, @PathVariable String name,
                                          HttpServletRequest request) {
        projects.require(principal, projectId, Permission.DELETE_SCHEMA);
        BucketView bucket = bucket(projectId, name);
        Long expected = Responses.ifMatch(request, versions.current(bucket.id()));
        commands.send(new DeleteBucket(new BucketId(bucket.id()), expected));
        return Envelope.ok(StorageResponses.BucketBody.of(bucket));
    }

    @Operation(operationId = "bucketHistory", summary = "The bucket's events (settings, uploads, deletes) with their actors")
    @GetMapping("/{name}/history")
    ResponseEntity<Envelope> bucketHistory(Principal principal, @PathVariable String projectId,
                                           @PathVariable String name) {
        projects.require(principal, projectId, Permission.READ_AUDIT);
        return historyResponses.of(history.of(bucket(projectId, name).id()));
    }

    private BucketView bucket(String projectId, String name) {
        return storage.findBucket(projectId, name, null).orElseThrow(BucketController::noBucket);
    }

    private static List<String> types(List<String> types) {
        return types == null || types.isEmpty() ? null : types.stream().distinct().toList();
    }

    private static BaserDbException noBucket() {
        return BaserDbException.notFound("Bucket");
    }
}
