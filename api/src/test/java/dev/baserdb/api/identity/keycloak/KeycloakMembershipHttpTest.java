package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.KeycloakApiTest;
import dev.baserdb.api.support.RealmUsers;
import dev.baserdb.api.support.RealmUsers.RealmUser;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Organizations and memberships mirrored into the realm as groups {@code /baserdb/<slug>/<role>},
 * read back from a real Keycloak with the admin client (issue 14); a removed member loses access
 * at the next request; an invitation of someone without an account makes their realm user.
 */
@KeycloakApiTest
class KeycloakMembershipHttpTest {

    private static final Duration MIRRORED = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    Http http;
    RealmUsers realm;
    Tenancy tenancy;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        realm = new RealmUsers();
        tenancy = new Tenancy(http);
    }

    private Account signedIn(RealmUser user) {
        return realm.signedIn(http, user);
    }

    private String slugOf(Account account, String organizationId) {
        return Tenancy.ok(http.bearer(account.accessToken()).get("/api/v1/organizations/" + organizationId))
                .path("slug").asText();
    }

    @Test
    void given_a_new_organization_then_its_owner_is_in_the_owner_group_of_its_keycloak_group() {
        RealmUser ada = realm.aRealmUser();
        Account owner = signedIn(ada);

        String organization = tenancy.anOrganization(owner);
        String slug = slugOf(owner, organization);

        await().atMost(MIRRORED).untilAsserted(() ->
                assertThat(realm.groupsOf(ada.id())).containsExactly("/baserdb/" + slug + "/owner"));
        assertThat(realm.realm().getGroupByPath("/baserdb/" + slug).getSubGroupCount()).isEqualTo(5);
    }

    @Test
    void given_membership_changes_then_keycloak_group_memberships_follow_and_removal_ends_access_at_once() {
        RealmUser ada = realm.aRealmUser();
        RealmUser bob = realm.aRealmUser();
        Account owner = signedIn(ada);
        Account member = signedIn(bob);
        String organization = tenancy.anOrganization(owner);
        String slug = slugOf(owner, organization);

        // added as developer: the invitation, accepted with bob's own realm token
        tenancy.addMember(owner, organization, member, "developer");
        await().atMost(MIRRORED).untilAsserted(() ->
                assertThat(realm.groupsOf(bob.id())).containsExactly("/baserdb/" + slug + "/developer"));
        assertThat(http.bearer(member.accessToken()).get("/api/v1/organizations/" + organization).status())
                .isEqualTo(200);

        // role changed to admin: out of developer, into admin
        Http.Response changed = http.bearer(owner.accessToken()).patch(
                "/api/v1/organizations/" + organization + "/members/" + member.userId(), Http.json("role", "admin"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        await().atMost(MIRRORED).untilAsserted(() ->
                assertThat(realm.groupsOf(bob.id())).containsExactly("/baserdb/" + slug + "/admin"));

        // removed: the very next request with the same, still valid realm token is refused
        Http.Response removed = http.bearer(owner.accessToken())
                .delete("/api/v1/organizations/" + organization + "/members/" + member.userId());
        assertThat(removed.status()).as(removed.toString()).isIn(200, 204);
        Http.Response after = http.bearer(member.accessToken()).get("/api/v1/organizations/" + organization);
        assertThat(after.status()).as(after.toString()).isEqualTo(404);
        await().atMost(MIRRORED).untilAsserted(() -> assertThat(realm.groupsOf(bob.id())).isEmpty());
        assertThat(realm.groupsOf(ada.id())).containsExactly("/baserdb/" + slug + "/owner");
    }

    @Test
    void given_an_invitation_of_someone_without_an_account_then_keycloak_gets_the_user_with_required_actions_and_the_first_sign_in_joins() {
        RealmUser ada = realm.aRealmUser();
        Account owner = signedIn(ada);
        String organization = tenancy.anOrganization(owner);
        String slug = slugOf(owner, organization);
        String email = Tenancy.unique("invitee") + "@example.com";

        tenancy.invite(owner, organization, email, "viewer");

        UserRepresentation created = realm.byEmail(email);
        assertThat(created).as("realm user made by the invitation").isNotNull();
        assertThat(created.getRequiredActions()).containsExactlyInAnyOrder("VERIFY_EMAIL", "UPDATE_PASSWORD");
        assertThat(created.isEmailVerified()).isFalse();
        assertThat(realm.realm().users().get(created.getId()).credentials()).as("no password set by BaserDB").isEmpty();

        // the person verifies the email and chooses a password in Keycloak, then signs in to BaserDB
        realm.completeRequiredActions(created.getId(), created.getUsername());
        String token = realm.token(created.getUsername());
        Http.Response me = http.bearer(token).get("/api/v1/auth/me");

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("user").path("email").asText()).isEqualTo(email);
        assertThat(me.data().path("memberships").findValuesAsText("organization_id")).containsExactly(organization);
        assertThat(me.data().path("memberships").findValuesAsText("role")).containsExactly("viewer");
        await().atMost(MIRRORED).untilAsserted(() ->
                assertThat(realm.groupsOf(created.getId())).containsExactly("/baserdb/" + slug + "/viewer"));
    }
}
