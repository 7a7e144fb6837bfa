package dev.baserdb.api.backup;

import dev.baserdb.api.platform.BaserDbProperties;
import org.springframework.stereotype.Component;

import java.nio.file.Path;

/** Where archives live: {@code BASERDB_DATA_DIR/backups/<project id>/<run id>.jsonl.gz}. */
@Component
class BackupArchives {

    private final Path root;

    BackupArchives(BaserDbProperties properties) {
        this.root = properties.dataDir().resolve("backups");
    }

    Path of(String projectId, String runId) {
        // both ids were made by the platform (prefixed hex), never taken from a request unchecked
        return root.resolve(projectId).resolve(runId + ".jsonl.gz");
    }
}
