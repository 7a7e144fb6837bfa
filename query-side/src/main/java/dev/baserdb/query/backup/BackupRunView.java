package dev.baserdb.query.backup;

import java.time.Instant;

/** A backup run as the read model has it (API.md §9). */
public record BackupRunView(String id, String projectId, String organizationId, String status, long cutPosition,
                            Instant cutAt, boolean scheduled, Long eventCount, Long sizeBytes, String sha256,
                            String error, Instant startedAt, Instant finishedAt, String startedByType,
                            String startedById, String startedByImpersonatorId, String restoredProjectId, String restoreStatus,
                            String restoreError) {

    public boolean succeeded() {
        return "succeeded".equals(status);
    }

    public boolean running() {
        return "running".equals(status);
    }
}
