package dev.baserdb.api.identity;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing (Spring Security crypto). Hashes are made before a command is sent,
 * so no plain password reaches an event, a log or the read model.
 */
@Component
class Passwords {

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /** Compared against when the email is unknown, so both failures take the same time. */
    private final String decoy = encoder.encode("decoy-password-for-unknown-accounts");

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return hash != null && encoder.matches(password, hash);
    }

    void spendTimeOnUnknownAccount(String password) {
        encoder.matches(password, decoy);
    }
}
