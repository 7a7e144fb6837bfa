package dev.baserdb.api.platform.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.baserdb.kernel.privacy.PersonalData;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.schema.Tables.DATA_KEYS;

/**
 * {@link PersonalData} with one AES-256 data key per subject, kept sealed under the master key in
 * {@code data_keys}. Keys are created in their own transaction, so a key that sealed a value always
 * exists until it is destroyed on purpose. Opened keys are cached for a short while; a destroyed
 * key leaves this node's cache at once and other nodes' within the cache lifetime.
 *
 * <p>Destroying a key leaves a tombstone row (no key, {@code destroyed_at} set) that the insert of a
 * new key cannot pass: an erased subject never gets a key again, and a value sealed for it
 * afterwards is only a marker that opens to nothing.
 */
@Component
class DataKeys implements PersonalData {

    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NO_KEY = new byte[0];

    private final DSLContext db;
    private final MasterKey masterKey;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final Cache<String, byte[]> keys = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(30)).maximumSize(50_000).build();

    DataKeys(DSLContext db, MasterKey masterKey, PlatformTransactionManager transactionManager, Clock clock) {
        this.db = db;
        this.masterKey = masterKey;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public String seal(String subjectId, String value) {
        if (value == null) {
            return null;
        }
        byte[] key = keyFor(subjectId, true);
        if (key == NO_KEY) {
            // Erased: store nothing readable, only who it was about.
            return PREFIX + subjectId + ":";
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(subjectId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return PREFIX + subjectId + ":" + Base64.getEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal personal data", e);
        }
    }

    @Override
    public Optional<String> open(String value) {
        if (!PersonalData.isSealed(value)) {
            return Optional.ofNullable(value);
        }
        int separator = value.indexOf(':', PREFIX.length());
        if (separator < 0) {
            return Optional.empty();
        }
        String subjectId = value.substring(PREFIX.length(), separator);
        byte[] key = keyFor(subjectId, false);
        if (key == NO_KEY) {
            return Optional.empty();
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(value.substring(separator + 1));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, IV_BYTES));
            cipher.updateAAD(subjectId.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES),
                    StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void destroyKey(String subjectId) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        ownTransaction.executeWithoutResult(status -> db.insertInto(DATA_KEYS)
                .set(DATA_KEYS.SUBJECT_ID, subjectId).set(DATA_KEYS.SEALED_KEY, (byte[]) null).set(DATA_KEYS.DESTROYED_AT, now)
                .onConflict(DATA_KEYS.SUBJECT_ID).doUpdate()
                .set(DATA_KEYS.SEALED_KEY, (byte[]) null).set(DATA_KEYS.DESTROYED_AT, now)
                .execute());
        keys.invalidate(subjectId);
    }

    private byte[] keyFor(String subjectId, boolean create) {
        byte[] cached = keys.getIfPresent(subjectId);
        if (cached != null && cached != NO_KEY) {
            return cached;
        }
        // No row: no key yet. A row without a key: the key was destroyed (a tombstone).
        Optional<byte[]> stored = db.select(DATA_KEYS.SEALED_KEY).from(DATA_KEYS).where(DATA_KEYS.SUBJECT_ID.eq(subjectId))
                .fetchOptional().map(row -> row.value1() == null ? NO_KEY : row.value1());
        if (stored.isEmpty() && create) {
            // Its own transaction: the key must outlive whatever the caller's transaction does. The
            // insert does nothing when a key or a tombstone is already there.
            stored = ownTransaction.execute(status -> {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                db.insertInto(DATA_KEYS).set(DATA_KEYS.SUBJECT_ID, subjectId)
                        .set(DATA_KEYS.SEALED_KEY, masterKey.seal(fresh, "data-key:" + subjectId))
                        .onConflictDoNothing().execute();
                return db.select(DATA_KEYS.SEALED_KEY).from(DATA_KEYS).where(DATA_KEYS.SUBJECT_ID.eq(subjectId))
                        .fetchOptional().map(row -> row.value1() == null ? NO_KEY : row.value1());
            });
        }
        byte[] sealed = stored.orElse(NO_KEY);
        byte[] key = sealed == NO_KEY ? NO_KEY : masterKey.open(sealed, "data-key:" + subjectId);
        if (key != NO_KEY) {
            keys.put(subjectId, key);
        }
        return key;
    }
}
