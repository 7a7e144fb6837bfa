package dev.baserdb.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static dev.baserdb.api.identity.AuthAssertions.JWKS;
import static dev.baserdb.api.identity.AuthAssertions.ME;
import static dev.baserdb.api.identity.AuthAssertions.assertError;
import static dev.baserdb.api.identity.AuthAssertions.assertSuccess;
import static dev.baserdb.api.identity.AuthAssertions.assertUnauthorized;
import static dev.baserdb.api.identity.AuthAssertions.sessionIdOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access tokens over real HTTP: every way a bearer credential can be wrong is a 401 in the
 * envelope, and the JWKS publishes the key that verifies a genuine token. Tokens are presented to
 * {@code GET /api/v1/auth/me}; every Bearer route resolves its caller the same way.
 */
@ApiTest
class TokenHttpTest {

    @LocalServerPort
    int port;
    @Autowired
    SigningKeys signingKeys;
    @Autowired
    BaserDbProperties baserDbProperties;
    @Autowired
    AuthProperties authProperties;

    Http http;
    Accounts.Account account;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        account = new Accounts(http).anAccount();
    }

    private Http.Response me(String authorization) {
        return http.with("Authorization", authorization).get(ME);
    }

    /** Claims exactly as the platform issues them, for the test account's live session. */
    private JWTClaimsSet.Builder genuineClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(baserDbProperties.publicUrl())
                .subject(account.userId())
                .audience(authProperties.audience())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID("jti_" + UUID.randomUUID())
                .claim("sid", sessionIdOf(account.accessToken()));
    }

    private static JWSHeader edDsaHeader(String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid).type(JOSEObjectType.JWT).build();
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** A token signed with the platform's own key, its claims changed by {@code change}. */
    private String signedWithPlatformKey(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        OctetKeyPair key = signingKeys.signingKey();
        return sign(edDsaHeader(key.getKeyID()), change.apply(genuineClaims()).build(), new Ed25519Signer(key));
    }

    // --- the genuine article, so that every refusal below is a refusal of one difference ---

    @Test
    void givenTheIssuedAccessToken_whenCallingMe_then200ForThatUser() {
        Http.Response response = http.bearer(account.accessToken()).get(ME);

        assertSuccess(response, 200);
        assertThat(response.data().path("user").path("id").asText()).isEqualTo(account.userId());
    }

    @Test
    void givenATokenBuiltLikeThePlatformsOwnWithTheSigningKey_whenCallingMe_then200() throws Exception {
        assertSuccess(me("Bearer " + signedWithPlatformKey(claims -> claims)), 200);
    }

    // --- malformed credentials ---

    @Test
    void givenNoAuthorizationHeader_whenCallingMe_then401() {
        assertUnauthorized(http.get(ME));
    }

    @Test
    void givenAGarbageToken_whenCallingMe_then401() {
        assertUnauthorized(me("Bearer this-is-not-a-jwt"));
    }

    @Test
    void givenBearerWithoutAToken_whenCallingMe_then401() {
        assertUnauthorized(me("Bearer"));
    }

    @Test
    void givenAValidTokenUnderANonBearerScheme_whenCallingMe_then401() {
        assertUnauthorized(me("Token " + account.accessToken()));
    }

    @Test
    void givenBasicCredentials_whenCallingMe_then401() {
        String basic = Base64.getEncoder().encodeToString((account.email() + ":" + Accounts.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        assertUnauthorized(me("Basic " + basic));
    }

    // --- forgeries ---

    @Test
    void givenAnotherUsersSubjectUnderTheOriginalSignature_whenCallingMe_then401() throws Exception {
        Accounts.Account victim = new Accounts(http).anAccount();
        String[] parts = account.accessToken().split("\\.");
        JWTClaimsSet forged = new JWTClaimsSet.Builder(AuthAssertions.claims(account.accessToken()))
                .subject(victim.userId())
                .claim("sid", sessionIdOf(victim.accessToken()))
                .build();
        String token = parts[0] + "." + Base64URL.encode(forged.toString()) + "." + parts[2];

        assertUnauthorized(me("Bearer " + token));
    }

    @Test
    void givenATamperedSignature_whenCallingMe_then401() {
        String[] parts = account.accessToken().split("\\.");
        byte[] signature = Base64URL.from(parts[2]).decode();
        signature[0] ^= 0x01;
        String token = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature);

        assertUnauthorized(me("Bearer " + token));
    }

    @Test
    void givenAlgNone_whenCallingMe_then401() {
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + signingKeys.signingKey().getKeyID() + "\"}";
        String token = Base64URL.encode(header) + "." + Base64URL.encode(genuineClaims().build().toString()) + ".";

        assertUnauthorized(me("Bearer " + token));
    }

    @Test
    void givenAnHs256TokenKeyedWithThePublicKey_whenCallingMe_then401() throws Exception {
        OctetKeyPair key = signingKeys.signingKey();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        String token = sign(header, genuineClaims().build(), new MACSigner(key.getX().decode()));

        assertUnauthorized(me("Bearer " + token));
    }

    @Test
    void givenATokenSignedByAnotherEd25519KeyWithTheSameKid_whenCallingMe_then401() throws Exception {
        String kid = signingKeys.signingKey().getKeyID();
        OctetKeyPair impostor = new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        String token = sign(edDsaHeader(kid), genuineClaims().build(), new Ed25519Signer(impostor));

        assertUnauthorized(me("Bearer " + token));
    }

    @Test
    void givenATokenForAnotherAudience_whenCallingMe_then401() throws Exception {
        assertUnauthorized(me("Bearer " + signedWithPlatformKey(claims -> claims.audience("another-service"))));
    }

    @Test
    void givenATokenFromAnotherIssuer_whenCallingMe_then401() throws Exception {
        assertUnauthorized(me("Bearer " + signedWithPlatformKey(claims -> claims.issuer("https://evil.example.com"))));
    }

    @Test
    void givenATokenWithoutSessionId_whenCallingMe_then401() throws Exception {
        assertUnauthorized(me("Bearer " + signedWithPlatformKey(claims -> claims.claim("sid", null))));
    }

    @Test
    void givenATokenForAnUnknownSession_whenCallingMe_then401() throws Exception {
        assertUnauthorized(me("Bearer " + signedWithPlatformKey(claims -> claims.claim("sid", "ses_does_not_exist"))));
    }

    @Test
    void givenATokenCarryingAnotherUsersSession_whenCallingMe_then401() throws Exception {
        String othersSession = sessionIdOf(new Accounts(http).anAccount().accessToken());

        assertUnauthorized(me("Bearer " + signedWithPlatformKey(claims -> claims.claim("sid", othersSession))));
    }

    @Test
    void givenAnExpiredAccessToken_whenCallingMe_then401TokenExpired() {
        AccessTokens anHourAgo = new AccessTokens(signingKeys, baserDbProperties, authProperties,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
        String expired = anHourAgo.issue(account.userId(), sessionIdOf(account.accessToken()));

        assertError(me("Bearer " + expired), 401, "TOKEN_EXPIRED");
    }

    // --- every Bearer route refuses a missing or broken credential ---

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /api/v1/auth/logout",
            "POST, /api/v1/auth/logout-all",
            "GET, /api/v1/auth/me",
            "PATCH, /api/v1/auth/password",
            "GET, /api/v1/auth/sessions"})
    void givenNoToken_whenCallingABearerRoute_then401(String method, String path) {
        Http.Response response = http.send(method, path, method.equals("GET") ? null
                : "{\"current_password\":\"" + Accounts.PASSWORD + "\",\"new_password\":\"another password\"}",
                method.equals("GET") ? null : "application/json");

        assertUnauthorized(response);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /api/v1/auth/logout",
            "POST, /api/v1/auth/logout-all",
            "GET, /api/v1/auth/me",
            "PATCH, /api/v1/auth/password",
            "GET, /api/v1/auth/sessions"})
    void givenATamperedToken_whenCallingABearerRoute_then401(String method, String path) {
        String[] parts = account.accessToken().split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        Http.Response response = http.bearer(tampered).send(method, path, method.equals("GET") ? null
                : "{\"current_password\":\"" + Accounts.PASSWORD + "\",\"new_password\":\"another password\"}",
                method.equals("GET") ? null : "application/json");

        assertUnauthorized(response);
    }

    // --- JWKS ---

    @Test
    void givenTheJwks_whenFetched_thenItHoldsAnOkpEd25519KeyWhoseKidIsTheAccessTokensKid() throws Exception {
        Http.Response response = http.get(JWKS);

        assertThat(response.status()).isEqualTo(200);
        String kid = SignedJWT.parse(account.accessToken()).getHeader().getKeyID();
        JsonNode key = findKey(response.body(), kid);
        assertThat(key).as("key %s in %s", kid, response).isNotNull();
        assertThat(key.path("kty").asText()).isEqualTo("OKP");
        assertThat(key.path("crv").asText()).isEqualTo("Ed25519");
        assertThat(key.path("x").asText()).isNotBlank();
    }

    @Test
    void givenTheJwks_whenFetched_thenNoKeyHasAPrivatePart() {
        Http.Response response = http.get(JWKS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("keys").size()).isPositive();
        response.body().path("keys").forEach(key -> assertThat(key.has("d")).as(key.toString()).isFalse());
    }

    @Test
    void givenTheJwksKey_whenVerifyingTheAccessToken_thenTheSignatureIsValid() throws Exception {
        SignedJWT token = SignedJWT.parse(account.accessToken());
        JWKSet jwks = JWKSet.parse(http.get(JWKS).text());
        JWK key = jwks.getKeyByKeyId(token.getHeader().getKeyID());

        assertThat(key).isInstanceOf(OctetKeyPair.class);
        assertThat(token.verify(new Ed25519Verifier(key.toOctetKeyPair()))).isTrue();
    }

    @Test
    void givenTheJwksKey_whenVerifyingATamperedToken_thenTheSignatureIsInvalid() throws Exception {
        String[] parts = account.accessToken().split("\\.");
        JWTClaimsSet other = new JWTClaimsSet.Builder(AuthAssertions.claims(account.accessToken())).subject("usr_other").build();
        SignedJWT tampered = SignedJWT.parse(parts[0] + "." + Base64URL.encode(other.toString()) + "." + parts[2]);
        JWK key = JWKSet.parse(http.get(JWKS).text()).getKeyByKeyId(tampered.getHeader().getKeyID());

        assertThat(tampered.verify(new Ed25519Verifier(key.toOctetKeyPair()))).isFalse();
    }

    private static JsonNode findKey(JsonNode jwks, String kid) {
        for (JsonNode key : jwks.path("keys")) {
            if (kid.equals(key.path("kid").asText())) {
                return key;
            }
        }
        return null;
    }
}
