package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People of the test realm, made and read back through Keycloak's admin API, and their tokens from
 * the realm's token endpoint (password grant of the confidential client, as a real client would).
 */
public final class RealmUsers {

    public static final String PASSWORD = "realm user password";

    private final KeycloakServer server = KeycloakServer.ready();
    private final Keycloak admin = server.admin();
    private final HttpClient client = HttpClient.newHttpClient();

    /** A realm user. {@code id} is the {@code sub} of its tokens. */
    public record RealmUser(String id, String username, String email) {
    }

    public RealmResource realm() {
        return admin.realm(KeycloakServer.REALM);
    }

    /** A new, fully set-up realm user (email verified, names, password; no required actions). */
    public RealmUser aRealmUser() {
        String username = Tenancy.unique("kc");
        String email = username + "@example.com";
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(email);
        user.setEmailVerified(true);
        user.setFirstName("Test");
        user.setLastName(username);
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        try (var response = realm().users().create(user)) {
            return new RealmUser(CreatedResponseUtil.getCreatedId(response), username, email);
        }
    }

    /** An access token of the user, from the realm's token endpoint (password grant). */
    /** A realm user signed in to BaserDB once through {@code http} (so the account exists), as the test support's account. */
    public Accounts.Account signedIn(Http http, RealmUser user) {
        String token = token(user.username());
        Http.Response me = http.bearer(token).get("/api/v1/auth/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        return new Accounts.Account(user.email(), me.data().path("user").path("id").asText(), token, null);
    }

    public String token(String username) {
        return token(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, KeycloakServer.CLIENT_SECRET, username, PASSWORD);
    }

    /** An access token from any realm and client of the server (password grant), or a failure naming Keycloak's answer. */
    public String token(String realm, String clientId, String secret, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        if (secret != null) {
            form.put("client_secret", secret);
        }
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid email profile");
        return post(server.tokenEndpoint(realm), form);
    }

    /** A client-credentials token of the confidential client (its service account). */
    public String clientToken() {
        return post(server.tokenEndpoint(KeycloakServer.REALM), Map.of("grant_type", "client_credentials",
                "client_id", KeycloakServer.CLIENT_ID, "client_secret", KeycloakServer.CLIENT_SECRET));
    }

    private String post(String endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(endpoint))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = Http.JSON.readTree(response.body());
            if (response.statusCode() != 200 || !json.hasNonNull("access_token")) {
                throw new IllegalStateException("Keycloak refused the token request: " + response.body());
            }
            return json.get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The paths of the groups the realm user is a member of, read from Keycloak. */
    public List<String> groupsOf(String userId) {
        return realm().users().get(userId).groups(0, 1000).stream().map(GroupRepresentation::getPath).sorted().toList();
    }

    /**
     * Adds a new RS256 key with a higher priority than every key so far: the realm signs new tokens
     * with it (new {@code kid}); older keys stay active, so tokens signed before still verify.
     */
    public void rotateSigningKey() {
        ComponentRepresentation key = new ComponentRepresentation();
        key.setName(Tenancy.unique("rotated-rsa"));
        key.setProviderId("rsa-generated");
        key.setProviderType("org.keycloak.keys.KeyProvider");
        key.setParentId(realm().toRepresentation().getId());
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle("priority", String.valueOf(1000 + ROTATIONS.incrementAndGet()));
        config.putSingle("algorithm", "RS256");
        config.putSingle("keySize", "2048");
        config.putSingle("active", "true");
        config.putSingle("enabled", "true");
        key.setConfig(config);
        try (var response = realm().components().add(key)) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException("Keycloak refused the new key: " + response.getStatus());
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger ROTATIONS = new java.util.concurrent.atomic.AtomicInteger();

    /** The realm user with this email, if any. */
    public UserRepresentation byEmail(String email) {
        return realm().users().searchByEmail(email, true).stream().findFirst().orElse(null);
    }

    /** What the invited person does at their first Keycloak sign-in: verify the email, choose a password. */
    public void completeRequiredActions(String userId, String username) {
        var resource = realm().users().get(userId);
        UserRepresentation user = resource.toRepresentation();
        user.setRequiredActions(List.of());
        user.setEmailVerified(true);
        user.setFirstName("Invited");
        user.setLastName("Person");
        resource.update(user);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        resource.resetPassword(password);
    }
}
