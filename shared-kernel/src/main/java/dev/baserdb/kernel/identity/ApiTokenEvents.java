package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.ApiTokenId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.id.OrganizationId;
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
