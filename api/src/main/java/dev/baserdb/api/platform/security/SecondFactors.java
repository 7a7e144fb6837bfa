package dev.baserdb.api.platform.security;

/**
 * The one check of a fresh second factor outside sign-in (a credential reveal under
 * {@code require_mfa}, API.md §8): the same TOTP verification as the 2FA login, with the same
 * rules (a code once, recovery codes once, wrong codes toward the lockout).
 */
public interface SecondFactors {

    /** True when {@code code} is the user's current TOTP code (or an unused recovery code); it is then used up. */
    boolean prove(String userId, String code);
}
