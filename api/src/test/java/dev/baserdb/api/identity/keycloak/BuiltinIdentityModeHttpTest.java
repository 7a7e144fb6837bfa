package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The default identity mode, builtin, loads nothing of Keycloak and keeps its own password routes (issue 14). */
@ApiTest
class BuiltinIdentityModeHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void given_the_default_mode_then_no_keycloak_component_exists() {
        assertThat(context.getBeanNamesForType(KeycloakTokens.class)).isEmpty();
        assertThat(context.getBeanNamesForType(KeycloakSignIn.class)).isEmpty();
        assertThat(context.getBeanNamesForType(KeycloakRealm.class)).isEmpty();
        assertThat(context.getBeanNamesForType(KeycloakGroupMirror.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.keycloak.admin.client.Keycloak.class)).isEmpty();
    }

    @Test
    void given_the_default_mode_then_the_builtin_login_answers_and_is_not_closed() {
        Http.Response response = http.post("/api/v1/auth/login",
                Http.json("email", TestDatabase.ADMIN_EMAIL, "password", TestDatabase.ADMIN_PASSWORD));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("access_token").asText()).isNotBlank();
    }

    @Test
    void given_the_default_mode_then_the_openapi_document_declares_no_keycloak_scheme() {
        Http.Response document = http.get("/api/v1/openapi.json");

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body().path("components").path("securitySchemes").has("keycloak")).isFalse();
    }
}
