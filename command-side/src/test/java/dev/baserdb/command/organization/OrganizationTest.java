package dev.baserdb.command.organization;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.InvitationId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.organization.OrganizationCommands.AcceptMemberInvitation;
import dev.baserdb.kernel.organization.OrganizationCommands.ArchiveOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.ChangeMemberRole;
import dev.baserdb.kernel.organization.OrganizationCommands.CreateOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.DeclineMemberInvitation;
import dev.baserdb.kernel.organization.OrganizationCommands.InviteMember;
import dev.baserdb.kernel.organization.OrganizationCommands.RemoveMember;
import dev.baserdb.kernel.organization.OrganizationCommands.RenameOrganization;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberAdded;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvitationAccepted;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvitationDeclined;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvited;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRemoved;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRoleChanged;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationArchived;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationCreated;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationRenamed;
import dev.baserdb.kernel.organization.Role;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.CONFLICT;
import static dev.baserdb.kernel.error.ErrorCode.FORBIDDEN;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;

/** The rules of the Organization aggregate and its memberships (API.md §4), given events, when a command. */
class OrganizationTest {

    private static final OrganizationId ORG = OrganizationId.generate();
    private static final UserId OWNER = UserId.generate();
    private static final String NAME = "Acme";

    private FixtureConfiguration<Organization> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Organization.class);
    }

    // --- fixtures -------------------------------------------------------------------------------

    /** The events of an organization just created by {@link #OWNER}. */
    private static List<Object> anOrganization() {
        return new ArrayList<>(List.of(
                new OrganizationCreated(ORG, "acme", NAME, OWNER),
                new MemberAdded(ORG, OWNER, Role.OWNER)));
    }

    /** The event adding a fresh user with this role. */
    private static MemberAdded aMemberWithRole(Role role) {
        return new MemberAdded(ORG, UserId.generate(), role);
    }

    private static List<Object> anOrganizationWith(Object... more) {
        List<Object> events = anOrganization();
        events.addAll(List.of(more));
        return events;
    }

    private static List<Object> anArchivedOrganization(MemberAdded member) {
        return anOrganizationWith(member, ARCHIVED_INVITATION, new OrganizationArchived(ORG));
    }

    // --- create -----------------------------------------------------------------------------------

    @Test
    void given_nothing_when_an_organization_is_created_then_OrganizationCreated_and_the_creator_added_as_owner() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganization(ORG, "acme", NAME, OWNER))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new OrganizationCreated(ORG, "acme", NAME, OWNER),
                        new MemberAdded(ORG, OWNER, Role.OWNER));
    }

    // --- rename -----------------------------------------------------------------------------------

    @Test
    void given_an_organization_when_renamed_then_OrganizationRenamed_with_the_previous_name() {
        fixture.given(anOrganization())
                .when(new RenameOrganization(ORG, "Acme Corp", null))
                .expectEvents(new OrganizationRenamed(ORG, "Acme Corp", NAME));
    }

    @Test
    void given_an_organization_when_renamed_to_its_current_name_then_no_event() {
        fixture.given(anOrganization())
                .when(new RenameOrganization(ORG, NAME, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // --- invitations ------------------------------------------------------------------------------

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant EXPIRES = T0.plus(Duration.ofDays(7));

    private static MemberInvited anInvitation(UserId invitee, Role role) {
        return new MemberInvited(ORG, InvitationId.generate(), invitee, role, OWNER, EXPIRES);
    }

    @Test
    void given_an_organization_when_the_owner_invites_a_developer_then_MemberInvited_and_no_membership_yet() {
        UserId newcomer = UserId.generate();
        InvitationId id = InvitationId.generate();

        fixture.givenCurrentTime(T0).andGiven(anOrganization())
                .when(new InviteMember(ORG, id, newcomer, Role.DEVELOPER, OWNER, EXPIRES))
                .expectEvents(new MemberInvited(ORG, id, newcomer, Role.DEVELOPER, OWNER, EXPIRES));
    }

    @Test
    void given_a_member_when_invited_again_then_CONFLICT_and_no_event() {
        MemberAdded viewer = aMemberWithRole(Role.VIEWER);

        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(viewer))
                .when(new InviteMember(ORG, InvitationId.generate(), viewer.userId(), Role.ADMIN, OWNER, EXPIRES))
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_an_open_invitation_when_the_same_user_is_invited_again_then_CONFLICT_but_after_expiry_a_new_one() {
        UserId invitee = UserId.generate();
        MemberInvited open = anInvitation(invitee, Role.VIEWER);

        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(open))
                .when(new InviteMember(ORG, InvitationId.generate(), invitee, Role.ADMIN, OWNER, EXPIRES))
                .expectException(withCode(CONFLICT))
                .expectNoEvents();

        InvitationId again = InvitationId.generate();
        Instant later = EXPIRES.plus(Duration.ofDays(7));
        fixture.givenCurrentTime(EXPIRES).andGiven(anOrganizationWith(open))
                .when(new InviteMember(ORG, again, invitee, Role.ADMIN, OWNER, later))
                .expectEvents(new MemberInvited(ORG, again, invitee, Role.ADMIN, OWNER, later));
    }

    @Test
    void given_an_admin_when_the_admin_invites_an_owner_then_FORBIDDEN_and_no_event() {
        MemberAdded admin = aMemberWithRole(Role.ADMIN);

        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(admin))
                .when(new InviteMember(ORG, InvitationId.generate(), UserId.generate(), Role.OWNER, admin.userId(),
                        EXPIRES))
                .expectException(BaserDbException.class)
                .expectException(withCode(FORBIDDEN))
                .expectNoEvents();
    }

    @Test
    void given_an_owner_invitation_when_accepted_then_the_invitee_becomes_owner_only_then() {
        UserId coOwner = UserId.generate();
        MemberInvited invited = anInvitation(coOwner, Role.OWNER);

        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(invited))
                .when(new AcceptMemberInvitation(ORG, invited.invitationId(), coOwner))
                .expectEvents(new MemberInvitationAccepted(ORG, invited.invitationId(), coOwner, Role.OWNER),
                        new MemberAdded(ORG, coOwner, Role.OWNER));
    }

    @Test
    void given_an_invitation_when_declined_then_MemberInvitationDeclined_and_no_membership() {
        UserId invitee = UserId.generate();
        MemberInvited invited = anInvitation(invitee, Role.DEVELOPER);

        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(invited))
                .when(new DeclineMemberInvitation(ORG, invited.invitationId(), invitee))
                .expectEvents(new MemberInvitationDeclined(ORG, invited.invitationId(), invitee, Role.DEVELOPER));
    }

    @Test
    void given_someone_elses_or_an_unknown_invitation_when_answered_then_NOT_FOUND() {
        MemberInvited invited = anInvitation(UserId.generate(), Role.VIEWER);
        UserId intruder = UserId.generate();

        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(invited))
                .when(new AcceptMemberInvitation(ORG, invited.invitationId(), intruder))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(invited))
                .when(new DeclineMemberInvitation(ORG, invited.invitationId(), intruder))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(invited))
                .when(new AcceptMemberInvitation(ORG, InvitationId.generate(), invited.userId()))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    /** An invitation answered (or left to expire) in the tests below. */
    private static final MemberInvited ANSWERED = new MemberInvited(ORG, InvitationId.generate(), UserId.generate(),
            Role.VIEWER, OWNER, EXPIRES);

    static Stream<Object> answersToAnAnsweredInvitation() {
        return Stream.of(new AcceptMemberInvitation(ORG, ANSWERED.invitationId(), ANSWERED.userId()),
                new DeclineMemberInvitation(ORG, ANSWERED.invitationId(), ANSWERED.userId()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answersToAnAnsweredInvitation")
    void given_an_accepted_or_declined_invitation_when_answered_again_then_CONFLICT(Object answer) {
        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(ANSWERED,
                        new MemberInvitationAccepted(ORG, ANSWERED.invitationId(), ANSWERED.userId(), Role.VIEWER),
                        new MemberAdded(ORG, ANSWERED.userId(), Role.VIEWER)))
                .when(answer)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(ANSWERED,
                        new MemberInvitationDeclined(ORG, ANSWERED.invitationId(), ANSWERED.userId(), Role.VIEWER)))
                .when(answer)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answersToAnAnsweredInvitation")
    void given_an_expired_invitation_when_answered_then_CONFLICT_and_no_event(Object answer) {
        fixture.givenCurrentTime(EXPIRES).andGiven(anOrganizationWith(ANSWERED))
                .when(answer)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_a_user_who_joined_meanwhile_when_accepting_another_invitation_then_CONFLICT() {
        UserId invitee = UserId.generate();
        MemberInvited first = anInvitation(invitee, Role.VIEWER);
        MemberInvited second = new MemberInvited(ORG, InvitationId.generate(), invitee, Role.ADMIN, OWNER,
                EXPIRES);

        fixture.givenCurrentTime(T0).andGiven(anOrganizationWith(first, second,
                        new MemberInvitationAccepted(ORG, first.invitationId(), invitee, Role.VIEWER),
                        new MemberAdded(ORG, invitee, Role.VIEWER)))
                .when(new AcceptMemberInvitation(ORG, second.invitationId(), invitee))
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    // --- change role ------------------------------------------------------------------------------

    @Test
    void given_a_developer_when_the_owner_makes_them_viewer_then_MemberRoleChanged_with_the_previous_role() {
        MemberAdded developer = aMemberWithRole(Role.DEVELOPER);

        fixture.given(anOrganizationWith(developer))
                .when(new ChangeMemberRole(ORG, developer.userId(), Role.VIEWER, OWNER, null))
                .expectEvents(new MemberRoleChanged(ORG, developer.userId(), Role.VIEWER, Role.DEVELOPER));
    }

    @Test
    void given_a_member_when_given_the_role_they_already_have_then_no_event() {
        MemberAdded auditor = aMemberWithRole(Role.AUDITOR);

        fixture.given(anOrganizationWith(auditor))
                .when(new ChangeMemberRole(ORG, auditor.userId(), Role.AUDITOR, OWNER, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void given_the_only_owner_when_demoted_then_CONFLICT_and_no_event() {
        fixture.given(anOrganization())
                .when(new ChangeMemberRole(ORG, OWNER, Role.ADMIN, OWNER, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_two_owners_when_one_is_demoted_then_MemberRoleChanged() {
        MemberAdded coOwner = aMemberWithRole(Role.OWNER);

        fixture.given(anOrganizationWith(coOwner))
                .when(new ChangeMemberRole(ORG, coOwner.userId(), Role.ADMIN, OWNER, null))
                .expectEvents(new MemberRoleChanged(ORG, coOwner.userId(), Role.ADMIN, Role.OWNER));
    }

    @Test
    void given_an_admin_and_a_second_owner_when_the_admin_demotes_an_owner_then_FORBIDDEN_and_no_event() {
        MemberAdded coOwner = aMemberWithRole(Role.OWNER);
        MemberAdded admin = aMemberWithRole(Role.ADMIN);

        fixture.given(anOrganizationWith(coOwner, admin))
                .when(new ChangeMemberRole(ORG, coOwner.userId(), Role.VIEWER, admin.userId(), null))
                .expectException(BaserDbException.class)
                .expectException(withCode(FORBIDDEN))
                .expectNoEvents();
    }

    @Test
    void given_an_admin_when_the_admin_promotes_a_member_to_owner_then_FORBIDDEN_and_no_event() {
        MemberAdded admin = aMemberWithRole(Role.ADMIN);
        MemberAdded developer = aMemberWithRole(Role.DEVELOPER);

        fixture.given(anOrganizationWith(admin, developer))
                .when(new ChangeMemberRole(ORG, developer.userId(), Role.OWNER, admin.userId(), null))
                .expectException(BaserDbException.class)
                .expectException(withCode(FORBIDDEN))
                .expectNoEvents();
    }

    @Test
    void given_an_admin_when_the_admin_changes_a_developer_to_viewer_then_MemberRoleChanged() {
        MemberAdded admin = aMemberWithRole(Role.ADMIN);
        MemberAdded developer = aMemberWithRole(Role.DEVELOPER);

        fixture.given(anOrganizationWith(admin, developer))
                .when(new ChangeMemberRole(ORG, developer.userId(), Role.VIEWER, admin.userId(), null))
                .expectEvents(new MemberRoleChanged(ORG, developer.userId(), Role.VIEWER, Role.DEVELOPER));
    }

    @Test
    void given_a_non_member_when_their_role_is_changed_then_NOT_FOUND_and_no_event() {
        fixture.given(anOrganization())
                .when(new ChangeMemberRole(ORG, UserId.generate(), Role.VIEWER, OWNER, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    // --- remove member ----------------------------------------------------------------------------

    @Test
    void given_a_viewer_when_the_owner_removes_them_then_MemberRemoved_with_their_role() {
        MemberAdded viewer = aMemberWithRole(Role.VIEWER);

        fixture.given(anOrganizationWith(viewer))
                .when(new RemoveMember(ORG, viewer.userId(), OWNER, null))
                .expectEvents(new MemberRemoved(ORG, viewer.userId(), Role.VIEWER));
    }

    @Test
    void given_the_only_owner_when_removed_then_CONFLICT_and_no_event() {
        fixture.given(anOrganization())
                .when(new RemoveMember(ORG, OWNER, OWNER, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_two_owners_when_one_is_removed_then_MemberRemoved() {
        MemberAdded coOwner = aMemberWithRole(Role.OWNER);

        fixture.given(anOrganizationWith(coOwner))
                .when(new RemoveMember(ORG, OWNER, coOwner.userId(), null))
                .expectEvents(new MemberRemoved(ORG, OWNER, Role.OWNER));
    }

    @Test
    void given_two_owners_one_removed_when_the_remaining_owner_is_removed_then_CONFLICT() {
        MemberAdded coOwner = aMemberWithRole(Role.OWNER);

        fixture.given(anOrganizationWith(coOwner, new MemberRemoved(ORG, OWNER, Role.OWNER)))
                .when(new RemoveMember(ORG, coOwner.userId(), coOwner.userId(), null))
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }

    @Test
    void given_an_admin_and_a_second_owner_when_the_admin_removes_an_owner_then_FORBIDDEN_and_no_event() {
        MemberAdded coOwner = aMemberWithRole(Role.OWNER);
        MemberAdded admin = aMemberWithRole(Role.ADMIN);

        fixture.given(anOrganizationWith(coOwner, admin))
                .when(new RemoveMember(ORG, coOwner.userId(), admin.userId(), null))
                .expectException(BaserDbException.class)
                .expectException(withCode(FORBIDDEN))
                .expectNoEvents();
    }

    @Test
    void given_a_non_member_when_removed_then_NOT_FOUND_and_no_event() {
        fixture.given(anOrganization())
                .when(new RemoveMember(ORG, UserId.generate(), OWNER, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void given_a_removed_member_when_removed_again_then_NOT_FOUND() {
        MemberAdded viewer = aMemberWithRole(Role.VIEWER);

        fixture.given(anOrganizationWith(viewer, new MemberRemoved(ORG, viewer.userId(), Role.VIEWER)))
                .when(new RemoveMember(ORG, viewer.userId(), OWNER, null))
                .expectException(BaserDbException.class)
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }

    // --- archive ----------------------------------------------------------------------------------

    @Test
    void given_an_organization_when_archived_then_OrganizationArchived() {
        fixture.given(anOrganization())
                .when(new ArchiveOrganization(ORG, null))
                .expectEvents(new OrganizationArchived(ORG));
    }

    /** A member of the archived organization, for the membership commands. */
    private static final MemberAdded ARCHIVED_MEMBER = new MemberAdded(ORG, UserId.generate(), Role.DEVELOPER);
    private static final MemberInvited ARCHIVED_INVITATION = new MemberInvited(ORG, InvitationId.generate(),
            UserId.generate(), Role.VIEWER, OWNER, Instant.now().plus(Duration.ofDays(7)));

    static Stream<Object> changesToAnArchivedOrganization() {
        return Stream.of(
                new RenameOrganization(ORG, "Another name", null),
                new ArchiveOrganization(ORG, null),
                new InviteMember(ORG, InvitationId.generate(), UserId.generate(), Role.VIEWER, OWNER,
                        Instant.now().plus(Duration.ofDays(7))),
                new AcceptMemberInvitation(ORG, ARCHIVED_INVITATION.invitationId(), ARCHIVED_INVITATION.userId()),
                new ChangeMemberRole(ORG, ARCHIVED_MEMBER.userId(), Role.ADMIN, OWNER, null),
                new RemoveMember(ORG, ARCHIVED_MEMBER.userId(), OWNER, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changesToAnArchivedOrganization")
    void given_an_archived_organization_when_changed_then_CONFLICT_and_no_event(Object command) {
        fixture.given(anArchivedOrganization(ARCHIVED_MEMBER))
                .when(command)
                .expectException(BaserDbException.class)
                .expectException(withCode(CONFLICT))
                .expectNoEvents();
    }
}
