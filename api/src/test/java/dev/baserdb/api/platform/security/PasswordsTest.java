package dev.baserdb.api.platform.security;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoy that a sign-in with an unknown identifier is verified against ({@link Passwords#DECOY})
 * is written in the source, not made at start: it must still cost what a wrong password against a
 * real account costs, so nobody can tell from the time whether an account exists.
 */
class PasswordsTest {

    @Test
    void given_a_new_hash_then_the_decoy_has_its_algorithm_parameters_and_lengths() {
        String[] fresh = Passwords.ENCODER.encode("a password of a real account").split("\\$");
        String[] decoy = Passwords.DECOY.split("\\$");

        // "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
        assertThat(decoy).hasSize(6).hasSameSizeAs(fresh);
        assertThat(Arrays.copyOf(decoy, 4)).containsExactly(Arrays.copyOf(fresh, 4));
        assertThat(decoy[4]).hasSameSizeAs(fresh[4]);
        assertThat(decoy[5]).hasSameSizeAs(fresh[5]);
    }

    @Test
    void given_the_decoy_then_it_decodes_and_verifies_so_a_check_against_it_does_the_whole_argon2_work() {
        // a hash that does not decode is refused at once, without any Argon2 work
        assertThat(Passwords.ENCODER.matches(Passwords.DECOY_PASSWORD, Passwords.DECOY)).isTrue();
        assertThat(Passwords.ENCODER.matches("another password", Passwords.DECOY)).isFalse();
    }

    @Test
    void given_an_unknown_account_then_even_the_decoys_own_password_is_refused_and_counted_as_a_decoy_verification() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Passwords passwords = new Passwords(meters);

        assertThat(passwords.spendTimeOnUnknownAccount(Passwords.DECOY_PASSWORD)).isFalse();
        assertThat(passwords.matches(Passwords.DECOY_PASSWORD, null)).isFalse();

        assertThat(meters.get("baserdb.password.verifications").tag("against", "decoy").counter().count()).isEqualTo(2.0);
    }
}
