package dev.baserdb.api.identity.keycloak;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The Keycloak realm of identity mode {@code keycloak} ({@code baserdb.keycloak.*}, docs/keycloak.md):
 * where it is, which confidential client BaserDB is, and how tokens are checked.
 */
@ConfigurationProperties("baserdb.keycloak")
public record KeycloakProperties(
        /* Base URL of the Keycloak server as BaserDB reaches it, e.g. http://keycloak:8080 */
        String url,
        String realm,
        /* The confidential client: tokens must name it in aud or azp; its service account runs the admin client. */
        String clientId,
        String clientSecret,
        /* Base URL in the tokens' iss when clients reach Keycloak under another name; default: url. */
        String issuerUrl,
        /* Tolerance on exp, for clocks a little apart. */
        @DefaultValue("30s") Duration clockSkew,
        /* How long the realm's public keys are kept before they are fetched again (an unknown kid fetches at once). */
        @DefaultValue("15m") Duration jwksCacheTtl,
        /* Least time between two fetches of the keys caused by unknown kids, so forged tokens cannot flood Keycloak. */
        @DefaultValue("30s") Duration jwksRefreshMinInterval,
        /* Connect and read timeout of calls to Keycloak. */
        @DefaultValue("5s") Duration timeout) {

    /** The issuer every accepted token names. */
    public String issuer() {
        return trimmed(issuerUrl == null || issuerUrl.isBlank() ? url : issuerUrl) + "/realms/" + realm;
    }

    /** Where the realm publishes its public keys (reached through {@link #url}). */
    public String jwksUrl() {
        return trimmed(url) + "/realms/" + realm + "/protocol/openid-connect/certs";
    }

    /** Refuses to start with a setting missing: a half-configured identity provider would refuse everyone. */
    void requireComplete() {
        require(url, "BASERDB_KEYCLOAK_URL");
        require(realm, "BASERDB_KEYCLOAK_REALM");
        require(clientId, "BASERDB_KEYCLOAK_CLIENT_ID");
        require(clientSecret, "BASERDB_KEYCLOAK_CLIENT_SECRET");
    }

    private static void require(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("BASERDB_IDENTITY=keycloak needs " + variable + " (see docs/keycloak.md)");
        }
    }

    private static String trimmed(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
