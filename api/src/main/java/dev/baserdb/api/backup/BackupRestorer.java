package dev.baserdb.api.backup;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.kernel.backup.BackupCommands.CompleteRestore;
import dev.baserdb.kernel.backup.BackupCommands.FailRestore;
import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.project.GroupCommands.CreateGroup;
import dev.baserdb.kernel.project.GroupEvents;
import dev.baserdb.kernel.project.ProjectCommands.RestoreProjectFromBackup;
import dev.baserdb.query.backup.BackupDirectory;
import dev.baserdb.query.backup.BackupRunView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Executes a restore of a run's archive into a new project (on a scheduler thread, see
 * {@link BackupTasks}). The archive is checked against the run's SHA-256 first, then replayed in ONE
 * transaction: the project, its public group and everything the archive holds commit together, so the
 * new project is readable only once it is complete, and a failed restore leaves nothing behind but
 * the run's record of the failure. Its commands go in {@link CommandBatch batches}: events appended
 * and projected a batch at a time.
 */
@Component
class BackupRestorer {

    private static final Logger log = LoggerFactory.getLogger(BackupRestorer.class);

    /** What a restore needs, handed to the scheduler (the service key only as its hash). */
    record Request(String runId, String restoredProjectId, String name, String slug, String serviceKeyHash,
                   String actorType, String actorId, String impersonatorId, String requestId)
            implements Serializable {
    }

    private final BackupDirectory runs;
    private final BackupArchives archives;
    private final EventPayloads payloads;
    private final Commands commands;

    BackupRestorer(BackupDirectory runs, BackupArchives archives, EventPayloads payloads, Commands commands) {
        this.runs = runs;
        this.archives = archives;
        this.payloads = payloads;
        this.commands = commands;
    }

    void restore(Request request) {
        BackupRunView run = runs.find(request.runId()).orElse(null);
        if (run == null || !"running".equals(run.restoreStatus())
                || !request.restoredProjectId().equals(run.restoredProjectId())) {
            return;
        }
        RequestContext context = new RequestContext(request.requestId(), null, null, request.actorType(),
                request.actorId());
        context.impersonator(request.impersonatorId());
        RequestContext.set(context);
        ProjectId project = new ProjectId(request.restoredProjectId());
        try {
            long replayed;
            try {
                replayed = replay(run, request, project);
            } catch (Exception e) {
                log.warn("Restore of backup run {} into {} failed", run.id(), project, e);
                commands.send(new FailRestore(new BackupRunId(run.id()), project, BackupRunner.describe(e)));
                return;
            }
            commands.send(new CompleteRestore(new BackupRunId(run.id()), project, replayed));
        } finally {
            RequestContext.clear();
        }
    }

    private long replay(BackupRunView run, Request request, ProjectId project) throws IOException {
        Path archive = archives.of(run.projectId(), run.id());
        String sha256 = BackupArchive.sha256Of(archive);
        if (!sha256.equals(run.sha256())) {
            throw new IOException("The archive does not match the run's SHA-256 (" + sha256 + ")");
        }
        OrganizationId organization = new OrganizationId(run.organizationId());
        return commands.inOneTransaction(() -> {
            try (CommandBatch batch = new CommandBatch(commands)) {
                batch.send(new RestoreProjectFromBackup(project, organization, request.name(), request.slug(),
                        request.serviceKeyHash(), run.id(), new ProjectId(run.projectId())));
                GroupId publicGroup = GroupId.generate();
                batch.send(new CreateGroup(publicGroup, project, organization, GroupEvents.PUBLIC));
                ProjectReplay replay = new ProjectReplay(batch, project, organization, publicGroup);
                try {
                    BackupArchive.read(archive, line -> replay.apply(
                            payloads.read(line.path("type").asText(), line.path("payload"))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                batch.flush();
                log.info("Restored run {} into project {}: {}", run.id(), project, batch.timings());
                return replay.replayed();
            }
        });
    }
}
