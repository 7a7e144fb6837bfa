package dev.baserdb.api.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.Ids;
import org.springframework.stereotype.Component;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Issues and verifies platform access tokens: EdDSA (Ed25519) JWTs with {@code kid}, {@code iss},
 * {@code sub}, {@code aud}, {@code exp}, {@code iat}, {@code jti} and {@code sid}. Anything but
 * EdDSA under one of our keys ({@code alg: none}, HS256, another key) is refused.
 */
@Component
class AccessTokens {

    /** The claims of a verified token that the API uses. */
    record Verified(String userId, String sessionId, Instant expiresAt, String impersonatorId) {
    }

    /**
     * A verified project-user token (data login): the project, the users table and row, and the
     * fingerprint of the password hash the row had when it signed in.
     */
    record VerifiedProjectUser(String projectId, String tableId, String rowId, String passwordFingerprint,
                               Instant expiresAt) {
    }

    /** The audience of project-user tokens: never accepted where a platform token is expected. */
    static final String DATA_AUDIENCE = "baserdb-data";

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Clock clock;

    AccessTokens(SigningKeys keys, BaserDbProperties platform, AuthProperties auth, Clock clock) {
        this.keys = keys;
        this.issuer = platform.publicUrl();
        this.audience = auth.audience();
        this.ttl = auth.accessTokenTtl();
        this.clock = clock;
    }

    Duration ttl() {
        return ttl;
    }

    String issue(String userId, String sessionId) {
        return sign(keys.signingKey(), claims(userId, sessionId, ttl).build());
    }

    /**
     * An impersonation token (API.md §14): {@code sub} is the user, the {@code act} claim
     * ({@code {"sub": <admin id>}}, RFC 8693) names the platform admin acting as them.
     */
    String issueImpersonation(String userId, String sessionId, String adminId, Duration lifetime) {
        return sign(keys.signingKey(), claims(userId, sessionId, lifetime)
                .claim("act", java.util.Map.of("sub", adminId)).build());
    }

    private JWTClaimsSet.Builder claims(String userId, String sessionId, Duration lifetime) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(userId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(Ids.newId("jti"))
                .claim("sid", sessionId);
    }

    private static String sign(OctetKeyPair key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(), claims);
        try {
            jwt.sign(new Ed25519Signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    /**
     * A token for a row of a project's users table, with role {@code authenticated}; same lifetime.
     * It carries a fingerprint of the row's password hash, so a password change ends it.
     */
    String issueProjectUser(String projectId, String tableId, String rowId, String passwordFingerprint) {
        OctetKeyPair key = keys.signingKey();
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(rowId)
                .audience(DATA_AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(Ids.newId("jti"))
                .claim("role", "authenticated")
                .claim("prj", projectId)
                .claim("tbl", tableId)
                .claim("pwf", passwordFingerprint)
                .build();
        return sign(key, claims);
    }

    /** Whether a token names the data audience (then {@link #verifyProjectUser} applies, not {@link #verify}). */
    static boolean isProjectUserToken(String token) {
        try {
            List<String> audiences = SignedJWT.parse(token).getJWTClaimsSet().getAudience();
            return audiences != null && audiences.contains(DATA_AUDIENCE);
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    VerifiedProjectUser verifyProjectUser(String token) {
        JWTClaimsSet claims = verified(token, DATA_AUDIENCE);
        String projectId = claimAsString(claims, "prj");
        String tableId = claimAsString(claims, "tbl");
        String fingerprint = claimAsString(claims, "pwf");
        if (projectId == null || tableId == null || fingerprint == null
                || !"authenticated".equals(claimAsString(claims, "role"))) {
            throw invalid();
        }
        return new VerifiedProjectUser(projectId, tableId, claims.getSubject(), fingerprint,
                claims.getExpirationTime().toInstant());
    }

    /** Verifies signature, algorithm, issuer, audience and expiry; throws 401 envelopes otherwise. */
    Verified verify(String token) {
        JWTClaimsSet claims = verified(token, audience);
        String sessionId = claimAsString(claims, "sid");
        if (sessionId == null) {
            throw invalid();
        }
        String impersonatorId = null;
        if (claims.getClaim("act") != null) {
            try {
                Object actor = claims.getJSONObjectClaim("act").get("sub");
                if (!(actor instanceof String admin) || admin.isBlank()) {
                    throw invalid();
                }
                impersonatorId = admin;
            } catch (ParseException e) {
                throw invalid();
            }
        }
        return new Verified(claims.getSubject(), sessionId, claims.getExpirationTime().toInstant(), impersonatorId);
    }

    private JWTClaimsSet verified(String token, String expectedAudience) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw invalid();
        }
        if (!JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())) {
            throw invalid();
        }
        OctetKeyPair key = keys.verificationKey(jwt.getHeader().getKeyID());
        try {
            if (key == null || !jwt.verify(new Ed25519Verifier(key.toPublicJWK()))) {
                throw invalid();
            }
        } catch (JOSEException e) {
            throw invalid();
        }
        List<String> audiences = claims.getAudience();
        if (!issuer.equals(claims.getIssuer()) || audiences == null || !audiences.contains(expectedAudience)
                || claims.getSubject() == null || claims.getExpirationTime() == null) {
            throw invalid();
        }
        Instant expiresAt = claims.getExpirationTime().toInstant();
        if (!clock.instant().isBefore(expiresAt)) {
            throw new BaserDbException(ErrorCode.TOKEN_EXPIRED, "Access token has expired");
        }
        return claims;
    }

    private static String claimAsString(JWTClaimsSet claims, String name) {
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
