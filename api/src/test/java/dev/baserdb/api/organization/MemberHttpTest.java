package dev.baserdb.api.organization;

import dev.baserdb.api.support.Mailbox;
import org.awaitility.Awaitility;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TenancySteps;
import dev.baserdb.api.support.TestMail;
import jakarta.mail.internet.MimeMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members of organizations and how they join (API.md §4): always by invitation, accepted by the
 * invitee (an existing account with its session, a new one through the emailed link), with real
 * email (GreenMail); and {@code POST /users}.
 */
@ApiTest
class MemberHttpTest {

    private static final Pattern INVITATION_LINK =
            Pattern.compile("(https?://\\S+/invitations/accept\\?token=)([A-Za-z0-9%_.~-]+)");
    private static final String NEW_PASSWORD = "a brand new password";

    @LocalServerPort
    int port;

    Http http;
    Accounts accounts;
    TenancySteps tenancy;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new TenancySteps(http);
    }

    // --- invitations of existing users -----------------------------------------------------------

    @Test
    void given_an_existing_user_when_invited_then_202_an_email_and_no_membership_until_they_accept() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice, TenancySteps.uniqueSlug("join"), "Join Co").path("id").asText();

        Http.Response invited = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", bob.email().toUpperCase(Locale.ROOT), "role", "developer"));

        assertThat(invited.status()).as(invited.toString()).isEqualTo(202);
        String invitation = invited.data().path("invitation_id").asText();
        assertThat(invitation).startsWith("inv_");
        assertThat(invited.data().path("status").asText()).isEqualTo("invited");
        assertThat(fieldNames(invited.data())).containsExactly("invitation_id", "status");
        assertNotAMember(alice, org, bob);
        // Bob's mailbox also holds the email verification link of his registration.
        MimeMessage mail = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Mailbox.matching(bob.email(), "Join Co"), m -> !m.isEmpty()).get(0);
        assertThat(TestMail.subject(mail)).contains("Join Co");
        assertThat(TestMail.body(mail)).contains("developer").contains(invitation);

        Http.Response mine = http.bearer(bob.accessToken()).get(INVITATIONS);
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.data()).hasSize(1);
        JsonNode listed = mine.data().get(0);
        assertThat(listed.path("id").asText()).isEqualTo(invitation);
        assertThat(listed.path("organization_id").asText()).isEqualTo(org);
        assertThat(listed.path("organization_name").asText()).isEqualTo("Join Co");
        assertThat(listed.path("role").asText()).isEqualTo("developer");
        assertThat(listed.path("status").asText()).isEqualTo("pending");
        assertThat(listed.path("invited_by").asText()).isEqualTo(alice.userId());
        assertThat(listed.path("expires_at").asText()).isNotBlank();
        assertThat(http.bearer(alice.accessToken()).get(INVITATIONS).data()).as("the inviter has none").isEmpty();

        Http.Response accepted = http.bearer(bob.accessToken()).post(accept(invitation), null);

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.data().path("status").asText()).isEqualTo("accepted");
        assertThat(accepted.data().path("decided_at").asText()).isNotBlank();
        assertThat(roleOf(alice, org, bob.userId())).isEqualTo("developer");
        assertThat(memberStatus(alice, org, bob.userId())).isEqualTo("active");
        assertThat(http.bearer(bob.accessToken()).get("/api/v1/organizations/" + org).status()).isEqualTo(200);
        JsonNode memberships = http.bearer(bob.accessToken()).get("/api/v1/auth/me").data().path("memberships");
        assertThat(memberships).hasSize(1);
        assertThat(memberships.get(0).path("role").asText()).isEqualTo("developer");
        assertThat(http.bearer(bob.accessToken()).get(INVITATIONS).data()).as("no longer open").isEmpty();
    }

    @Test
    void given_a_registered_and_an_unregistered_email_when_invited_then_the_answers_are_identical_but_for_the_id() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        Http asAlice = http.bearer(alice.accessToken()).with("X-Request-ID", "same-request-" + UUID.randomUUID());

        Http.Response registered = asAlice.post(members(org), Http.json("email", bob.email(), "role", "viewer"));
        Http.Response unregistered = asAlice.post(members(org), Http.json("email", newEmail(), "role", "viewer"));

        assertThat(registered.status()).as(registered.toString()).isEqualTo(202);
        assertThat(unregistered.status()).as(unregistered.toString()).isEqualTo(202);
        String registeredId = registered.data().path("invitation_id").asText();
        String unregisteredId = unregistered.data().path("invitation_id").asText();
        assertThat(registeredId).isNotEqualTo(unregisteredId).hasSameSizeAs(unregisteredId);
        assertThat(registered.text().replace(registeredId, "ID"))
                .isEqualTo(unregistered.text().replace(unregisteredId, "ID"));
        assertThat(registered.raw().headers().map().keySet())
                .isEqualTo(unregistered.raw().headers().map().keySet());
        assertThat(http.bearer(alice.accessToken()).get(members(org)).data().findValuesAsText("user_id"))
                .as("neither is a member yet").containsExactly(alice.userId());
        List<JsonNode> invitedEvents = new java.util.ArrayList<>();
        http.bearer(alice.accessToken()).get("/api/v1/organizations/" + org + "/history").data().forEach(event -> {
            if (event.path("type").asText().equals("organization.member_invited")) {
                invitedEvents.add(event.path("payload"));
            }
        });
        assertThat(invitedEvents).hasSize(2);
        assertThat(fieldNames(invitedEvents.get(0))).as("the history tells no more")
                .isEqualTo(fieldNames(invitedEvents.get(1)));
    }

    @Test
    void given_someone_elses_invitation_when_accepting_or_declining_it_then_404_and_it_stays_open_for_its_invitee() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        Account carol = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String invitation = tenancy.invite(alice, org, bob.email(), "admin");

        Http.Response carolAccepts = http.bearer(carol.accessToken()).post(accept(invitation), null);
        Http.Response carolDeclines = http.bearer(carol.accessToken()).post(decline(invitation), null);
        Http.Response inviterAccepts = http.bearer(alice.accessToken()).post(accept(invitation), null);
        Http.Response unknown = http.bearer(bob.accessToken()).post(accept("inv_00000000000000000000000000000000"), null);

        for (Http.Response response : List.of(carolAccepts, carolDeclines, inviterAccepts, unknown)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
        }
        assertNotAMember(alice, org, carol);
        assertThat(http.bearer(carol.accessToken()).get(INVITATIONS).data()).isEmpty();
        assertThat(TenancySteps.eventCount(org, "MemberInvitationAccepted")).isZero();
        assertThat(TenancySteps.eventCount(org, "MemberInvitationDeclined")).isZero();
        assertThat(http.bearer(bob.accessToken()).post(accept(invitation), null).status()).isEqualTo(200);
        assertThat(roleOf(alice, org, bob.userId())).isEqualTo("admin");
    }

    @Test
    void given_an_invitation_when_declined_then_no_membership_and_answering_again_is_409() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String invitation = tenancy.invite(alice, org, bob.email(), "developer");

        Http.Response declined = http.bearer(bob.accessToken()).post(decline(invitation), null);

        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
        assertThat(declined.data().path("status").asText()).isEqualTo("declined");
        assertNotAMember(alice, org, bob);
        assertThat(http.bearer(bob.accessToken()).get(INVITATIONS).data()).isEmpty();
        for (String answer : List.of(accept(invitation), decline(invitation))) {
            Http.Response again = http.bearer(bob.accessToken()).post(answer, null);
            assertThat(again.status()).as(again.toString()).isEqualTo(409);
            assertThat(again.errorCode()).isEqualTo("CONFLICT");
        }
        assertNotAMember(alice, org, bob);
        assertThat(TenancySteps.eventCount(org, "MemberInvitationDeclined")).isEqualTo(1);
        assertThat(TenancySteps.eventCount(org, "MemberAdded")).as("only the owner's").isEqualTo(1);
        Http.Response reinvited = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", bob.email(), "role", "viewer"));
        assertThat(reinvited.status()).as("a declined invitation does not block a new one").isEqualTo(202);
    }

    @Test
    void given_an_accepted_invitation_when_accepted_again_then_409_and_the_membership_is_unchanged() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String invitation = tenancy.invite(alice, org, bob.email(), "viewer");
        assertThat(http.bearer(bob.accessToken()).post(accept(invitation), null).status()).isEqualTo(200);
        int events = TenancySteps.eventCount(org);

        Http.Response again = http.bearer(bob.accessToken()).post(accept(invitation), null);
        Http.Response declineAfter = http.bearer(bob.accessToken()).post(decline(invitation), null);

        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(declineAfter.status()).as(declineAfter.toString()).isEqualTo(409);
        assertThat(roleOf(alice, org, bob.userId())).isEqualTo("viewer");
        assertThat(TenancySteps.eventCount(org)).isEqualTo(events);
    }

    @Test
    void given_an_owner_invitation_then_the_invitee_is_no_owner_until_accepting() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        String invitation = tenancy.invite(alice, org, bob.email(), "owner");

        assertNotAMember(alice, org, bob);
        assertThat(http.bearer(bob.accessToken()).patch("/api/v1/organizations/" + org, Http.json("name", "Mine"))
                .status()).isEqualTo(404);
        assertThat(http.bearer(bob.accessToken()).post(accept(invitation), null).status()).isEqualTo(200);
        assertThat(roleOf(alice, org, bob.userId())).isEqualTo("owner");
        assertThat(http.bearer(bob.accessToken()).patch("/api/v1/organizations/" + org, Http.json("name", "Ours"))
                .status()).isEqualTo(200);
    }

    @Test
    void given_an_invitation_answered_then_its_events_and_audit_entries_name_who_invited_and_who_answered() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        Account carol = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String accepted = tenancy.invite(alice, org, bob.email(), "auditor");
        String declined = tenancy.invite(alice, org, carol.email(), "viewer");
        assertThat(http.bearer(bob.accessToken()).post(accept(accepted), null).status()).isEqualTo(200);
        assertThat(http.bearer(carol.accessToken()).post(decline(declined), null).status()).isEqualTo(200);

        assertThat(TenancySteps.eventCount(org, "MemberInvited")).isEqualTo(2);
        assertThat(TenancySteps.eventCount(org, "MemberInvitationAccepted")).isEqualTo(1);
        assertThat(TenancySteps.eventCount(org, "MemberInvitationDeclined")).isEqualTo(1);
        AuditTrail.awaitCaughtUp();
        List<String> trail = AuditTrail.strings("SELECT action || ' ' || actor_id FROM audit_entries"
                + " WHERE organization_id = ? ORDER BY sequence", org);
        assertThat(trail).containsSubsequence(
                "organization.member_invited " + alice.userId(),
                "organization.member_invited " + alice.userId(),
                "organization.member_invitation_accepted " + bob.userId(),
                "organization.member_added " + bob.userId(),
                "organization.member_invitation_declined " + carol.userId());
        assertThat(AuditTrail.strings("SELECT changes::jsonb->>'invitation_id' FROM audit_entries WHERE organization_id = ?"
                + " AND action = 'organization.member_invitation_declined'", org)).containsExactly(declined);
    }

    @Test
    void given_an_invitation_when_answered_with_an_api_key_or_without_credentials_then_403_or_401() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String invitation = tenancy.invite(alice, org, bob.email(), "viewer");
        String pat = new Tenancy(http).aPat(bob, List.of("admin"), null, null).token();

        Http.Response withPat = http.bearer(pat).post(accept(invitation), null);
        Http.Response anonymous = http.post(accept(invitation), null);

        assertThat(withPat.status()).as(withPat.toString()).isEqualTo(403);
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
        assertThat(http.get(INVITATIONS).status()).isEqualTo(401);
        assertNotAMember(alice, org, bob);
    }

    /**
     * The invitation lapses after 7 days. The Organization aggregate reads time from Axon's event
     * clock, moved 7 days and a minute ahead for the refused answers (no event is recorded then).
     */
    @Test
    void given_an_invitation_older_than_seven_days_when_answered_then_409_and_no_membership() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String invitation = tenancy.invite(alice, org, bob.email(), "viewer");

        Http.Response accepted;
        Http.Response declined;
        Clock original = GenericEventMessage.clock;
        try {
            GenericEventMessage.clock = Clock.offset(original, Duration.ofDays(7).plusMinutes(1));
            accepted = http.bearer(bob.accessToken()).post(accept(invitation), null);
            declined = http.bearer(bob.accessToken()).post(decline(invitation), null);
        } finally {
            GenericEventMessage.clock = original;
        }

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(409);
        assertThat(accepted.body().path("error").path("message").asText()).contains("expired");
        assertThat(declined.status()).as(declined.toString()).isEqualTo(409);
        assertNotAMember(alice, org, bob);
        assertThat(http.bearer(bob.accessToken()).post(accept(invitation), null).status())
                .as("within the 7 days the same invitation is accepted").isEqualTo(200);
    }

    @Test
    void given_a_member_when_invited_again_then_409_CONFLICT() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, bob, "viewer");

        Http.Response again = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", bob.email(), "role", "admin"));

        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(roleOf(alice, org, bob.userId())).isEqualTo("viewer");
    }

    @Test
    void given_an_open_invitation_when_the_same_email_is_invited_again_then_409_registered_or_not() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String email = newEmail();
        tenancy.invite(alice, org, bob.email(), "viewer");
        tenancy.invite(alice, org, email, "viewer");

        Http.Response registered = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", bob.email(), "role", "admin"));
        Http.Response unregistered = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", email, "role", "admin"));

        assertThat(registered.status()).as(registered.toString()).isEqualTo(409);
        assertThat(unregistered.status()).as(unregistered.toString()).isEqualTo(409);
        assertThat(registered.body().path("error")).isEqualTo(unregistered.body().path("error"));
    }

    @Test
    void given_an_unknown_role_when_adding_a_member_then_400_VALIDATION_FAILED_with_details_role() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        Http.Response response = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", bob.email(), "role", "superuser"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("role").asText()).isNotBlank();
        assertThat(http.bearer(alice.accessToken()).get(members(org)).data()).hasSize(1);
    }

    @Test
    void given_an_invalid_email_when_adding_a_member_then_400_with_details_email() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        Http.Response response = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", "not-an-email", "role", "viewer"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").has("email")).isTrue();
    }

    @Test
    void given_a_developer_when_adding_a_member_then_403_and_a_stranger_gets_404() {
        Account alice = accounts.anAccount();
        Account dev = accounts.anAccount();
        Account stranger = accounts.anAccount();
        Account carol = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, dev, "developer");

        Http.Response asDeveloper = http.bearer(dev.accessToken()).post(members(org),
                Http.json("email", carol.email(), "role", "viewer"));
        Http.Response asStranger = http.bearer(stranger.accessToken()).post(members(org),
                Http.json("email", carol.email(), "role", "viewer"));

        assertThat(asDeveloper.status()).as(asDeveloper.toString()).isEqualTo(403);
        assertThat(asDeveloper.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(asStranger.status()).as(asStranger.toString()).isEqualTo(404);
        assertNotAMember(alice, org, carol);
        assertThat(http.bearer(carol.accessToken()).get(INVITATIONS).data()).as("no invitation either").isEmpty();
    }

    @Test
    void given_an_admin_when_inviting_an_owner_then_403_only_owners_make_owners() {
        Account alice = accounts.anAccount();
        Account admin = accounts.anAccount();
        Account carol = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, admin, "admin");

        Http.Response response = http.bearer(admin.accessToken()).post(members(org),
                Http.json("email", carol.email(), "role", "owner"));

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(http.bearer(carol.accessToken()).get(INVITATIONS).data()).isEmpty();
    }

    // --- invitations of new accounts, by email ---------------------------------------------------------------------

    @Test
    void given_an_unknown_email_when_added_then_an_invited_user_gets_a_real_email_whose_token_signs_in_once() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice, TenancySteps.uniqueSlug("inv"), "Invite Co").path("id").asText();
        String email = newEmail();

        Http.Response added = http.bearer(alice.accessToken()).post(members(org),
                Http.json("email", email, "role", "developer"));

        assertThat(added.status()).as(added.toString()).isEqualTo(202);
        assertThat(added.data().path("invitation_id").asText()).startsWith("inv_");
        assertThat(added.data().path("status").asText()).isEqualTo("invited");
        assertThat(http.bearer(alice.accessToken()).get(members(org)).data().findValuesAsText("email"))
                .as("not a member before accepting").containsExactly(alice.email());

        MimeMessage mail = TestMail.awaitMessageTo(email);
        assertThat(TestMail.subject(mail)).contains("Invite Co");
        String body = TestMail.body(mail);
        assertThat(body).contains("developer");
        String token = invitationToken(body);

        Http.Response beforeAccepting = http.post("/api/v1/auth/login", Http.json("email", email, "password", NEW_PASSWORD));
        assertThat(beforeAccepting.status()).as("an invited user cannot sign in yet").isEqualTo(401);

        Http.Response accepted = http.post("/api/v1/invitations/accept",
                Http.json("token", token, "password", NEW_PASSWORD, "display_name", "Ivy Invited"));

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.data().path("access_token").asText()).isNotBlank();
        assertThat(accepted.data().path("refresh_token").asText()).isNotBlank();
        assertThat(accepted.data().path("token_type").asText()).isEqualTo("Bearer");
        String invitedId = accepted.data().path("user").path("id").asText();
        assertThat(invitedId).startsWith("usr_");
        assertThat(accepted.data().path("user").path("status").asText()).isEqualTo("active");
        assertThat(accepted.data().path("user").path("display_name").asText()).isEqualTo("Ivy Invited");

        Account invited = accounts.login(email, NEW_PASSWORD);
        Http.Response me = http.bearer(invited.accessToken()).get("/api/v1/auth/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        JsonNode memberships = me.data().path("memberships");
        assertThat(memberships).hasSize(1);
        assertThat(memberships.get(0).path("organization_id").asText()).isEqualTo(org);
        assertThat(memberships.get(0).path("role").asText()).isEqualTo("developer");
        assertThat(http.bearer(accepted.data().path("access_token").asText()).get("/api/v1/organizations/" + org)
                .status()).isEqualTo(200);
        assertThat(roleOf(alice, org, invitedId)).isEqualTo("developer");
        assertThat(memberStatus(alice, org, invitedId)).isEqualTo("active");

        Http.Response again = http.post("/api/v1/invitations/accept",
                Http.json("token", token, "password", "yet another password"));

        assertThat(again.status()).as(again.toString()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(http.post("/api/v1/auth/login", Http.json("email", email, "password", "yet another password"))
                .status()).as("the second accept changed nothing").isEqualTo(401);
        accounts.login(email, NEW_PASSWORD);
    }

    @Test
    void given_an_invited_account_invited_by_a_second_organization_when_it_accepts_its_link_then_it_joins_only_the_first() {
        Account alice = accounts.anAccount();
        Account dave = accounts.anAccount();
        String first = tenancy.organization(alice).path("id").asText();
        String second = tenancy.organization(dave).path("id").asText();
        String email = newEmail();
        tenancy.invite(alice, first, email, "developer");
        String token = invitationToken(TestMail.body(TestMail.awaitMessageTo(email)));
        String secondInvitation = tenancy.invite(dave, second, email, "admin");

        Http.Response accepted = http.post("/api/v1/invitations/accept", Http.json("token", token, "password", NEW_PASSWORD));

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        Account invited = accounts.login(email, NEW_PASSWORD);
        assertThat(roleOf(alice, first, invited.userId())).isEqualTo("developer");
        assertNotAMember(dave, second, invited);
        JsonNode open = http.bearer(invited.accessToken()).get(INVITATIONS).data();
        assertThat(open.findValuesAsText("id")).as("the second organization's still waits for an answer")
                .containsExactly(secondInvitation);
        assertThat(http.bearer(invited.accessToken()).post(accept(secondInvitation), null).status()).isEqualTo(200);
        assertThat(roleOf(dave, second, invited.userId())).isEqualTo("admin");
    }

    @Test
    void given_an_unknown_or_empty_token_when_accepting_then_404_or_400() {
        Http.Response unknown = http.post("/api/v1/invitations/accept",
                Http.json("token", "no-such-token", "password", NEW_PASSWORD));
        Http.Response missing = http.post("/api/v1/invitations/accept", Http.json("password", NEW_PASSWORD));

        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.body().path("error").path("details").has("token")).isTrue();
    }

    @Test
    void given_an_invitation_when_accepted_with_a_too_short_password_then_400_and_the_token_still_works() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String email = newEmail();
        http.bearer(alice.accessToken()).post(members(org), Http.json("email", email, "role", "viewer"));
        String token = invitationToken(TestMail.body(TestMail.awaitMessageTo(email)));

        Http.Response tooShort = http.post("/api/v1/invitations/accept", Http.json("token", token, "password", "short"));

        assertThat(tooShort.status()).as(tooShort.toString()).isEqualTo(400);
        assertThat(tooShort.body().path("error").path("details").has("password")).isTrue();
        assertThat(http.post("/api/v1/invitations/accept", Http.json("token", token, "password", NEW_PASSWORD))
                .status()).isEqualTo(200);
    }

    /**
     * The invitation lapses after 7 days. The User aggregate reads time from Axon's event clock,
     * which is moved 7 days and a minute ahead for the one refused request (no event is recorded
     * then), and put back before the same token is accepted.
     */
    @Test
    void given_an_invitation_older_than_seven_days_when_accepted_then_404() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String email = newEmail();
        http.bearer(alice.accessToken()).post(members(org), Http.json("email", email, "role", "viewer"));
        String token = invitationToken(TestMail.body(TestMail.awaitMessageTo(email)));

        Http.Response expired;
        Clock original = GenericEventMessage.clock;
        try {
            GenericEventMessage.clock = Clock.offset(original, Duration.ofDays(7).plusMinutes(1));
            expired = http.post("/api/v1/invitations/accept", Http.json("token", token, "password", NEW_PASSWORD));
        } finally {
            GenericEventMessage.clock = original;
        }

        assertThat(expired.status()).as(expired.toString()).isEqualTo(404);
        assertThat(expired.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(http.post("/api/v1/invitations/accept", Http.json("token", token, "password", NEW_PASSWORD))
                .status()).as("within the 7 days the same token works").isEqualTo(200);
    }

    @Test
    void given_an_archived_organization_when_inviting_then_409_no_email_and_the_invited_account_is_rolled_back() {
        Account alice = accounts.anAccount();
        String archived = tenancy.organization(alice).path("id").asText();
        String other = tenancy.organization(alice).path("id").asText();
        assertThat(http.bearer(alice.accessToken()).delete("/api/v1/organizations/" + archived).status()).isEqualTo(200);
        String email = newEmail();

        Http.Response viaMembers = http.bearer(alice.accessToken()).post(members(archived),
                Http.json("email", email, "role", "viewer"));
        Http.Response viaUsers = http.bearer(alice.accessToken()).post("/api/v1/users",
                Http.json("email", email, "organization_id", archived, "role", "viewer"));

        assertThat(viaMembers.status()).as(viaMembers.toString()).isEqualTo(409);
        assertThat(viaUsers.status()).as(viaUsers.toString()).isEqualTo(409);
        assertThat(TestMail.messagesTo(email)).isEmpty();
        Http.Response elsewhere = http.bearer(alice.accessToken()).post("/api/v1/users",
                Http.json("email", email, "organization_id", other, "role", "viewer"));
        assertThat(elsewhere.status()).as("the invited account of the refused request was rolled back")
                .isEqualTo(201);
        assertThat(TestMail.awaitMessageTo(email)).isNotNull();
        assertThat(TestMail.messagesTo(email)).hasSize(1);
    }

    // --- POST /users ----------------------------------------------------------------------------------

    @Test
    void given_an_admin_when_inviting_a_user_then_201_an_invited_user_and_a_real_email_with_a_working_link() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice, TenancySteps.uniqueSlug("users"), "Users Inc").path("id").asText();
        String email = newEmail();

        Http.Response invited = http.bearer(alice.accessToken()).post("/api/v1/users", Http.json(
                "email", email, "display_name", "Vera Viewer", "locale", "de-CH", "organization_id", org,
                "role", "auditor"));

        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        assertThat(invited.data().path("id").asText()).startsWith("usr_");
        assertThat(invited.data().path("email").asText()).isEqualTo(email);
        assertThat(invited.data().path("display_name").asText()).isEqualTo("Vera Viewer");
        assertThat(invited.data().path("locale").asText()).isEqualTo("de-CH");
        assertThat(invited.data().path("status").asText()).isEqualTo("invited");
        assertThat(invited.data().path("organization_id").asText()).isEqualTo(org);
        assertThat(invited.data().path("role").asText()).isEqualTo("auditor");
        String invitedId = invited.data().path("id").asText();
        assertThat(roleOf(alice, org, invitedId)).as("not a member before accepting").isNull();

        MimeMessage mail = TestMail.awaitMessageTo(email);
        assertThat(TestMail.subject(mail)).contains("Users Inc");
        assertThat(TestMail.messagesTo(email)).hasSize(1);
        Http.Response accepted = http.post("/api/v1/invitations/accept",
                Http.json("token", invitationToken(TestMail.body(mail)), "password", NEW_PASSWORD));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.data().path("user").path("display_name").asText()).isEqualTo("Vera Viewer");
        assertThat(roleOf(alice, org, invitedId)).isEqualTo("auditor");
        assertThat(memberStatus(alice, org, invitedId)).isEqualTo("active");
        assertThat(TenancySteps.eventCount(org, "MemberInvitationAccepted")).isEqualTo(1);
    }

    @Test
    void given_an_email_that_has_an_account_when_inviting_it_then_409_and_no_email_is_sent() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        Http.Response duplicate = http.bearer(alice.accessToken()).post("/api/v1/users", Http.json(
                "email", bob.email(), "organization_id", org, "role", "viewer"));
        Http.Response duplicateOtherCase = http.bearer(alice.accessToken()).post("/api/v1/users", Http.json(
                "email", bob.email().toUpperCase(Locale.ROOT), "organization_id", org, "role", "viewer"));

        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("CONFLICT");
        assertThat(duplicateOtherCase.status()).as(duplicateOtherCase.toString()).isEqualTo(409);
        // Bob's only email is his registration's verification link: no invitation.
        assertThat(TestMail.messagesTo(bob.email())).allSatisfy(mail -> assertThat(TestMail.subject(mail))
                .contains("Verify your email"));
        assertThat(http.bearer(alice.accessToken()).get(members(org)).data().findValuesAsText("user_id"))
                .containsExactly(alice.userId());
    }

    @Test
    void given_an_invited_email_when_invited_again_then_409() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String email = newEmail();
        Http.Response first = http.bearer(alice.accessToken()).post("/api/v1/users",
                Http.json("email", email, "organization_id", org, "role", "viewer"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);

        Http.Response second = http.bearer(alice.accessToken()).post("/api/v1/users",
                Http.json("email", email, "organization_id", org, "role", "viewer"));

        assertThat(second.status()).as(second.toString()).isEqualTo(409);
    }

    @Test
    void given_a_viewer_or_a_stranger_when_inviting_then_403_or_404_and_no_user_is_created() {
        Account alice = accounts.anAccount();
        Account viewer = accounts.anAccount();
        Account stranger = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, viewer, "viewer");
        String email = newEmail();

        Http.Response asViewer = http.bearer(viewer.accessToken()).post("/api/v1/users",
                Http.json("email", email, "organization_id", org, "role", "viewer"));
        Http.Response asStranger = http.bearer(stranger.accessToken()).post("/api/v1/users",
                Http.json("email", email, "organization_id", org, "role", "viewer"));

        assertThat(asViewer.status()).as(asViewer.toString()).isEqualTo(403);
        assertThat(asStranger.status()).as(asStranger.toString()).isEqualTo(404);
        Http.Response inviteAfter = http.bearer(alice.accessToken()).post("/api/v1/users",
                Http.json("email", email, "organization_id", org, "role", "viewer"));
        assertThat(inviteAfter.status()).as("the email was never taken").isEqualTo(201);
    }

    @Test
    void given_missing_or_invalid_fields_when_inviting_then_400_naming_them() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        Http.Response missing = http.bearer(alice.accessToken()).post("/api/v1/users", Http.json("email", newEmail()));
        Http.Response badRole = http.bearer(alice.accessToken()).post("/api/v1/users",
                Http.json("email", newEmail(), "organization_id", org, "role", "god"));
        Http.Response badLocale = http.bearer(alice.accessToken()).post("/api/v1/users",
                Http.json("email", newEmail(), "organization_id", org, "role", "viewer", "locale", "not a locale"));

        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.body().path("error").path("details").has("organization_id")).isTrue();
        assertThat(missing.body().path("error").path("details").has("role")).isTrue();
        assertThat(badRole.status()).as(badRole.toString()).isEqualTo(400);
        assertThat(badRole.body().path("error").path("details").has("role")).isTrue();
        assertThat(badLocale.status()).as(badLocale.toString()).isEqualTo(400);
        assertThat(badLocale.body().path("error").path("details").has("locale")).isTrue();
    }

    // --- roles and removal ------------------------------------------------------------------------------

    @Test
    void given_a_member_when_the_owner_changes_the_role_then_200_and_the_new_permissions_apply() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, bob, "viewer");
        assertThat(http.bearer(bob.accessToken()).patch("/api/v1/organizations/" + org, Http.json("name", "x"))
                .status()).isEqualTo(403);

        Http.Response changed = http.bearer(alice.accessToken()).patch(member(org, bob.userId()),
                Http.json("role", "admin"));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.data().path("role").asText()).isEqualTo("admin");
        assertThat(roleOf(alice, org, bob.userId())).isEqualTo("admin");
        assertThat(http.bearer(bob.accessToken()).patch("/api/v1/organizations/" + org, Http.json("name", "By Bob"))
                .status()).isEqualTo(200);
    }

    @Test
    void given_an_unknown_role_or_member_when_changing_a_role_then_400_or_404() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, bob, "viewer");

        Http.Response badRole = http.bearer(alice.accessToken()).patch(member(org, bob.userId()),
                Http.json("role", "emperor"));
        Http.Response notMember = http.bearer(alice.accessToken()).patch(member(org, "usr_nobody"),
                Http.json("role", "admin"));

        assertThat(badRole.status()).as(badRole.toString()).isEqualTo(400);
        assertThat(badRole.body().path("error").path("details").has("role")).isTrue();
        assertThat(notMember.status()).as(notMember.toString()).isEqualTo(404);
        assertThat(roleOf(alice, org, bob.userId())).isEqualTo("viewer");
    }

    @Test
    void given_the_last_owner_when_removed_or_demoted_then_409_and_the_owner_stays() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        int events = TenancySteps.eventCount(org);

        Http.Response removed = http.bearer(alice.accessToken()).delete(member(org, alice.userId()));
        Http.Response demoted = http.bearer(alice.accessToken()).patch(member(org, alice.userId()),
                Http.json("role", "admin"));

        assertThat(removed.status()).as(removed.toString()).isEqualTo(409);
        assertThat(removed.errorCode()).isEqualTo("CONFLICT");
        assertThat(demoted.status()).as(demoted.toString()).isEqualTo(409);
        assertThat(demoted.errorCode()).isEqualTo("CONFLICT");
        assertThat(roleOf(alice, org, alice.userId())).isEqualTo("owner");
        assertThat(TenancySteps.eventCount(org)).isEqualTo(events);
    }

    @Test
    void given_two_owners_when_one_is_demoted_then_the_other_becomes_the_last_owner_who_cannot_go() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, bob, "owner");

        Http.Response demoted = http.bearer(bob.accessToken()).patch(member(org, alice.userId()),
                Http.json("role", "admin"));
        Http.Response bobLeaves = http.bearer(bob.accessToken()).delete(member(org, bob.userId()));

        assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
        assertThat(roleOf(bob, org, alice.userId())).isEqualTo("admin");
        assertThat(bobLeaves.status()).as(bobLeaves.toString()).isEqualTo(409);
        assertThat(roleOf(bob, org, bob.userId())).isEqualTo("owner");
    }

    @Test
    void given_an_admin_when_demoting_or_removing_an_owner_then_403() {
        Account alice = accounts.anAccount();
        Account admin = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, admin, "admin");

        Http.Response demote = http.bearer(admin.accessToken()).patch(member(org, alice.userId()),
                Http.json("role", "viewer"));
        Http.Response remove = http.bearer(admin.accessToken()).delete(member(org, alice.userId()));

        assertThat(demote.status()).as(demote.toString()).isEqualTo(403);
        assertThat(remove.status()).as(remove.toString()).isEqualTo(403);
        assertThat(roleOf(alice, org, alice.userId())).isEqualTo("owner");
    }

    @Test
    void given_a_member_when_removed_then_200_it_leaves_the_list_and_loses_access() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, bob, "developer");
        assertThat(http.bearer(bob.accessToken()).get("/api/v1/organizations/" + org).status()).isEqualTo(200);

        Http.Response removed = http.bearer(alice.accessToken()).delete(member(org, bob.userId()));

        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.data().path("user_id").asText()).isEqualTo(bob.userId());
        assertThat(http.bearer(alice.accessToken()).get(members(org)).data().findValuesAsText("user_id"))
                .containsExactly(alice.userId());
        Http.Response bobReads = http.bearer(bob.accessToken()).get("/api/v1/organizations/" + org);
        assertThat(bobReads.status()).as(bobReads.toString()).isEqualTo(404);
        assertThat(http.bearer(bob.accessToken()).get("/api/v1/auth/me").data().path("memberships")).isEmpty();
        Http.Response removedAgain = http.bearer(alice.accessToken()).delete(member(org, bob.userId()));
        assertThat(removedAgain.status()).as(removedAgain.toString()).isEqualTo(404);
    }

    @Test
    void given_a_member_when_leaving_on_their_own_then_200() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, bob, "admin");

        Http.Response left = http.bearer(bob.accessToken()).delete(member(org, bob.userId()));

        assertThat(left.status()).as(left.toString()).isEqualTo(200);
        assertThat(http.bearer(alice.accessToken()).get(members(org)).data().findValuesAsText("user_id"))
                .containsExactly(alice.userId());
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static final String INVITATIONS = "/api/v1/auth/invitations";

    private static String accept(String invitation) {
        return INVITATIONS + "/" + invitation + "/accept";
    }

    private static String decline(String invitation) {
        return INVITATIONS + "/" + invitation + "/decline";
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The account is no member: not listed, cannot read the organization, none in its memberships. */
    private void assertNotAMember(Account reader, String org, Account account) {
        assertThat(roleOf(reader, org, account.userId())).as("listed as member").isNull();
        assertThat(http.bearer(account.accessToken()).get("/api/v1/organizations/" + org).status()).isEqualTo(404);
        assertThat(http.bearer(account.accessToken()).get("/api/v1/auth/me").data().path("memberships")
                .findValuesAsText("organization_id")).doesNotContain(org);
    }

    private static String members(String org) {
        return "/api/v1/organizations/" + org + "/members";
    }

    private static String member(String org, String userId) {
        return members(org) + "/" + userId;
    }

    private static String newEmail() {
        return "invitee-" + UUID.randomUUID() + "@example.com";
    }

    private String roleOf(Account reader, String org, String userId) {
        return memberField(reader, org, userId, "role");
    }

    private String memberStatus(Account reader, String org, String userId) {
        return memberField(reader, org, userId, "status");
    }

    private String memberField(Account reader, String org, String userId, String field) {
        Http.Response list = http.bearer(reader.accessToken()).get(members(org));
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        for (JsonNode member : list.data()) {
            if (member.path("user_id").asText().equals(userId)) {
                return member.path(field).asText();
            }
        }
        return null;
    }

    /** The token of the one invitation link in the email body (decoded from the URL). */
    private static String invitationToken(String body) {
        Matcher link = INVITATION_LINK.matcher(body);
        assertThat(link.find()).as("an invitation link in:\n" + body).isTrue();
        String token = URLDecoder.decode(link.group(2), StandardCharsets.UTF_8);
        assertThat(link.find()).as("exactly one invitation link").isFalse();
        return token;
    }
}
