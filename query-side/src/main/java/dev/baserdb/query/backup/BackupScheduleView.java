package dev.baserdb.query.backup;

/** A project's backup schedule: a 5-field cron in UTC and how many runs to keep. */
public record BackupScheduleView(String projectId, String cron, int retentionCount) {
}
