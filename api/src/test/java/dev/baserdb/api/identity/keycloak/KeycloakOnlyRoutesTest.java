package dev.baserdb.api.identity.keycloak;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The path rule of identity mode keycloak: which routes the realm owns, and which stay open. */
class KeycloakOnlyRoutesTest {

    @ParameterizedTest(name = "{0} {1} closed: {2}")
    @CsvSource({
            "POST, /api/v1/auth/login, true",
            "POST, /api/v1/auth/login/, true",
            "POST, /api/v1/auth/Login, true",
            "POST, /api/v1/auth//login, true",
            "POST, /api/v1/auth/login;jsessionid=1, true",
            "POST, /api/v1/auth/%6cogin, true",
            "POST, /api/v1/auth/2fa%2Fverify, true",
            "POST, /api/v1/auth/2fa/verify, true",
            "POST, /api/v1/auth/2fa/some-route-added-later, true",
            "POST, /api/v1/auth/reset-password, true",
            "DELETE, /api/v1/auth/me, true",
            "POST, /api/v1/invitations/accept, true",
            "GET, /api/v1/auth/me, false",
            "GET, /api/v1/auth/tokens, false",
            "POST, /api/v1/auth/tokens, false",
            "POST, /api/v1/auth/invitations/inv_1/accept, false",
            "GET, /api/v1/auth/loginsomething, false",
            "GET, /api/v1/organizations, false",
            "POST, /api/v1/data/prj_1/login, false",
    })
    void given_a_route_then_the_realm_owns_it_or_not(String method, String path, boolean closed) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);

        assertThat(KeycloakOnlyRoutes.ownedByTheRealm(request)).isEqualTo(closed);
    }
}
