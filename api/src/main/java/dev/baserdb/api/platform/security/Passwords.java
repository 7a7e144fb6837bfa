package dev.baserdb.api.platform.security;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing (Spring Security crypto). Hashes are made before a command is sent,
 * so no plain password (of a platform user or of a PASSWORD column) reaches an event, a log or
 * a read model.
 */
@Component
public class Passwords {

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /** Compared against when the email is unknown, so both failures take the same time. */
    private final String decoy = encoder.encode("decoy-password-for-unknown-accounts");

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return hash != null && encoder.matches(password, hash);
    }

    public void spendTimeOnUnknownAccount(String password) {
        encoder.matches(password, decoy);
    }
}
