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

    static final Argon2PasswordEncoder ENCODER = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /**
     * Compared against when the account is unknown, so both failures take the same time: a hash made
     * once by {@link #ENCODER} (same Argon2 parameters as every hash it makes, which a test checks) of
     * a password nobody signs in with. Written here rather than made at start, where its Argon2 work,
     * in code the JIT compiler had not compiled yet, took up to a second of the main thread.
     */
    static final String DECOY =
            "$argon2id$v=19$m=16384,t=2,p=1$5MLyuyPun01umKe0jmcQKw$b8TE8CezML64oA9iY4cl6mwh7ZZE5bB1MVnH3muY9c0";
    /** The password {@link #DECOY} was made from (a test checks that it verifies: a check against it does the whole work). */
    static final String DECOY_PASSWORD = "decoy-password-for-unknown-accounts";
    private final Counter accountVerifications;
    private final Counter decoyVerifications;

    public Passwords(MeterRegistry meters) {
        this.accountVerifications = Counter.builder("baserdb.password.verifications").tag("against", "account")
                .description("Argon2 password verifications").register(meters);
        this.decoyVerifications = Counter.builder("baserdb.password.verifications").tag("against", "decoy")
                .description("Argon2 password verifications").register(meters);
    }

    public String hash(String password) {
        return ENCODER.encode(password);
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
        return ENCODER.matches(password, hash);
    }

    /** Does the work of {@link #matches} for an identifier that matches no account; always false. */
    public boolean spendTimeOnUnknownAccount(String password) {
        decoyVerifications.increment();
        ENCODER.matches(password, DECOY);
        return false;
    }
}
