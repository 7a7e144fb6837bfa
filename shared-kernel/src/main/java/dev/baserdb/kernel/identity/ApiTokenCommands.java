package dev.baserdb.kernel.identity;

import dev.baserdb.kernel.id.ApiTokenId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.id.OrganizationId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Set;

/** Commands of the {@code ApiToken} aggregate (personal access tokens, {@code bdb_pat_…}). */
public sealed interface ApiTokenCommands {

    ApiTokenId tokenId();

    /** {@code organizationId} and {@code expiresAt} are optional; the token travels as its SHA-256 hash. */
    record CreateApiToken(@TargetAggregateIdentifier ApiTokenId tokenId, UserId userId, String name,
                          Set<String> scopes, OrganizationId organizationId, Instant expiresAt, String tokenHash)
            implements ApiTokenCommands {
    }

    /** Revokes the token; only its owner ({@code actor}) may. */
    record RevokeApiToken(@TargetAggregateIdentifier ApiTokenId tokenId, UserId actor) implements ApiTokenCommands {
    }
}
