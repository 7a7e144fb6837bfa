package dev.baserdb.projection.identity;

import dev.baserdb.kernel.identity.ApiTokenEvents.ApiTokenCreated;
import dev.baserdb.kernel.identity.ApiTokenEvents.ApiTokenRevoked;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.time.Instant;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.API_TOKENS;

/** Personal access tokens by hash. Inline, so a revoked token stops working with the next request. */
@Component
@ProcessingGroup(ApiTokenProjection.GROUP)
class ApiTokenProjection {

    static final String GROUP = "api_tokens";

    private final DSLContext db;

    ApiTokenProjection(DSLContext db) {
        this.db = db;
    }

    @EventHandler
    void on(ApiTokenCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        db.insertInto(API_TOKENS)
                .set(API_TOKENS.ID, event.tokenId().value())
                .set(API_TOKENS.USER_ID, event.userId().value())
                .set(API_TOKENS.NAME, event.name())
                .set(API_TOKENS.SCOPES, event.scopes().stream().sorted().toArray(String[]::new))
                .set(API_TOKENS.ORGANIZATION_ID, event.organizationId() == null ? null : event.organizationId().value())
                .set(API_TOKENS.EXPIRES_AT, utc(event.expiresAt()))
                .set(API_TOKENS.TOKEN_HASH, event.tokenHash())
                .set(API_TOKENS.CREATED_AT, utc(at))
                .set(API_TOKENS.VERSION, version)
                .onConflict(API_TOKENS.ID).doNothing()
                .execute();
    }

    @EventHandler
    void on(ApiTokenRevoked event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(API_TOKENS)
                .set(API_TOKENS.REVOKED_AT, utc(at))
                .set(API_TOKENS.VERSION, version)
                .where(API_TOKENS.ID.eq(event.tokenId().value())).and(API_TOKENS.VERSION.lt(version))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(API_TOKENS).execute();
    }
}
