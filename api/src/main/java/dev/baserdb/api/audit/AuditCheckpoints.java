package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import dev.baserdb.api.platform.crypto.MasterKey;
import dev.baserdb.api.platform.crypto.PublishedKeys;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.query.audit.AuditCheckpoint;
import dev.baserdb.query.audit.AuditHead;
import dev.baserdb.query.audit.AuditLog;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_CHECKPOINTS;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_CHECKPOINT_KEYS;


/**
 * Signed checkpoints of the audit trail (API.md §10). A checkpoint states where the trail stands —
 * {@code {position, count, head_hash, at}} — signed as a JWS (EdDSA) whose payload is exactly the
 * canonical JSON of those four fields ({@link AuditChain#canonical}). Anyone can check it with the
 * public key from {@code /.well-known/jwks.json}; whoever can write the database but does not hold
 * the master key cannot make one, so a rewrite of both the event store and the audit table before
 * a checkpoint no longer hashes to what was signed.
 *
 * <p>The Ed25519 key is this feature's own (table {@code audit_checkpoint_keys}), never an access
 * token key: access tokens are verified against {@code signing_keys} only. Its private half is
 * sealed under the master key, like the token keys.
 *
 * <p>Every node runs the job; a transaction-scoped advisory lock makes one node at a time take a
 * checkpoint, and a node skips when a checkpoint of the same trail state is younger than
 * {@link #MAX_AGE}, so there is one every minute at least and not one per node.
 */
@Component
class AuditCheckpoints implements PublishedKeys {

    /** The advisory lock key ("audit-cp") under which keys are created and checkpoints taken. */
    static final long LOCK = 0x61756469742d6370L;
    /** JWS {@code typ} of a checkpoint: such a JWS is no access token, whatever its payload. */
    static final JOSEObjectType TYPE = new JOSEObjectType("baserdb-audit-checkpoint");
    /** A checkpoint of an unchanged trail is repeated once it is this old, so one is at most a minute old. */
    static final Duration MAX_AGE = Duration.ofSeconds(45);

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);
    static final String SEAL_CONTEXT = "audit-checkpoint-key:";

    private final DSLContext db;
    private final MasterKey masterKey;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final Map<String, OctetKeyPair> publicKeys = new ConcurrentHashMap<>();
    private volatile OctetKeyPair signingKey;

    AuditCheckpoints(DSLContext db, MasterKey masterKey, AuditLog audit, Clock clock,
                     PlatformTransactionManager transactionManager) {
        this.db = db;
        this.masterKey = masterKey;
        this.audit = audit;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactionManager);
        transaction.executeWithoutResult(status -> {
            lock();
            if (db.fetchCount(AUDIT_CHECKPOINT_KEYS) == 0) {
                create();
            }
        });
        load();
    }

    /** The scheduled job: at least one checkpoint a minute (see {@link #MAX_AGE}). */
    @Scheduled(fixedDelayString = "${baserdb.audit.checkpoint-every:PT15S}",
            initialDelayString = "${baserdb.audit.checkpoint-every:PT15S}")
    void scheduled() {
        try {
            takeIfDue();
        } catch (RuntimeException e) {
            log.error("Could not take an audit checkpoint", e);
        }
    }

    /** Takes a checkpoint of the trail as it stands now, unless one of the same state exists; returns the latest. */
    AuditCheckpoint checkpointNow() {
        return checkpoint(true);
    }

    /**
     * What the job does: a checkpoint when the trail moved since the latest one or the latest is
     * {@link #MAX_AGE} old; returns the latest.
     */
    AuditCheckpoint takeIfDue() {
        return checkpoint(false);
    }

    private AuditCheckpoint checkpoint(boolean evenIfRecent) {
        return transaction.execute(status -> {
            lock();
            // Read after the lock: a checkpoint another node took while this one waited is seen.
            AuditHead head = audit.head();
            AuditCheckpoint latest = audit.latestCheckpoint().orElse(null);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (latest != null && latest.position() == head.position() && latest.count() == head.count()
                    && Objects.equals(latest.headHash(), head.headHash())
                    && (evenIfRecent || latest.at().plus(MAX_AGE).isAfter(now))) {
                return latest;
            }
            OctetKeyPair key = signingKey;
            db.insertInto(AUDIT_CHECKPOINTS)
                    .set(AUDIT_CHECKPOINTS.POSITION, head.position())
                    .set(AUDIT_CHECKPOINTS.COUNT, head.count())
                    .set(AUDIT_CHECKPOINTS.HEAD_HASH, head.headHash())
                    .set(AUDIT_CHECKPOINTS.AT, now.atOffset(ZoneOffset.UTC))
                    .set(AUDIT_CHECKPOINTS.KID, key.getKeyID())
                    .set(AUDIT_CHECKPOINTS.SIGNATURE, sign(key, head.position(), head.count(), head.headHash(), now))
                    .execute();
            return audit.latestCheckpoint().orElseThrow();
        });
    }

    /**
     * Whether the checkpoint's signature is valid: made with a checkpoint key of this platform, over
     * exactly the position, count, head hash and time the row states.
     */
    boolean signatureValid(AuditCheckpoint checkpoint) {
        try {
            JWSObject jws = JWSObject.parse(checkpoint.signature());
            OctetKeyPair key = publicKey(jws.getHeader().getKeyID());
            return key != null && JWSAlgorithm.EdDSA.equals(jws.getHeader().getAlgorithm())
                    && TYPE.equals(jws.getHeader().getType())
                    && key.getKeyID().equals(checkpoint.kid())
                    && jws.verify(new Ed25519Verifier(key))
                    && jws.getPayload().toString().equals(canonical(checkpoint.position(), checkpoint.count(),
                    checkpoint.headHash(), checkpoint.at()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<JWK> publicKeys() {
        return List.copyOf(publicKeys.values());
    }

    /** What is signed: the canonical JSON of the checkpoint's four fields. */
    static String canonical(long position, long count, String headHash, Instant at) {
        ObjectNode node = AuditChain.object();
        node.put("position", position);
        node.put("count", count);
        node.put("head_hash", headHash);
        node.put("at", DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS)));
        return AuditChain.canonical(node);
    }

    private static String sign(OctetKeyPair key, long position, long count, String headHash, Instant at) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(key.getKeyID()).type(TYPE)
                    .build(), new Payload(canonical(position, count, headHash, at)));
            jws.sign(new Ed25519Signer(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign an audit checkpoint", e);
        }
    }

    private OctetKeyPair publicKey(String kid) {
        if (kid == null) {
            return null;
        }
        if (!publicKeys.containsKey(kid)) {
            load(); // a key another node created since this one started
        }
        return publicKeys.get(kid);
    }

    private void lock() {
        db.fetch("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?)) AS locked", LOCK);
    }

    private void create() {
        try {
            OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID(Ids.newId("auditkey"))
                    .keyUse(KeyUse.SIGNATURE).generate();
            db.insertInto(AUDIT_CHECKPOINT_KEYS)
                    .set(AUDIT_CHECKPOINT_KEYS.KID, key.getKeyID())
                    .set(AUDIT_CHECKPOINT_KEYS.PUBLIC_JWK, key.toPublicJWK().toJSONString())
                    .set(AUDIT_CHECKPOINT_KEYS.SEALED_PRIVATE_JWK, masterKey.seal(
                            key.toJSONString().getBytes(StandardCharsets.UTF_8), SEAL_CONTEXT + key.getKeyID()))
                    .execute();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate the audit checkpoint key", e);
        }
    }

    /** Every checkpoint key's public half; the oldest key signs, so every node signs with the same one. */
    private synchronized void load() {
        var rows = db.select(AUDIT_CHECKPOINT_KEYS.KID, AUDIT_CHECKPOINT_KEYS.PUBLIC_JWK,
                AUDIT_CHECKPOINT_KEYS.SEALED_PRIVATE_JWK)
                .from(AUDIT_CHECKPOINT_KEYS).orderBy(AUDIT_CHECKPOINT_KEYS.CREATED_AT, AUDIT_CHECKPOINT_KEYS.KID).fetch();
        for (var row : rows) {
            try {
                publicKeys.put(row.value1(), OctetKeyPair.parse(row.value2()));
                if (signingKey == null) {
                    signingKey = OctetKeyPair.parse(new String(masterKey.open(row.value3(), SEAL_CONTEXT + row.value1()),
                            StandardCharsets.UTF_8));
                }
            } catch (ParseException e) {
                throw new IllegalStateException("Audit checkpoint key " + row.value1() + " is not a valid JWK", e);
            }
        }
    }
}
