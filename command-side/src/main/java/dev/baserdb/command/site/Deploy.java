package dev.baserdb.command.site;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import dev.baserdb.kernel.site.DeployCommands.AddDeployFile;
import dev.baserdb.kernel.site.DeployCommands.FinalizeDeploy;
import dev.baserdb.kernel.site.DeployCommands.OpenDeploy;
import dev.baserdb.kernel.site.DeployCommands.PublishDeploy;
import dev.baserdb.kernel.site.DeployCommands.RemoveDeployFile;
import dev.baserdb.kernel.site.DeployCommands.RollBackToDeploy;
import dev.baserdb.kernel.site.DeployCommands.UploadDeploy;
import dev.baserdb.kernel.site.DeployEvents.DeployFileAdded;
import dev.baserdb.kernel.site.DeployEvents.DeployFileRemoved;
import dev.baserdb.kernel.site.DeployEvents.DeployFinalized;
import dev.baserdb.kernel.site.DeployEvents.DeployOpened;
import dev.baserdb.kernel.site.DeployEvents.DeployPublished;
import dev.baserdb.kernel.site.DeployEvents.DeployRolledBack;
import dev.baserdb.kernel.site.DeployEvents.DeployUploaded;
import dev.baserdb.kernel.site.DeployFile;
import dev.baserdb.kernel.site.SitePaths;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One deploy of a site: its files while it is pending, then a fixed set in staging, then each time
 * it is made live. A deploy is published once; making it live again later is a rollback.
 */
@Aggregate
class Deploy {

    enum Status { PENDING, STAGING }

    @AggregateIdentifier
    private DeployId deployId;
    private SiteId siteId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private Status status;
    private final Map<String, Long> sizes = new HashMap<>();
    private boolean published;

    Deploy() {
        // for Axon
    }

    @CommandHandler
    Deploy(UploadDeploy command) {
        List<DeployFile> files = command.files();
        if (files == null || files.isEmpty()) {
            throw new BaserDbException(ErrorCode.UNPROCESSABLE, "The archive holds no files");
        }
        if (files.size() > SitePaths.MAX_FILES) {
            throw BaserDbException.invalid("zipfile", "must hold at most " + SitePaths.MAX_FILES + " files");
        }
        Set<String> paths = new HashSet<>();
        long total = 0;
        for (DeployFile file : files) {
            requireAcceptable(file);
            if (!paths.add(file.path())) {
                throw BaserDbException.invalid("zipfile", "holds " + file.path() + " twice");
            }
            total += file.size();
        }
        requireTotal(total);
        apply(new DeployUploaded(command.deployId(), command.siteId(), command.projectId(), command.organizationId(),
                label(command.label()), List.copyOf(files), total));
    }

    @CommandHandler
    Deploy(OpenDeploy command) {
        apply(new DeployOpened(command.deployId(), command.siteId(), command.projectId(), command.organizationId(),
                label(command.label())));
    }

    @CommandHandler
    void handle(AddDeployFile command) {
        requirePending();
        requireAcceptable(command.file());
        long total = totalSize() - sizes.getOrDefault(command.file().path(), 0L) + command.file().size();
        requireTotal(total);
        if (!sizes.containsKey(command.file().path()) && sizes.size() >= SitePaths.MAX_FILES) {
            throw BaserDbException.conflict("A deploy holds at most " + SitePaths.MAX_FILES + " files");
        }
        apply(new DeployFileAdded(deployId, siteId, projectId, organizationId, command.file()));
    }

    @CommandHandler
    void handle(RemoveDeployFile command) {
        requirePending();
        if (!sizes.containsKey(command.path())) {
            throw BaserDbException.notFound("File");
        }
        apply(new DeployFileRemoved(deployId, siteId, projectId, organizationId, command.path()));
    }

    @CommandHandler
    void handle(FinalizeDeploy command) {
        requirePending();
        if (sizes.isEmpty()) {
            throw new BaserDbException(ErrorCode.UNPROCESSABLE, "The deploy has no files");
        }
        apply(new DeployFinalized(deployId, siteId, projectId, organizationId, sizes.size(), totalSize()));
    }

    @CommandHandler
    void handle(PublishDeploy command) {
        if (status != Status.STAGING) {
            throw BaserDbException.conflict("Only a deploy in staging can be published (finalize it first)");
        }
        if (published) {
            throw BaserDbException.conflict("This deploy was published before: roll back to it instead");
        }
        apply(new DeployPublished(deployId, siteId, projectId, organizationId));
    }

    @CommandHandler
    void handle(RollBackToDeploy command) {
        if (!published) {
            throw BaserDbException.conflict("Only a deploy that was live before can be rolled back to");
        }
        apply(new DeployRolledBack(deployId, siteId, projectId, organizationId));
    }

    private void requirePending() {
        if (status != Status.PENDING) {
            throw BaserDbException.conflict("The deploy is no longer pending: its files are fixed");
        }
    }

    private static void requireAcceptable(DeployFile file) {
        String problem = SitePaths.problem(file.path());
        if (problem != null) {
            throw BaserDbException.invalid("path", file.path() + ": " + problem);
        }
        if (SitePaths.executableName(file.path())) {
            throw BaserDbException.invalid("path", file.path() + ": executables are not accepted");
        }
    }

    private static void requireTotal(long total) {
        if (total > SitePaths.MAX_BYTES) {
            throw new BaserDbException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "A deploy holds at most " + SitePaths.MAX_BYTES + " bytes");
        }
    }

    private long totalSize() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String label(String label) {
        return label == null || label.isBlank() ? null : label.trim();
    }

    @EventSourcingHandler
    void on(DeployUploaded event) {
        deployId = event.deployId();
        siteId = event.siteId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        status = Status.STAGING;
        event.files().forEach(file -> sizes.put(file.path(), file.size()));
    }

    @EventSourcingHandler
    void on(DeployOpened event) {
        deployId = event.deployId();
        siteId = event.siteId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        status = Status.PENDING;
    }

    @EventSourcingHandler
    void on(DeployFileAdded event) {
        sizes.put(event.file().path(), event.file().size());
    }

    @EventSourcingHandler
    void on(DeployFileRemoved event) {
        sizes.remove(event.path());
    }

    @EventSourcingHandler
    void on(DeployFinalized event) {
        status = Status.STAGING;
    }

    @EventSourcingHandler
    void on(DeployPublished event) {
        published = true;
    }
}
