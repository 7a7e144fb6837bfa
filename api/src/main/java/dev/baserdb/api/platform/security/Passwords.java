package dev.baserdb.api.platform.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing (Spring Security crypto). Hashes are made before a command is sent,
 * so no plain password (of a platform user or of a PASSWORD column) reaches an event, a log or
 * a read model.
 *
 * <p>A sign-in with an unknown identifier verifies the password against a decoy hash made with the
 * same parameters, so both failures do the same Argon2 work. The counter
 * {@code baserdb.password.verifications}, tagged {@code against=account|decoy}, shows that they do.
 */
@Component
public class Passwords {

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /** Compared against when the account is unknown, so both failures take the same time. */
    private final String decoy = encoder.encode("decoy-password-for-unknown-accounts");
    private final Counter accountVerifications;
    private final Counter decoyVerifications;

    public Passwords(MeterRegistry meters) {
        this.accountVerifications = Counter.builder("baserdb.password.verifications").tag("against", "account")
                .description("Argon2 password verifications").register(meters);
        this.decoyVerifications = Counter.builder("baserdb.password.verifications").tag("against", "decoy")
                .description("Argon2 password verifications").register(meters);
    }

    public String hash(String password) {
        return encoder.encode(password);
    }

    /**
     * Whether the password matches the stored hash. A missing hash still costs one Argon2
     * verification (against the decoy), so an account without a password is no faster to refuse.
     */
    public boolean matches(String password, String hash) {
        if (hash == null || hash.isEmpty()) {
            spendTimeOnUnknownAccount(password);
            return false;
        }
        accountVerifications.increment();
        return encoder.matches(password, hash);
    }

    /** Does the work of {@link #matches} for an identifier that matches no account; always false. */
    public boolean spendTimeOnUnknownAccount(String password) {
        decoyVerifications.increment();
        encoder.matches(password, decoy);
        return false;
    }
}
