package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.organization.OrganizationId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Set;

/** Events of the {@code ApiToken} aggregate. The token appears only as its SHA-256 hash. */
public sealed interface ApiTokenEvents {

    ApiTokenId tokenId();

    UserId userId();

    @Revision("1")
    record ApiTokenCreated(ApiTokenId tokenId, UserId userId, String name, Set<String> scopes,
                           OrganizationId organizationId, Instant expiresAt, String tokenHash)
            implements ApiTokenEvents {
    }

    @Revision("1")
    record ApiTokenRevoked(ApiTokenId tokenId, UserId userId) implements ApiTokenEvents {
    }
}
