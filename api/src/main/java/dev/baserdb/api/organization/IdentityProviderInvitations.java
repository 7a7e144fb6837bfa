package dev.baserdb.api.organization;

/**
 * Where invited people get their account when an external identity provider holds the
 * credentials (identity mode keycloak): implemented by the provider's integration, absent in the
 * built-in mode. Kept here, beside its one caller, so invitations know no provider by name.
 */
public interface IdentityProviderInvitations {

    /** The provider's name, as in identity links ({@code keycloak}). */
    String provider();

    /**
     * The provider's user for this email, created when it has none (asked to verify the email and
     * choose a password at first sign-in); returns its subject ({@code sub}).
     */
    String invitedUser(String email, String displayName);
}
