package dev.baserdb.api.backup;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.kernel.backup.BackupCommands.DeleteBackupArchive;
import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.query.backup.BackupDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Keeps a project's newest {@code retention_count} finished runs: older archives are deleted from
 * disk and their runs recorded as deleted (no longer listed); the runs' events stay in the store.
 */
@Component
class BackupRetention {

    private static final Logger log = LoggerFactory.getLogger(BackupRetention.class);

    private final BackupDirectory runs;
    private final BackupArchives archives;
    private final Commands commands;

    BackupRetention(BackupDirectory runs, BackupArchives archives, Commands commands) {
        this.runs = runs;
        this.archives = archives;
        this.commands = commands;
    }

    /** Applies the project's schedule's retention (nothing when it has none); returns how many runs went. */
    int apply(String projectId) {
        Integer keep = runs.schedule(projectId).map(s -> s.retentionCount()).orElse(null);
        if (keep == null) {
            return 0;
        }
        List<String> finished = runs.finishedRunsOf(projectId);
        int deleted = 0;
        for (String runId : finished.subList(Math.min(keep, finished.size()), finished.size())) {
            commands.send(new DeleteBackupArchive(new BackupRunId(runId)));
            try {
                Files.deleteIfExists(archives.of(projectId, runId));
            } catch (IOException e) {
                // the run is already recorded as deleted; a file left behind is only disk space
                log.warn("Could not delete the archive of backup run {}", runId, e);
            }
            deleted++;
        }
        return deleted;
    }
}
