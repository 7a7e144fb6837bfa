package dev.baserdb.api.storage;

import dev.baserdb.api.platform.crypto.MasterKey;
import dev.baserdb.kernel.error.BaserDbException;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Signed URLs of private objects (API.md §11): HMAC-SHA256 over the object's path and the expiry
 * instant, under a key derived from the master key, so every node verifies what any node signed
 * and nothing is stored. A changed path, expiry or signature, or an expiry past, is 403.
 */
@Component
class SignedUrls {

    static final String EXPIRES = "expires";
    static final String SIGNATURE = "signature";

    private final byte[] key;
    private final Clock clock;

    SignedUrls(MasterKey masterKey, Clock clock) {
        this.key = masterKey.derive("storage signed urls v1").getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** The query string ({@code expires=…&signature=…}) that signs {@code path} until {@code expiresAt}. */
    String sign(String path, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return EXPIRES + "=" + expires + "&" + SIGNATURE + "=" + mac(path, expires);
    }

    /** Checks a presented signature: 403 unless it signs this very path and expiry, and the expiry is ahead. */
    void verify(String path, String expires, String signature) {
        long at;
        try {
            at = Long.parseLong(expires);
        } catch (NumberFormatException | NullPointerException e) {
            throw refused();
        }
        byte[] expected = mac(path, at).getBytes(StandardCharsets.US_ASCII);
        byte[] presented = signature == null ? new byte[0] : signature.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw refused();
        }
        if (clock.instant().getEpochSecond() >= at) {
            throw BaserDbException.forbidden("This signed URL has expired");
        }
    }

    private String mac(String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(("GET\n" + path + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private static BaserDbException refused() {
        return BaserDbException.forbidden("The URL's signature does not match its path and expiry");
    }
}
