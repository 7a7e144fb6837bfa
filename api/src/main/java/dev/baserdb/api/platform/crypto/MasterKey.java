package dev.baserdb.api.platform.crypto;

import dev.baserdb.api.platform.BaserDbProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The master key ({@code BASERDB_MASTER_KEY}) and AES-256-GCM under it, for secrets kept at rest
 * (signing keys now, data keys later). Without a configured key a development key is generated
 * into the data directory, with a loud warning: losing that file loses every secret.
 */
@Component
public class MasterKey {

    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public MasterKey(BaserDbProperties properties) {
        this.key = new SecretKeySpec(loadOrCreate(properties), "AES");
    }

    /**
     * A secret derived from the master key for one purpose (HMAC-SHA256 of {@code purpose}), as
     * URL-safe base64: every node with the same master key derives the same value, and nothing
     * derived need be stored.
     */
    public String derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] derived = mac.doFinal(("baserdb derived secret: " + purpose).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /** Encrypts with a fresh IV; {@code context} is bound as associated data and must match on open. */
    public byte[] seal(byte[] plaintext, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] open(byte[] sealed, String context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a secret: is BASERDB_MASTER_KEY the key it was sealed with?", e);
        }
    }

    private static byte[] loadOrCreate(BaserDbProperties properties) {
        if (!properties.masterKey().isBlank()) {
            return decode(properties.masterKey(), "BASERDB_MASTER_KEY");
        }
        Path file = properties.dataDir().resolve("master.key");
        try {
            if (Files.exists(file)) {
                warn(file);
                return decode(Files.readString(file).trim(), file.toString());
            }
            byte[] generated = new byte[32];
            RANDOM.nextBytes(generated);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(generated) + "\n");
            warn(file);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the development master key " + file, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(source + " must be base64 of exactly 32 bytes, got " + bytes.length);
        }
        return bytes;
    }

    private static void warn(Path file) {
        log.warn("""

                ******************************************************************************
                * BASERDB_MASTER_KEY is not set: using the DEVELOPMENT master key in {}
                * Every secret at rest is encrypted under it. Set BASERDB_MASTER_KEY (base64 of
                * 32 random bytes, e.g. `openssl rand -base64 32`) for anything but development.
                ******************************************************************************""",
                file.toAbsolutePath());
    }
}
