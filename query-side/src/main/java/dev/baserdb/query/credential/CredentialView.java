package dev.baserdb.query.credential;

import dev.baserdb.kernel.credential.RevealPolicy;

import java.time.Instant;

/**
 * A credential as it is (or was, as of an instant): masked. {@code sealedSecret} is sealed under the
 * project's data key and is for the reveal alone; nothing shows it.
 */
public record CredentialView(String id, String projectId, String organizationId, String name, String kind,
                             String uriMasked, String loginRole, String status, RevealPolicy revealPolicy,
                             Instant createdAt, Instant rotatedAt, String sealedSecret, long version) {

    public boolean active() {
        return "active".equals(status);
    }
}
