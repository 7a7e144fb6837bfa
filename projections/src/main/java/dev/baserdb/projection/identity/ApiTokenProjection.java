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
import static dev.baserdb.kernel.readmodel.TenancyTables.ApiTokens;

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
        db.insertInto(ApiTokens.TABLE)
                .set(ApiTokens.ID, event.tokenId().value())
                .set(ApiTokens.USER_ID, event.userId().value())
                .set(ApiTokens.NAME, event.name())
                .set(ApiTokens.SCOPES, event.scopes().stream().sorted().toArray(String[]::new))
                .set(ApiTokens.ORGANIZATION_ID, event.organizationId() == null ? null : event.organizationId().value())
                .set(ApiTokens.EXPIRES_AT, utc(event.expiresAt()))
                .set(ApiTokens.TOKEN_HASH, event.tokenHash())
                .set(ApiTokens.CREATED_AT, utc(at))
                .set(ApiTokens.VERSION, version)
                .onConflict(ApiTokens.ID).doNothing()
                .execute();
    }

    @EventHandler
    void on(ApiTokenRevoked event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(ApiTokens.TABLE)
                .set(ApiTokens.REVOKED_AT, utc(at))
                .set(ApiTokens.VERSION, version)
                .where(ApiTokens.ID.eq(event.tokenId().value())).and(ApiTokens.VERSION.lt(version))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(ApiTokens.TABLE).execute();
    }
}
