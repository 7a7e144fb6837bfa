package dev.baserdb.command.backup;

import dev.baserdb.kernel.backup.BackupCommands.CompleteBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.CompleteRestore;
import dev.baserdb.kernel.backup.BackupCommands.DeleteBackupArchive;
import dev.baserdb.kernel.backup.BackupCommands.FailBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.FailRestore;
import dev.baserdb.kernel.backup.BackupCommands.RecordBackupDownload;
import dev.baserdb.kernel.backup.BackupCommands.StartBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.StartRestore;
import dev.baserdb.kernel.backup.BackupEvents.BackupArchiveDeleted;
import dev.baserdb.kernel.backup.BackupEvents.BackupDownloaded;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreFailed;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreStarted;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreSucceeded;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunFailed;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunStarted;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunSucceeded;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.CONFLICT;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;

/** The BackupRun aggregate: a run's life (running → succeeded or failed), downloads, restores, retention. */
class BackupRunTest {

    private static final BackupRunId RUN = BackupRunId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final ProjectId RESTORED = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final Instant CUT_AT = Instant.parse("2026-11-29T10:00:00Z");
    private static final String SHA = "c".repeat(64);

    private FixtureConfiguration<BackupRun> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BackupRun.class);
    }

    private static BackupRunStarted started() {
        return new BackupRunStarted(RUN, PROJECT, ORG, 42, CUT_AT, false);
    }

    private static BackupRunSucceeded succeeded() {
        return new BackupRunSucceeded(RUN, PROJECT, ORG, 7, 1234, SHA);
    }

    private static BackupRestoreStarted restoreStarted() {
        return new BackupRestoreStarted(RUN, PROJECT, ORG, RESTORED, "Copy", "copy", "k".repeat(64));
    }

    @Test
    void given_nothing_when_a_run_starts_then_BackupRunStarted_with_its_cut() {
        fixture.givenNoPriorActivity()
                .when(new StartBackupRun(RUN, PROJECT, ORG, 42, CUT_AT, false))
                .expectEvents(started());
    }

    @Test
    void given_nothing_when_a_run_starts_at_a_negative_position_then_refused() {
        fixture.givenNoPriorActivity()
                .when(new StartBackupRun(RUN, PROJECT, ORG, -1, CUT_AT, false))
                .expectNoEvents()
                .expectException(withCode(VALIDATION_FAILED));
    }

    @Test
    void given_a_running_run_when_completed_then_BackupRunSucceeded_with_size_and_hash() {
        fixture.given(started())
                .when(new CompleteBackupRun(RUN, 7, 1234, SHA))
                .expectEvents(succeeded());
    }

    @Test
    void given_a_running_run_when_failed_then_BackupRunFailed_with_the_error() {
        fixture.given(started())
                .when(new FailBackupRun(RUN, "disk full"))
                .expectEvents(new BackupRunFailed(RUN, PROJECT, ORG, "disk full"));
    }

    @Test
    void given_a_finished_run_when_completed_again_then_conflict() {
        fixture.given(started(), succeeded())
                .when(new CompleteBackupRun(RUN, 7, 1234, SHA))
                .expectNoEvents()
                .expectException(withCode(CONFLICT));
        fixture.given(started(), new BackupRunFailed(RUN, PROJECT, ORG, "x"))
                .when(new FailBackupRun(RUN, "again"))
                .expectNoEvents()
                .expectException(withCode(CONFLICT));
    }

    @Test
    void given_a_succeeded_run_when_downloaded_then_BackupDownloaded() {
        fixture.given(started(), succeeded())
                .when(new RecordBackupDownload(RUN))
                .expectEvents(new BackupDownloaded(RUN, PROJECT, ORG));
    }

    @Test
    void given_a_running_or_failed_run_when_downloaded_then_conflict() {
        fixture.given(started())
                .when(new RecordBackupDownload(RUN))
                .expectException(withCode(CONFLICT));
        fixture.given(started(), new BackupRunFailed(RUN, PROJECT, ORG, "x"))
                .when(new RecordBackupDownload(RUN))
                .expectException(withCode(CONFLICT));
    }

    @Test
    void given_a_succeeded_run_when_a_restore_starts_then_BackupRestoreStarted_naming_the_new_project() {
        fixture.given(started(), succeeded())
                .when(new StartRestore(RUN, RESTORED, "Copy", "copy", "k".repeat(64)))
                .expectEvents(restoreStarted());
    }

    @Test
    void given_a_restore_running_when_another_starts_then_conflict() {
        fixture.given(started(), succeeded(), restoreStarted())
                .when(new StartRestore(RUN, ProjectId.generate(), "Other", "other", "k".repeat(64)))
                .expectNoEvents()
                .expectException(withCode(CONFLICT));
    }

    @Test
    void given_a_restore_running_when_completed_or_failed_then_the_matching_event() {
        fixture.given(started(), succeeded(), restoreStarted())
                .when(new CompleteRestore(RUN, RESTORED, 12))
                .expectEvents(new BackupRestoreSucceeded(RUN, PROJECT, ORG, RESTORED, 12));
        fixture.given(started(), succeeded(), restoreStarted())
                .when(new FailRestore(RUN, RESTORED, "boom"))
                .expectEvents(new BackupRestoreFailed(RUN, PROJECT, ORG, RESTORED, "boom"));
    }

    @Test
    void given_no_restore_of_that_project_when_completed_then_conflict() {
        fixture.given(started(), succeeded(), restoreStarted())
                .when(new CompleteRestore(RUN, ProjectId.generate(), 12))
                .expectNoEvents()
                .expectException(withCode(CONFLICT));
    }

    @Test
    void given_a_finished_run_when_its_archive_is_deleted_then_BackupArchiveDeleted_and_nothing_more_is_possible() {
        fixture.given(started(), succeeded())
                .when(new DeleteBackupArchive(RUN))
                .expectEvents(new BackupArchiveDeleted(RUN, PROJECT, ORG));
        fixture.given(started(), succeeded(), new BackupArchiveDeleted(RUN, PROJECT, ORG))
                .when(new RecordBackupDownload(RUN))
                .expectException(withCode(NOT_FOUND));
        fixture.given(started(), succeeded(), new BackupArchiveDeleted(RUN, PROJECT, ORG))
                .when(new StartRestore(RUN, RESTORED, "Copy", "copy", "k".repeat(64)))
                .expectException(withCode(NOT_FOUND));
    }

    @Test
    void given_a_running_run_when_its_archive_is_deleted_then_conflict() {
        fixture.given(started())
                .when(new DeleteBackupArchive(RUN))
                .expectNoEvents()
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT));
    }
}
