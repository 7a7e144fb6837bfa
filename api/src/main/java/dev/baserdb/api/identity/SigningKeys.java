package dev.baserdb.api.identity;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import dev.baserdb.api.platform.crypto.MasterKey;
import dev.baserdb.kernel.id.Ids;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.baserdb.kernel.readmodel.schema.Tables.SIGNING_KEYS;

/**
 * The Ed25519 keys that sign access tokens. Generated on first start and kept in the database,
 * the private half sealed under the master key, so tokens survive restarts and every node of a
 * cluster signs and verifies with the same keys.
 */
@Component
class SigningKeys {


    private final DSLContext db;
    private final MasterKey masterKey;
    private final Map<String, OctetKeyPair> verificationKeys = new ConcurrentHashMap<>();
    private volatile OctetKeyPair signingKey;
    /** When the keys were last read; an unknown kid rereads them at most once per {@link #RELOAD_PAUSE}. */
    private volatile Instant loadedAt = Instant.EPOCH;
    private static final Duration RELOAD_PAUSE = Duration.ofSeconds(10);

    SigningKeys(DSLContext db, MasterKey masterKey) {
        this.db = db;
        this.masterKey = masterKey;
        load();
        if (signingKey == null) {
            create();
            load();
        }
    }

    OctetKeyPair signingKey() {
        return signingKey;
    }

    /** The public key with this id, looked up in the database when another node created it. */
    OctetKeyPair verificationKey(String kid) {
        if (kid == null) {
            return null;
        }
        OctetKeyPair key = verificationKeys.get(kid);
        if (key == null && Instant.now().isAfter(loadedAt.plus(RELOAD_PAUSE))) {
            // Another node may have created a key since: look once, but never let a flood of
            // forged kids turn into a flood of queries.
            load();
            key = verificationKeys.get(kid);
        }
        return key;
    }

    JWKSet publicKeys() {
        return new JWKSet(List.copyOf(verificationKeys.values()));
    }

    private void create() {
        try {
            OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID(Ids.newId("key")).generate();
            db.insertInto(SIGNING_KEYS)
                    .set(SIGNING_KEYS.KID, key.getKeyID())
                    .set(SIGNING_KEYS.PUBLIC_JWK, key.toPublicJWK().toJSONString())
                    .set(SIGNING_KEYS.SEALED_PRIVATE_JWK, masterKey.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8),
                            "signing-key:" + key.getKeyID()))
                    .execute();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("Cannot generate an Ed25519 signing key", e);
        }
    }

    private synchronized void load() {
        var rows = db.select(SIGNING_KEYS.KID, SIGNING_KEYS.PUBLIC_JWK, SIGNING_KEYS.SEALED_PRIVATE_JWK).from(SIGNING_KEYS)
                .where(SIGNING_KEYS.RETIRED_AT.isNull())
                .orderBy(SIGNING_KEYS.CREATED_AT.desc(), SIGNING_KEYS.KID.desc())
                .fetch();
        OctetKeyPair newest = null;
        for (var row : rows) {
            try {
                verificationKeys.put(row.get(SIGNING_KEYS.KID), OctetKeyPair.parse(row.get(SIGNING_KEYS.PUBLIC_JWK)));
                if (newest == null) {
                    newest = OctetKeyPair.parse(new String(
                            masterKey.open(row.get(SIGNING_KEYS.SEALED_PRIVATE_JWK), "signing-key:" + row.get(SIGNING_KEYS.KID)),
                            StandardCharsets.UTF_8));
                }
            } catch (ParseException e) {
                throw new IllegalStateException("Signing key " + row.get(SIGNING_KEYS.KID) + " is not a valid JWK", e);
            }
        }
        if (newest != null) {
            signingKey = newest;
        }
        loadedAt = Instant.now();
    }
}
