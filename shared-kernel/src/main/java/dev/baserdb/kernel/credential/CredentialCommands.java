package dev.baserdb.kernel.credential;

import dev.baserdb.kernel.id.CredentialId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * Commands of the {@code Credential} aggregate. Secrets travel only sealed under the project's
 * data key ({@code sealedSecret}: the password of a {@code postgres_readonly} role, the URI of an
 * {@code external} credential); the plaintext never enters a command or an event.
 */
public sealed interface CredentialCommands {

    CredentialId credentialId();

    /**
     * @param loginRole the PostgreSQL login role of a {@code postgres_readonly} credential, else null
     * @param uriMasked what lists show of an {@code external} URI (null for {@code postgres_readonly},
     *                  whose masked URI is made from the role name when read)
     */
    record CreateCredential(@TargetAggregateIdentifier CredentialId credentialId, ProjectId projectId,
                            OrganizationId organizationId, String name, String kind, RevealPolicy revealPolicy,
                            String loginRole, String uriMasked, String sealedSecret) implements CredentialCommands {
    }

    /**
     * An attempt to reveal, with the facts the policy is decided on; the handler answers a
     * {@link RevealDecision} (a denial is an event too, not an exception).
     *
     * @param callerRole      the caller's role in the organization (wire name), null for a non-member
     * @param roleMayReveal   whether the permission matrix lets that role reveal credentials
     * @param tokenMayReveal  whether the caller's token carries the {@code credentials:reveal} scope
     * @param reason          the reason given, or null
     * @param mfaVerified     whether the request proved a fresh second factor
     */
    record RevealCredential(@TargetAggregateIdentifier CredentialId credentialId, String callerRole,
                            boolean roleMayReveal, boolean tokenMayReveal, String reason, boolean mfaVerified)
            implements CredentialCommands {
    }

    record RotateCredential(@TargetAggregateIdentifier CredentialId credentialId, String sealedSecret)
            implements CredentialCommands {
    }

    record RevokeCredential(@TargetAggregateIdentifier CredentialId credentialId,
                            @TargetAggregateVersion Long expectedVersion) implements CredentialCommands {
    }

    /** The answer to {@link RevealCredential}: granted, or the denial recorded. */
    record RevealDecision(boolean granted, RevealDenial denial) {

        public static RevealDecision grant() {
            return new RevealDecision(true, null);
        }

        public static RevealDecision deny(RevealDenial denial) {
            return new RevealDecision(false, denial);
        }
    }
}
