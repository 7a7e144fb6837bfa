package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.KeycloakApiTest;
import dev.baserdb.api.support.RealmUsers;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.DriverManager;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A BaserDB account that exists before its realm user (here the bootstrap platform admin) is
 * linked by email only when the realm has verified that email; until then the token is refused,
 * so nobody takes over an account by typing its address into an unverified realm profile.
 */
@KeycloakApiTest
class KeycloakAccountLinkHttpTest {

    @LocalServerPort
    int port;

    @Test
    void given_an_existing_account_when_a_realm_user_with_its_email_signs_in_then_only_a_verified_email_links_it() throws Exception {
        Http http = new Http(port);
        RealmUsers realm = new RealmUsers();
        UserRepresentation user = new UserRepresentation();
        user.setUsername("bootstrap-admin");
        user.setEmail(TestDatabase.ADMIN_EMAIL);
        user.setEmailVerified(false);
        user.setFirstName("Platform");
        user.setLastName("Admin");
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(RealmUsers.PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        String id;
        try (var response = realm.realm().users().create(user)) {
            id = CreatedResponseUtil.getCreatedId(response);
        }

        Http.Response unverified = http.bearer(realm.token("bootstrap-admin")).get("/api/v1/auth/me");
        assertThat(unverified.status()).as(unverified.toString()).isEqualTo(401);
        assertThat(unverified.body().path("error").path("message").asText()).contains("verify the email");
        assertThat(KeycloakEvents.linksOf(id)).isZero();

        UserRepresentation verified = realm.realm().users().get(id).toRepresentation();
        verified.setEmailVerified(true);
        realm.realm().users().get(id).update(verified);
        Http.Response me = http.bearer(realm.token("bootstrap-admin")).get("/api/v1/auth/me");

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("user").path("id").asText()).isEqualTo(adminUserId());
        assertThat(me.data().path("permissions").toString()).contains("platform_admin");
        assertThat(KeycloakEvents.linksOf(id)).isEqualTo(1);
    }

    private static String adminUserId() throws Exception {
        try (var c = DriverManager.getConnection(KeycloakApiTest.KeycloakMode.database(), TestDatabase.USER,
                TestDatabase.PASSWORD);
             var s = c.prepareStatement("select id from users where email = ?")) {
            s.setString(1, TestDatabase.ADMIN_EMAIL);
            try (var rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
