package dev.baserdb.kernel.credential;

import dev.baserdb.kernel.id.CredentialId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.serialization.Revision;

/**
 * Events of the {@code Credential} aggregate. Every reveal attempt is an event, granted or denied,
 * so the audit trail holds each one. {@code sealedSecret} is sealed under the project's data key
 * and its name marks it a secret: the audit trail and history redact it.
 */
public sealed interface CredentialEvents {

    CredentialId credentialId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record CredentialCreated(CredentialId credentialId, ProjectId projectId, OrganizationId organizationId,
                             String name, String kind, RevealPolicy revealPolicy, String loginRole,
                             String uriMasked, String sealedSecret) implements CredentialEvents {
    }

    @Revision("1")
    record CredentialRevealed(CredentialId credentialId, ProjectId projectId, OrganizationId organizationId,
                              String reason) implements CredentialEvents {
    }

    @Revision("1")
    record CredentialRevealDenied(CredentialId credentialId, ProjectId projectId, OrganizationId organizationId,
                                  String reason, RevealDenial denial) implements CredentialEvents {
    }

    @Revision("1")
    record CredentialRotated(CredentialId credentialId, ProjectId projectId, OrganizationId organizationId,
                             String sealedSecret) implements CredentialEvents {
    }

    @Revision("1")
    record CredentialRevoked(CredentialId credentialId, ProjectId projectId, OrganizationId organizationId)
            implements CredentialEvents {
    }
}
