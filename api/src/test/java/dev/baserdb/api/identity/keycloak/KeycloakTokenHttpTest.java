package dev.baserdb.api.identity.keycloak;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.KeycloakApiTest;
import dev.baserdb.api.support.KeycloakServer;
import dev.baserdb.api.support.RealmUsers;
import dev.baserdb.api.support.RealmUsers.RealmUser;
import dev.baserdb.api.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Realm access tokens on platform routes, against a real Keycloak (issue 14): a token from the
 * realm signs its user in (the account made on first sight, the same one after), and every token
 * that is not one of the realm's, for this client, now, is 401.
 */
@KeycloakApiTest
class KeycloakTokenHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    Http http;
    RealmUsers realm;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        realm = new RealmUsers();
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    @Test
    void given_a_password_grant_token_of_the_realm_when_calling_me_then_200_with_the_account_made_from_the_token() {
        RealmUser ada = realm.aRealmUser();
        String token = realm.token(ada.username());

        Http.Response me = http.bearer(token).get("/api/v1/auth/me");

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("user").path("email").asText()).isEqualTo(ada.email());
        assertThat(me.data().path("user").path("id").asText()).startsWith("usr_");
        assertThat(me.data().path("memberships").size()).isZero();
        assertThat(KeycloakEvents.linksOf(ada.id())).as("UserLinkedToIdentityProvider events").isEqualTo(1);
    }

    @Test
    void given_a_user_seen_before_when_a_new_token_arrives_then_it_is_the_same_account_and_no_new_link() {
        RealmUser ada = realm.aRealmUser();
        String first = http.bearer(realm.token(ada.username())).get("/api/v1/auth/me").data().path("user").path("id").asText();

        Http.Response again = http.bearer(realm.token(ada.username())).get("/api/v1/auth/me");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.data().path("user").path("id").asText()).isEqualTo(first);
        assertThat(KeycloakEvents.linksOf(ada.id())).isEqualTo(1);
    }

    @Test
    void given_a_token_signed_with_another_rsa_key_under_the_realms_kid_when_calling_me_then_401() throws Exception {
        RealmUser ada = realm.aRealmUser();
        SignedJWT real = SignedJWT.parse(realm.token(ada.username()));
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(real.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID())
                .type(JOSEObjectType.JWT).build(), real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(attacker));

        assertUnauthorized(forged.serialize(), "UNAUTHORIZED");
    }

    @Test
    void given_a_token_signed_with_another_rsa_key_and_an_unknown_kid_when_calling_me_then_401() throws Exception {
        RealmUser ada = realm.aRealmUser();
        SignedJWT real = SignedJWT.parse(realm.token(ada.username()));
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker-key").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker-key").build(),
                real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(attacker));

        assertUnauthorized(forged.serialize(), "UNAUTHORIZED");
    }

    @Test
    void given_the_realm_rotates_to_a_new_signing_key_then_tokens_under_the_new_kid_are_accepted_without_a_restart()
            throws Exception {
        RealmUser ada = realm.aRealmUser();
        String before = realm.token(ada.username());
        assertThat(http.bearer(before).get("/api/v1/auth/me").status()).isEqualTo(200);

        realm.rotateSigningKey();
        String after = realm.token(ada.username());

        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isNotEqualTo(SignedJWT.parse(before).getHeader().getKeyID());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.bearer(after).get("/api/v1/auth/me").status()).isEqualTo(200));
        assertThat(http.bearer(before).get("/api/v1/auth/me").status()).as("the old key still verifies").isEqualTo(200);
    }

    @Test
    void given_a_realm_token_past_its_expiry_when_calling_me_then_401_token_expired() throws Exception {
        RealmUser ada = realm.aRealmUser();
        String token = realm.token(ada.username());
        assertThat(http.bearer(token).get("/api/v1/auth/me").status()).isEqualTo(200);
        Date expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();

        clock.freeze();
        clock.advance(Duration.between(clock.instant(), expiry.toInstant()).plusSeconds(31));

        assertUnauthorized(token, "TOKEN_EXPIRED");
    }

    @Test
    void given_a_realm_token_just_past_its_expiry_within_the_skew_when_calling_me_then_it_still_counts() throws Exception {
        RealmUser ada = realm.aRealmUser();
        String token = realm.token(ada.username());
        Date expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();

        clock.freeze();
        clock.advance(Duration.between(clock.instant(), expiry.toInstant()).plusSeconds(5));

        assertThat(http.bearer(token).get("/api/v1/auth/me").status()).isEqualTo(200);
    }

    @Test
    void given_a_token_of_another_realm_on_the_same_server_when_calling_me_then_401() {
        String other = realm.token(KeycloakServer.OTHER_REALM, KeycloakServer.CLIENT_ID,
                KeycloakServer.OTHER_REALM_SECRET, "mallory", "other realm password");

        assertUnauthorized(other, "UNAUTHORIZED");
    }

    @Test
    void given_a_realm_token_rewritten_to_alg_none_when_calling_me_then_401() throws Exception {
        RealmUser ada = realm.aRealmUser();
        SignedJWT real = SignedJWT.parse(realm.token(ada.username()));
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();

        assertUnauthorized(header + "." + real.getParsedParts()[1] + ".", "UNAUTHORIZED");
    }

    @Test
    void given_a_realm_token_re_signed_hs256_with_the_client_secret_when_calling_me_then_401() throws Exception {
        RealmUser ada = realm.aRealmUser();
        SignedJWT real = SignedJWT.parse(realm.token(ada.username()));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(real.getHeader().getKeyID()).build(),
                real.getJWTClaimsSet());
        hmac.sign(new MACSigner((KeycloakServer.CLIENT_SECRET + KeycloakServer.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));

        assertUnauthorized(hmac.serialize(), "UNAUTHORIZED");
    }

    @Test
    void given_a_realm_token_of_another_client_when_calling_me_then_401() {
        RealmUser ada = realm.aRealmUser();
        // admin-cli: a public client every realm has; its tokens are not meant for BaserDB.
        String foreign = realm.token(KeycloakServer.REALM, "admin-cli", null, ada.username(), RealmUsers.PASSWORD);

        assertUnauthorized(foreign, "UNAUTHORIZED");
    }

    @Test
    void given_a_realm_token_whose_payload_was_edited_when_calling_me_then_401() throws Exception {
        RealmUser ada = realm.aRealmUser();
        RealmUser eve = realm.aRealmUser();
        SignedJWT real = SignedJWT.parse(realm.token(eve.username()));
        String payload = new JWTClaimsSet.Builder(real.getJWTClaimsSet()).subject(ada.id()).claim("email", ada.email())
                .build().toPayload().toBase64URL().toString();

        assertUnauthorized(real.getParsedParts()[0] + "." + payload + "." + real.getParsedParts()[2], "UNAUTHORIZED");
    }

    @Test
    void given_garbage_in_place_of_a_token_when_calling_me_then_401() {
        assertUnauthorized("eyJhbGciOiJSUzI1NiJ9.not-json.sig", "UNAUTHORIZED");
    }

    private void assertUnauthorized(String token, String code) {
        Http.Response response = http.bearer(token).get("/api/v1/auth/me");
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.body().path("success").asBoolean()).isFalse();
    }
}
