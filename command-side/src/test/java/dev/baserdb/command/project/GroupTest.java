package dev.baserdb.command.project;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.project.GroupCommands.CreateGroup;
import dev.baserdb.kernel.project.GroupCommands.DeleteGroup;
import dev.baserdb.kernel.project.GroupCommands.RenameGroup;
import dev.baserdb.kernel.project.GroupEvents;
import dev.baserdb.kernel.project.GroupEvents.GroupCreated;
import dev.baserdb.kernel.project.GroupEvents.GroupDeleted;
import dev.baserdb.kernel.project.GroupEvents.GroupRenamed;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.CONFLICT;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;

/** The Group aggregate: the {@code public} group stays as it is; other groups can be renamed and deleted. */
class GroupTest {

    private static final GroupId GROUP = GroupId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();

    private FixtureConfiguration<Group> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Group.class);
    }

    private static GroupCreated aGroup(String name) {
        return new GroupCreated(GROUP, PROJECT, ORG, name);
    }

    private static GroupCreated thePublicGroup() {
        return aGroup(GroupEvents.PUBLIC);
    }

    @Test
    void given_nothing_when_a_group_is_created_then_GroupCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateGroup(GROUP, PROJECT, ORG, "sales"))
                .expectEvents(new GroupCreated(GROUP, PROJECT, ORG, "sales"));
    }

    @Test
    void given_the_public_group_when_renamed_then_CONFLICT_and_no_event() {
        fixture.given(thePublicGroup())
                .when(new RenameGroup(GROUP, "everyone", null))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_the_public_group_when_deleted_then_CONFLICT_and_no_event() {
        fixture.given(thePublicGroup())
                .when(new DeleteGroup(GROUP, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_another_group_when_renamed_to_public_then_CONFLICT_and_no_event() {
        fixture.given(aGroup("sales"))
                .when(new RenameGroup(GROUP, GroupEvents.PUBLIC, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_another_group_when_renamed_then_GroupRenamed_with_the_previous_name() {
        fixture.given(aGroup("sales"))
                .when(new RenameGroup(GROUP, "marketing", null))
                .expectEvents(new GroupRenamed(GROUP, PROJECT, ORG, "marketing", "sales"));
    }

    @Test
    void given_another_group_when_renamed_to_its_current_name_then_no_event() {
        fixture.given(aGroup("sales"))
                .when(new RenameGroup(GROUP, "sales", null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void given_another_group_when_deleted_then_GroupDeleted() {
        fixture.given(aGroup("sales"))
                .when(new DeleteGroup(GROUP, null))
                .expectEvents(new GroupDeleted(GROUP, PROJECT, ORG));
    }

    @Test
    void given_a_deleted_group_when_renamed_then_NOT_FOUND_and_no_event() {
        fixture.given(aGroup("sales"), new GroupDeleted(GROUP, PROJECT, ORG))
                .when(new RenameGroup(GROUP, "marketing", null))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_deleted_group_when_deleted_again_then_NOT_FOUND_and_no_event() {
        fixture.given(aGroup("sales"), new GroupDeleted(GROUP, PROJECT, ORG))
                .when(new DeleteGroup(GROUP, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }
}
