package dev.baserdb.kernel.readmodel;

/**
 * What the identity read model's generated tables ({@code USERS}, {@code SESSIONS},
 * {@code ACCOUNT_TOKENS}, … of {@link dev.baserdb.kernel.readmodel.schema.Tables}) do not say.
 */
public final class IdentityTables {

    private IdentityTables() {
    }

    /** The purposes of an open single-use token in {@code account_tokens} (V8_0). */
    public static final class AccountTokens {
        public static final String RESET = "password_reset";
        public static final String VERIFICATION = "email_verification";
        public static final String MAGIC_LINK = "magic_link";
        public static final String MFA = "mfa_challenge";

        private AccountTokens() {
        }
    }
}
