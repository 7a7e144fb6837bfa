package dev.baserdb.command.project;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.project.ProjectCommands.CreateProject;
import dev.baserdb.kernel.project.ProjectCommands.DeleteProject;
import dev.baserdb.kernel.project.ProjectCommands.RenameProject;
import dev.baserdb.kernel.project.ProjectCommands.RestoreProjectFromBackup;
import dev.baserdb.kernel.project.ProjectCommands.RestoreProjectToInstant;
import dev.baserdb.kernel.project.ProjectCommands.RotateServiceKey;
import dev.baserdb.kernel.project.ProjectCommands.SetBackupSchedule;
import dev.baserdb.kernel.project.ProjectEvents.ProjectBackupScheduleSet;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRestoredFromBackup;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRestoredToInstant;
import dev.baserdb.kernel.project.ProjectEvents.ProjectCreated;
import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRenamed;
import dev.baserdb.kernel.project.ProjectEvents.ProjectServiceKeyRotated;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;

/** The Project aggregate: create, rename, service key rotation (hash only), delete. */
class ProjectTest {

    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final String KEY_HASH = "a".repeat(64);
    private static final String NEW_KEY_HASH = "b".repeat(64);

    private FixtureConfiguration<Project> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Project.class);
    }

    private static ProjectCreated aProject() {
        return new ProjectCreated(PROJECT, ORG, "Shop", "shop", KEY_HASH);
    }

    private static ProjectDeleted itsDeletion() {
        return new ProjectDeleted(PROJECT, ORG);
    }

    @Test
    void given_nothing_when_a_project_is_created_then_ProjectCreated_with_the_service_key_hash() {
        fixture.givenNoPriorActivity()
                .when(new CreateProject(PROJECT, ORG, "Shop", "shop", KEY_HASH))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ProjectCreated(PROJECT, ORG, "Shop", "shop", KEY_HASH));
    }

    @Test
    void given_a_project_when_renamed_then_ProjectRenamed_with_the_previous_name() {
        fixture.given(aProject())
                .when(new RenameProject(PROJECT, "Web shop", null))
                .expectEvents(new ProjectRenamed(PROJECT, ORG, "Web shop", "Shop"));
    }

    @Test
    void given_a_project_when_renamed_to_its_current_name_then_no_event() {
        fixture.given(aProject())
                .when(new RenameProject(PROJECT, "Shop", null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void given_a_project_when_its_service_key_is_rotated_then_ProjectServiceKeyRotated_with_the_new_hash() {
        fixture.given(aProject())
                .when(new RotateServiceKey(PROJECT, NEW_KEY_HASH))
                .expectEvents(new ProjectServiceKeyRotated(PROJECT, ORG, NEW_KEY_HASH));
    }

    @Test
    void given_a_project_when_deleted_then_ProjectDeleted() {
        fixture.given(aProject())
                .when(new DeleteProject(PROJECT, null))
                .expectEvents(new ProjectDeleted(PROJECT, ORG));
    }

    static Stream<Object> changesToADeletedProject() {
        return Stream.of(
                new RenameProject(PROJECT, "Another name", null),
                new RotateServiceKey(PROJECT, NEW_KEY_HASH),
                new DeleteProject(PROJECT, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changesToADeletedProject")
    void given_a_deleted_project_when_changed_then_NOT_FOUND_and_no_event(Object command) {
        fixture.given(aProject(), itsDeletion())
                .when(command)
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_nothing_when_restored_from_a_backup_then_its_history_starts_with_ProjectRestoredFromBackup() {
        ProjectId source = ProjectId.generate();
        fixture.givenNoPriorActivity()
                .when(new RestoreProjectFromBackup(PROJECT, ORG, "Copy", "copy", KEY_HASH, "bkp_1", source))
                .expectEvents(new ProjectRestoredFromBackup(PROJECT, ORG, "Copy", "copy", KEY_HASH, "bkp_1", source));
    }

    @Test
    void given_a_restored_project_when_renamed_then_it_behaves_as_any_project() {
        fixture.given(new ProjectRestoredFromBackup(PROJECT, ORG, "Copy", "copy", KEY_HASH, "bkp_1",
                        ProjectId.generate()))
                .when(new RenameProject(PROJECT, "Copy 2", null))
                .expectEvents(new ProjectRenamed(PROJECT, ORG, "Copy 2", "Copy"));
    }

    @Test
    void given_a_project_when_restored_to_an_instant_then_ProjectRestoredToInstant() {
        Instant asOf = Instant.parse("2026-11-29T09:00:00Z");
        fixture.given(aProject())
                .when(new RestoreProjectToInstant(PROJECT, asOf))
                .expectEvents(new ProjectRestoredToInstant(PROJECT, ORG, asOf));
    }

    @Test
    void given_a_project_when_a_backup_schedule_is_set_or_removed_then_ProjectBackupScheduleSet() {
        fixture.given(aProject())
                .when(new SetBackupSchedule(PROJECT, "0 3 * * *", 7))
                .expectEvents(new ProjectBackupScheduleSet(PROJECT, ORG, "0 3 * * *", 7));
        fixture.given(aProject())
                .when(new SetBackupSchedule(PROJECT, null, 7))
                .expectEvents(new ProjectBackupScheduleSet(PROJECT, ORG, null, null));
    }

    @Test
    void given_a_project_when_a_schedule_keeps_no_run_then_refused() {
        fixture.given(aProject())
                .when(new SetBackupSchedule(PROJECT, "0 3 * * *", 0))
                .expectNoEvents()
                .expectException(withCode(VALIDATION_FAILED));
    }
}
