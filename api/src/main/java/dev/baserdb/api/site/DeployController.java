package dev.baserdb.api.site;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.api.storage.BlobStore;
import dev.baserdb.api.storage.ContentTypes;
import dev.baserdb.api.storage.ProjectAccess;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import dev.baserdb.kernel.site.DeployCommands.AddDeployFile;
import dev.baserdb.kernel.site.DeployCommands.FinalizeDeploy;
import dev.baserdb.kernel.site.DeployCommands.OpenDeploy;
import dev.baserdb.kernel.site.DeployCommands.PublishDeploy;
import dev.baserdb.kernel.site.DeployCommands.RemoveDeployFile;
import dev.baserdb.kernel.site.DeployCommands.UploadDeploy;
import dev.baserdb.kernel.site.DeployFile;
import dev.baserdb.kernel.site.SiteCommands.ChangeLiveDeploy;
import dev.baserdb.kernel.site.SitePaths;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.project.ProjectView;
import dev.baserdb.query.site.DeployFileView;
import dev.baserdb.query.site.DeployView;
import dev.baserdb.query.site.SiteDirectory;
import dev.baserdb.query.site.SiteView;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Deploys of a site (API.md §12): a zip archive checked whole and unpacked into the blob store, or
 * a pending deploy filled file by file and finalized; publish; diff by SHA-256. A deploy's files
 * become visible only once its event is recorded.
 */
@RestController
@RequestMapping(path = "/api/v1/projects/{projectId}/sites/{siteId}/deploys", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sites")
class DeployController {

    private final Commands commands;
    private final SiteDirectory sites;
    private final ProjectAccess projects;
    private final ProjectSites projectSites;
    private final ZipArchives archives;
    private final BlobStore blobs;
    private final ContentTypes contentTypes;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;
    private final Path uploadDir;

    DeployController(Commands commands, SiteDirectory sites, ProjectAccess projects, ProjectSites projectSites,
                     ZipArchives archives, BlobStore blobs, ContentTypes contentTypes, ResourceHistory history,
                     HistoryResponses historyResponses, BaserDbProperties properties) {
        this.commands = commands;
        this.sites = sites;
        this.projects = projects;
        this.projectSites = projectSites;
        this.archives = archives;
        this.blobs = blobs;
        this.contentTypes = contentTypes;
        this.history = history;
        this.historyResponses = historyResponses;
        this.uploadDir = properties.uploadDir();
    }

    @Operation(operationId = "uploadDeploy", summary = "Upload a zip archive (multipart `zipfile`, `label`): checked whole, then a deploy in staging")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Envelope> uploadDeploy(Principal principal, @PathVariable String projectId,
                                          @PathVariable String siteId, HttpServletRequest request) throws IOException {
        ProjectView project = projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        SiteView site = projectSites.current(projectId, siteId);
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw new BaserDbException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the archive as multipart/form-data");
        }
        MultipartFile zipfile = multipart.getFile("zipfile");
        if (zipfile == null) {
            throw BaserDbException.invalid("zipfile", "is required (a multipart file field)");
        }
        String label = request.getParameter("label");
        if (label != null && label.length() > 200) {
            throw BaserDbException.invalid("label", "must be at most 200 characters");
        }
        DeployId id = DeployId.generate();
        // Beside the multipart spool, where the blob cleanup removes what a crash leaves behind.
        Path archive = Files.createTempFile(uploadDir, "deploy-", ".zip");
        try {
            try (InputStream in = zipfile.getInputStream()) {
                Files.copy(in, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            try (ZipArchives.Unpacked unpacked = archives.unpack(archive)) {
                unpacked.commit();
                commands.send(new UploadDeploy(id, new SiteId(site.id()), new ProjectId(project.id()),
                        new OrganizationId(project.organizationId()), label, unpacked.files()));
            }
        } finally {
            Files.deleteIfExists(archive);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.success(body(deploy(siteId, id.value()))));
    }

    @Operation(operationId = "listDeploys", summary = "The site's deploys, newest first, now or as of an instant")
    @GetMapping
    ResponseEntity<Envelope> listDeploys(Principal principal, @PathVariable String projectId,
                                         @PathVariable String siteId,
                                         @RequestParam(name = "as_of", required = false) String asOf,
                                         @RequestParam(required = false) Integer limit,
                                         @RequestParam(required = false) Integer offset) {
        Instant at = Responses.asOf(asOf);
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        SiteView site = projectSites.asOf(projectId, siteId, at);
        return Responses.page(sites.deploysOf(site.id(), at, Responses.pageRequest(limit, offset)), at,
                SiteResponses.DeployBody::of);
    }

    @Operation(operationId = "openDeploy", summary = "Open a pending deploy to add files to one by one")
    @PostMapping("/open")
    ResponseEntity<Envelope> openDeploy(Principal principal, @PathVariable String projectId, @PathVariable String siteId,
                                        @Valid @RequestBody(required = false) SiteRequests.NewPendingDeploy body) {
        ProjectView project = projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        SiteView site = projectSites.current(projectId, siteId);
        DeployId id = DeployId.generate();
        commands.send(new OpenDeploy(id, new SiteId(site.id()), new ProjectId(project.id()),
                new OrganizationId(project.organizationId()), body == null ? null : body.label()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.success(body(deploy(siteId, id.value()))));
    }

    @Operation(operationId = "getDeploy", summary = "Read a deploy, now or as of an instant")
    @GetMapping("/{deployId}")
    ResponseEntity<Envelope> getDeploy(Principal principal, @PathVariable String projectId,
                                       @PathVariable String siteId, @PathVariable String deployId,
                                       @RequestParam(name = "as_of", required = false) String asOf) {
        Instant at = Responses.asOf(asOf);
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        projectSites.requireKnown(projectId, siteId);
        DeployView deploy = sites.findDeploy(deployId, at).filter(d -> d.siteId().equals(siteId))
                .orElseThrow(DeployController::noDeploy);
        ResponseEntity<Envelope> answer = Envelope.ok(body(deploy));
        if (at != null && answer.getBody() != null) {
            answer.getBody().meta().put("as_of", at);
        }
        return answer;
    }

    @Operation(operationId = "addDeployFile", summary = "Add or replace one file of a pending deploy (raw body, `path` query parameter)")
    @PutMapping(path = "/{deployId}/files", consumes = MediaType.ALL_VALUE)
    ResponseEntity<Envelope> addDeployFile(Principal principal, @PathVariable String projectId,
                                           @PathVariable String siteId, @PathVariable String deployId,
                                           @RequestParam String path, HttpServletRequest request) throws IOException {
        DeployView deploy = changing(principal, projectId, siteId, deployId);
        if (!deploy.pending()) {
            throw BaserDbException.conflict("Files can only be added to a pending deploy");
        }
        String problem = SitePaths.problem(path);
        if (problem != null) {
            throw BaserDbException.invalid("path", problem);
        }
        if (SitePaths.executableName(path)) {
            throw BaserDbException.invalid("path", "executables are not accepted");
        }
        DeployFile file;
        try (InputStream in = request.getInputStream();
             BlobStore.PendingBlob blob = blobs.receive(in, SitePaths.MAX_BYTES)) {
            byte[] head = blob.head();
            if (SitePaths.executableMagic(head, head.length)) {
                throw BaserDbException.invalid("path", "the file is a program (ELF, PE or Mach-O)");
            }
            file = new DeployFile(path, blob.sha256(), blob.size(), contentTypes.sniff(head, path));
            blob.commit();
        } catch (BlobStore.BlobTooLargeException e) {
            throw new BaserDbException(ErrorCode.PAYLOAD_TOO_LARGE, "A deploy file holds at most " + SitePaths.MAX_BYTES + " bytes");
        }
        commands.send(new AddDeployFile(new DeployId(deployId), file));
        return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.success(file(file)));
    }

    @Operation(operationId = "listDeployFiles", summary = "The deploy's files with their SHA-256")
    @GetMapping("/{deployId}/files")
    ResponseEntity<Envelope> listDeployFiles(Principal principal, @PathVariable String projectId,
                                             @PathVariable String siteId, @PathVariable String deployId) {
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        projectSites.requireKnown(projectId, siteId);
        deploy(siteId, deployId);
        return Envelope.list(sites.files(deployId).stream().map(f -> file(f)).toList());
    }

    @Operation(operationId = "removeDeployFile", summary = "Remove one file of a pending deploy")
    @DeleteMapping("/{deployId}/files")
    ResponseEntity<Envelope> removeDeployFile(Principal principal, @PathVariable String projectId,
                                              @PathVariable String siteId, @PathVariable String deployId,
                                              @RequestParam String path) {
        DeployView deploy = changing(principal, projectId, siteId, deployId);
        if (!deploy.pending()) {
            throw BaserDbException.conflict("Files can only be removed from a pending deploy");
        }
        commands.send(new RemoveDeployFile(new DeployId(deployId), path));
        return Envelope.ok(body(deploy(siteId, deployId)));
    }

    @Operation(operationId = "finalizeDeploy", summary = "Fix a pending deploy's files: it moves to staging (422 if it has none)")
    @PostMapping("/{deployId}/finalize")
    ResponseEntity<Envelope> finalizeDeploy(Principal principal, @PathVariable String projectId,
                                            @PathVariable String siteId, @PathVariable String deployId) {
        changing(principal, projectId, siteId, deployId);
        commands.send(new FinalizeDeploy(new DeployId(deployId)));
        return Envelope.ok(body(deploy(siteId, deployId)));
    }

    @Operation(operationId = "publishDeploy", summary = "Make a staged deploy live; the previous live one becomes superseded")
    @PostMapping("/{deployId}/publish")
    ResponseEntity<Envelope> publishDeploy(Principal principal, @PathVariable String projectId,
                                           @PathVariable String siteId, @PathVariable String deployId) {
        changing(principal, projectId, siteId, deployId);
        commands.inOneTransaction(() -> {
            commands.send(new PublishDeploy(new DeployId(deployId)));
            return commands.send(new ChangeLiveDeploy(new SiteId(siteId), new DeployId(deployId), false));
        });
        return Envelope.ok(body(deploy(siteId, deployId)));
    }

    @Operation(operationId = "diffDeploys", summary = "What changes going from deploy `vs` to this one, by SHA-256")
    @GetMapping("/{deployId}/diff")
    ResponseEntity<Envelope> diffDeploys(Principal principal, @PathVariable String projectId,
                                         @PathVariable String siteId, @PathVariable String deployId,
                                         @RequestParam String vs) {
        projects.require(principal, projectId, Permission.READ_ORGANIZATION);
        projectSites.requireKnown(projectId, siteId);
        deploy(siteId, deployId);
        if (sites.findDeploy(vs, null).filter(d -> d.siteId().equals(siteId)).isEmpty()) {
            throw BaserDbException.invalid("vs", "is not a deploy of this site");
        }
        Map<String, String> to = hashes(deployId);
        Map<String, String> from = hashes(vs);
        List<String> added = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        to.forEach((path, sha) -> {
            String before = from.get(path);
            (before == null ? added : before.equals(sha) ? unchanged : modified).add(path);
        });
        List<String> removed = from.keySet().stream().filter(path -> !to.containsKey(path)).toList();
        return Envelope.ok(new SiteResponses.DeployDiff(added, removed, modified, unchanged));
    }

    @Operation(operationId = "deployHistory", summary = "The deploy's events with their actors")
    @GetMapping("/{deployId}/history")
    ResponseEntity<Envelope> deployHistory(Principal principal, @PathVariable String projectId,
                                           @PathVariable String siteId, @PathVariable String deployId) {
        projects.require(principal, projectId, Permission.READ_AUDIT);
        projectSites.requireKnown(projectId, siteId);
        deploy(siteId, deployId);
        return historyResponses.of(history.of(deployId));
    }

    private Map<String, String> hashes(String deployId) {
        return sites.files(deployId).stream().collect(Collectors.toMap(DeployFileView::path, DeployFileView::sha256,
                (a, b) -> a, java.util.TreeMap::new));
    }

    /** A deploy of the project's site that the caller is about to change (needs WRITE_PROJECTS); 404 if there is none. */
    private DeployView changing(Principal principal, String projectId, String siteId, String deployId) {
        projects.require(principal, projectId, Permission.WRITE_PROJECTS);
        projectSites.current(projectId, siteId);
        return deploy(siteId, deployId);
    }

    private DeployView deploy(String siteId, String deployId) {
        if (!Ids.hasShape(deployId, DeployId.PREFIX)) {
            throw noDeploy();
        }
        return sites.findDeploy(deployId, null).filter(d -> d.siteId().equals(siteId))
                .orElseThrow(DeployController::noDeploy);
    }

    private static SiteResponses.DeployBody body(DeployView view) {
        return SiteResponses.DeployBody.of(view);
    }

    private static SiteResponses.DeployFileBody file(DeployFile file) {
        return new SiteResponses.DeployFileBody(file.path(), file.sha256(), file.size(), file.contentType());
    }

    private static SiteResponses.DeployFileBody file(DeployFileView file) {
        return new SiteResponses.DeployFileBody(file.path(), file.sha256(), file.size(), file.contentType());
    }

    private static BaserDbException noDeploy() {
        return BaserDbException.notFound("Deploy");
    }
}
