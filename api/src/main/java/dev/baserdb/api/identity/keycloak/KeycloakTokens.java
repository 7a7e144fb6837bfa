package dev.baserdb.api.identity.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Verifies access tokens of the configured Keycloak realm with Nimbus: RS256 only (the algorithm
 * is pinned, so {@code alg: none}, HS256 or a key of the caller's choosing never verify), against
 * the realm's JWKS (cached; an unknown {@code kid} fetches it again, rate-limited), issuer equal
 * to the realm's, the client in {@code aud} or {@code azp}, {@code typ: Bearer} (ID and refresh
 * tokens are refused), and {@code exp} on the application clock with a small skew.
 */
public class KeycloakTokens {

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String issuer;
    private final String clientId;
    private final KeycloakProperties properties;
    private final Clock clock;

    KeycloakTokens(KeycloakProperties properties, Clock clock) {
        this.properties = properties;
        this.issuer = properties.issuer();
        this.clientId = properties.clientId();
        this.clock = clock;
        int timeout = (int) properties.timeout().toMillis();
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(URI.create(properties.jwksUrl()).toURL(),
                            new DefaultResourceRetriever(timeout, timeout, 512 * 1024))
                    .cache(properties.jwksCacheTtl().toMillis(), timeout)
                    .rateLimited(properties.jwksRefreshMinInterval().toMillis())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("BASERDB_KEYCLOAK_URL is not a URL: " + properties.url(), e);
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        // Issuer and the claims BaserDB needs; expiry is checked in verify, on the application clock.
        processor.setJWTClaimsSetVerifier((claims, context) -> {
            if (!issuer.equals(claims.getIssuer())) {
                throw new BadJWTException("Unexpected issuer");
            }
            if (claims.getSubject() == null || claims.getExpirationTime() == null) {
                throw new BadJWTException("Missing sub or exp");
            }
        });
    }

    /** Whether a bearer token claims to come from this realm (then {@link #verify} decides about it). */
    boolean claimsThisRealm(String token) {
        try {
            return issuer.equals(SignedJWT.parse(token).getJWTClaimsSet().getIssuer());
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    /** The token's identity, or a 401 envelope: UNAUTHORIZED, or TOKEN_EXPIRED past {@code exp} plus the skew. */
    public KeycloakIdentity verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw invalid();
        }
        List<String> audiences = claims.getAudience();
        boolean forThisClient = (audiences != null && audiences.contains(clientId))
                || clientId.equals(stringClaim(claims, "azp"));
        String type = stringClaim(claims, "typ");
        if (!forThisClient || (type != null && !"Bearer".equalsIgnoreCase(type))) {
            throw invalid();
        }
        Instant expiresAt = claims.getExpirationTime().toInstant();
        if (!clock.instant().isBefore(expiresAt.plus(properties.clockSkew()))) {
            throw new BaserDbException(ErrorCode.TOKEN_EXPIRED, "Access token has expired");
        }
        Boolean verified = null;
        try {
            verified = claims.getBooleanClaim("email_verified");
        } catch (ParseException ignored) {
            // not a boolean: not verified
        }
        String sessionId = stringClaim(claims, "sid");
        return new KeycloakIdentity(claims.getSubject(), stringClaim(claims, "email"), Boolean.TRUE.equals(verified),
                stringClaim(claims, "name"), sessionId != null ? sessionId : claims.getJWTID(), expiresAt);
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static BaserDbException invalid() {
        return BaserDbException.unauthorized("Invalid access token");
    }
}
