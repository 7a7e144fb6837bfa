package dev.baserdb.api.credential;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.baserdb.kernel.credential.RevealPolicy;
import dev.baserdb.query.credential.CredentialView;

import java.time.Instant;

/** Response bodies of the credential routes (API.md §8): masked, except the one answer to a granted reveal. */
final class CredentialResponses {

    private CredentialResponses() {
    }

    record Credential(String id, String projectId, String name, String kind, String uriMasked, String status,
                      RevealPolicy revealPolicy, Instant createdAt, Instant rotatedAt) {

        static Credential of(CredentialView view, String uriMasked) {
            return new Credential(view.id(), view.projectId(), view.name(), view.kind(), uriMasked, view.status(),
                    view.revealPolicy(), view.createdAt(), view.rotatedAt());
        }
    }

    @Schema(name = "RevealedCredential")
    record Revealed(String uri) {
    }
}
