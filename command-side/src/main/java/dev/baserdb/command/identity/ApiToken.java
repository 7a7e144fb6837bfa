package dev.baserdb.command.identity;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.identity.ApiTokenCommands.CreateApiToken;
import dev.baserdb.kernel.identity.ApiTokenCommands.RevokeApiToken;
import dev.baserdb.kernel.identity.ApiTokenEvents.ApiTokenCreated;
import dev.baserdb.kernel.identity.ApiTokenEvents.ApiTokenRevoked;
import dev.baserdb.kernel.id.ApiTokenId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A personal access token: scoped, optionally pinned to one organization, optionally expiring. */
@Aggregate
class ApiToken {

    static final Set<String> SCOPES = Set.of("read", "write", "delete", "admin", "audit:read", "credentials:reveal");

    @AggregateIdentifier
    private ApiTokenId tokenId;
    private UserId owner;
    private boolean revoked;

    ApiToken() {
        // for Axon
    }

    @CommandHandler
    ApiToken(CreateApiToken command) {
        if (command.scopes() == null || command.scopes().isEmpty()) {
            throw BaserDbException.invalid("scopes", "must name at least one scope");
        }
        if (!SCOPES.containsAll(command.scopes())) {
            throw BaserDbException.invalid("scopes", "must be among " + SCOPES.stream().sorted().toList());
        }
        if (command.expiresAt() != null && !command.expiresAt().isAfter(GenericEventMessage.clock.instant())) {
            throw BaserDbException.invalid("expires_at", "must be in the future");
        }
        apply(new ApiTokenCreated(command.tokenId(), command.userId(), command.name(), command.scopes().stream().sorted().distinct().toList(),
                command.organizationId(), command.expiresAt(), command.tokenHash()));
    }

    @CommandHandler
    void handle(RevokeApiToken command) {
        if (!owner.equals(command.actor())) {
            throw BaserDbException.notFound("Token");
        }
        if (!revoked) {
            apply(new ApiTokenRevoked(tokenId, owner));
        }
    }

    @EventSourcingHandler
    void on(ApiTokenCreated event) {
        tokenId = event.tokenId();
        owner = event.userId();
    }

    @EventSourcingHandler
    void on(ApiTokenRevoked event) {
        revoked = true;
    }
}
