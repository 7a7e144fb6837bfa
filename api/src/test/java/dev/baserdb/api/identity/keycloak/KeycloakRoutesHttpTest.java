package dev.baserdb.api.identity.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.KeycloakApiTest;
import dev.baserdb.api.support.KeycloakServer;
import dev.baserdb.api.support.RealmUsers;
import dev.baserdb.api.support.RealmUsers.RealmUser;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.required;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What changes, and what does not, in identity mode keycloak (issue 14): the built-in password,
 * registration, second-factor and session routes answer 400 with a clear message; personal access
 * tokens, service keys and the data API work as before; the OpenAPI document declares the realm.
 */
@KeycloakApiTest
class KeycloakRoutesHttpTest {

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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /api/v1/auth/register",
            "POST, /api/v1/auth/login",
            "POST, /api/v1/auth/refresh",
            "POST, /api/v1/auth/logout",
            "POST, /api/v1/auth/logout-all",
            "PATCH, /api/v1/auth/password",
            "POST, /api/v1/auth/forgot-password",
            "POST, /api/v1/auth/reset-password",
            "POST, /api/v1/auth/2fa/setup",
            "POST, /api/v1/auth/2fa/enable",
            "POST, /api/v1/auth/2fa/verify",
            "DELETE, /api/v1/auth/2fa",
            "POST, /api/v1/auth/magic-link",
            "GET, /api/v1/auth/sessions",
            "DELETE, /api/v1/auth/me",
            "POST, /api/v1/invitations/accept",
            "POST, /api/v1/auth//LOGIN/",
            "POST, /api/v1/auth/%6cogin",
    })
    void given_keycloak_mode_when_a_builtin_credential_route_is_called_then_400_saying_the_realm_signs_people_in(
            String method, String path) {
        Http.Response response = http.send(method, path,
                Http.json("email", TestDatabase.ADMIN_EMAIL, "password", TestDatabase.ADMIN_PASSWORD), "application/json");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("BAD_REQUEST");
        assertThat(response.body().path("error").path("message").asText()).contains("Keycloak");
        assertThat(response.body().path("data").isNull()).isTrue();
    }

    @Test
    void given_keycloak_mode_when_the_bootstrap_admin_tries_the_builtin_login_then_no_token_is_issued() {
        Http.Response response = http.post("/api/v1/auth/login",
                Http.json("email", TestDatabase.ADMIN_EMAIL, "password", TestDatabase.ADMIN_PASSWORD));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).doesNotContain("access_token");
    }

    @Test
    void given_a_realm_user_when_creating_a_personal_access_token_then_it_works_like_in_builtin_mode() {
        Account ada = signedIn(realm.aRealmUser());
        Http.Response created = http.bearer(ada.accessToken()).post("/api/v1/auth/tokens",
                Http.json("name", "ci", "scopes", List.of("read")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String pat = created.data().path("token").asText();

        Http.Response me = http.bearer(pat).get("/api/v1/auth/me");

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("user").path("id").asText()).isEqualTo(ada.userId());
    }

    @Test
    void given_a_project_made_with_a_realm_token_then_its_service_key_and_the_data_api_work_as_before() {
        Account ada = signedIn(realm.aRealmUser());
        String organization = tenancy.anOrganization(ada);
        Tenancy.Project project = tenancy.aProject(ada, organization);
        TableFixtures tables = new TableFixtures(http);
        String table = tables.aTable(ada, project.id(), required("title", "TEXT"), column("likes", "INT"))
                .path("name").asText();

        JsonNode row = TableFixtures.insert(tables.serviceKey(project.serviceKey()), project.id(), table,
                Http.json("title", "Tea", "likes", 3));
        Http.Response asOperator = http.bearer(ada.accessToken()).get("/api/v1/data/" + project.id() + "/" + table);

        assertThat(row.path("title").asText()).isEqualTo("Tea");
        assertThat(asOperator.status()).as(asOperator.toString()).isEqualTo(200);
        assertThat(TableFixtures.values(asOperator.data(), "title")).containsExactly("Tea");
    }

    @Test
    void given_keycloak_mode_then_the_openapi_document_declares_the_realm_as_an_openid_connect_scheme() {
        Http.Response document = http.get("/api/v1/openapi.json");

        JsonNode scheme = document.body().path("components").path("securitySchemes").path("keycloak");
        assertThat(scheme.path("type").asText()).isEqualTo("openIdConnect");
        assertThat(scheme.path("openIdConnectUrl").asText()).isEqualTo(KeycloakServer.get().url()
                + "/realms/" + KeycloakServer.REALM + "/.well-known/openid-configuration");
    }

    @Test
    void given_keycloak_mode_when_the_invited_route_post_users_is_used_then_the_account_is_made_in_the_realm() {
        Account ada = signedIn(realm.aRealmUser());
        String organization = tenancy.anOrganization(ada);
        String email = Tenancy.unique("direct") + "@example.com";

        Http.Response invited = http.bearer(ada.accessToken()).post("/api/v1/users", Http.json("email", email,
                "display_name", "Grace Hopper", "locale", "en", "organization_id", organization, "role", "developer"));

        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        assertThat(invited.data().path("status").asText()).isEqualTo("invited");
        var user = realm.byEmail(email);
        assertThat(user).isNotNull();
        assertThat(user.getFirstName()).isEqualTo("Grace");
        assertThat(user.getLastName()).isEqualTo("Hopper");
        assertThat(user.getRequiredActions()).contains("UPDATE_PASSWORD", "VERIFY_EMAIL");
    }
}
