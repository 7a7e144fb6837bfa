package dev.baserdb.command.identity;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.UserCommands.AcceptInvitationThroughIdentityProvider;
import dev.baserdb.kernel.identity.UserCommands.LinkUserToIdentityProvider;
import dev.baserdb.kernel.identity.UserEvents.UserErased;
import dev.baserdb.kernel.identity.UserEvents.UserInvitationAccepted;
import dev.baserdb.kernel.identity.UserEvents.UserInvited;
import dev.baserdb.kernel.identity.UserEvents.UserLinkedToIdentityProvider;
import dev.baserdb.kernel.identity.UserEvents.UserRegistered;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

/** Accounts linked to a user of an external identity provider (identity mode keycloak). */
class UserIdentityLinkTest {

    private static final UserId USER = UserId.of("usr_linked");
    private static final String SUBJECT = "249ad73a-8de4-4212-b8cd-5b7964684cea";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private AggregateTestFixture<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
    }

    private static LinkUserToIdentityProvider link(String subject) {
        return new LinkUserToIdentityProvider(USER, "keycloak", subject, "ada@example.com", "Ada");
    }

    private static UserLinkedToIdentityProvider linked(String subject) {
        return new UserLinkedToIdentityProvider(USER, "keycloak", subject, "ada@example.com", "Ada");
    }

    private static UserInvited invited(Instant expiresAt) {
        return new UserInvited(USER, "ada@example.com", null, "en", "token-hash", expiresAt);
    }

    @Test
    void givenNothing_whenLinked_thenTheAccountIsCreatedByTheLink() {
        fixture.givenNoPriorActivity()
                .when(link(SUBJECT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(linked(SUBJECT));
    }

    @Test
    void givenNothing_whenLinkedWithoutEmail_thenValidationFails() {
        fixture.givenNoPriorActivity()
                .when(new LinkUserToIdentityProvider(USER, "keycloak", SUBJECT, " ", null))
                .expectNoEvents()
                .expectException(BaserDbException.class);
    }

    @Test
    void givenAnExistingAccount_whenLinked_thenTheLinkIsRecorded() {
        fixture.given(new UserRegistered(USER, "ada@example.com", "hash", "Ada", "en", List.of()))
                .when(link(SUBJECT))
                .expectEvents(linked(SUBJECT));
    }

    @Test
    void givenLinkedToTheSameSubject_whenLinkedAgain_thenNothingIsRecorded() {
        fixture.given(linked(SUBJECT))
                .when(link(SUBJECT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void givenLinkedToOneSubject_whenLinkedToAnother_thenConflict() {
        fixture.given(linked(SUBJECT))
                .when(link("another-subject"))
                .expectNoEvents()
                .expectException(BaserDbException.class)
                .expectExceptionMessage("This account is already linked to another identity");
    }

    @Test
    void givenAnErasedAccount_whenLinked_thenNotFound() {
        fixture.given(new UserRegistered(USER, "ada@example.com", "hash", "Ada", "en", List.of()), new UserErased(USER))
                .when(link(SUBJECT))
                .expectNoEvents()
                .expectException(BaserDbException.class);
    }

    @Test
    void givenAnInvitedLinkedAccount_whenItSignsInThroughTheProvider_thenTheInvitationIsAcceptedWithoutPassword() {
        fixture.givenCurrentTime(T0)
                .andGiven(invited(T0.plusSeconds(3600)), linked(SUBJECT))
                .when(new AcceptInvitationThroughIdentityProvider(USER, "keycloak", SUBJECT))
                .expectEvents(new UserInvitationAccepted(USER, null, null));
    }

    @Test
    void givenAnInvitedLinkedAccount_whenAnotherSubjectAccepts_thenNotFound() {
        fixture.givenCurrentTime(T0)
                .andGiven(invited(T0.plusSeconds(3600)), linked(SUBJECT))
                .when(new AcceptInvitationThroughIdentityProvider(USER, "keycloak", "another-subject"))
                .expectNoEvents()
                .expectException(BaserDbException.class);
    }

    @Test
    void givenAnExpiredInvitation_whenItSignsIn_thenNotFound() {
        fixture.givenCurrentTime(T0)
                .andGiven(invited(T0.minusSeconds(1)), linked(SUBJECT))
                .when(new AcceptInvitationThroughIdentityProvider(USER, "keycloak", SUBJECT))
                .expectNoEvents()
                .expectException(BaserDbException.class)
                .expectExceptionMessage("Invitation not found, used or expired");
    }

    @Test
    void givenAnAcceptedInvitation_whenItSignsInAgain_thenNotFound() {
        fixture.givenCurrentTime(T0)
                .andGiven(invited(T0.plusSeconds(3600)), linked(SUBJECT), new UserInvitationAccepted(USER, null, null))
                .when(new AcceptInvitationThroughIdentityProvider(USER, "keycloak", SUBJECT))
                .expectNoEvents()
                .expectException(BaserDbException.class);
    }
}
