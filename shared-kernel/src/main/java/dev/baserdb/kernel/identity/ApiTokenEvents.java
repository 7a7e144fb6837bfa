package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.ApiTokenId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** Events of the {@code ApiToken} aggregate. The token appears only as its SHA-256 hash. */
public sealed interface ApiTokenEvents {

    ApiTokenId tokenId();

    UserId userId();

    /** {@code scopes} sorted, so the event's JSON is the same on every machine. */
    @Revision("1")
    record ApiTokenCreated(ApiTokenId tokenId, UserId userId, String name, List<String> scopes,
                           OrganizationId organizationId, Instant expiresAt, String tokenHash)
            implements ApiTokenEvents {
    }

    @Revision("1")
    record ApiTokenRevoked(ApiTokenId tokenId, UserId userId) implements ApiTokenEvents {
    }
}
