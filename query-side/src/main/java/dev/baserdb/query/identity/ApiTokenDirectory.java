package dev.baserdb.query.identity;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.TenancyTables.ApiTokens;
import static dev.baserdb.kernel.readmodel.TenancyTables.Invitations;

/** Reads personal access tokens and open invitations, both found by the hash of their secret. */
@Service
public class ApiTokenDirectory {

    private final DSLContext db;

    public ApiTokenDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<ApiTokenView> findByHash(String tokenHash) {
        return db.selectFrom(ApiTokens.TABLE).where(ApiTokens.TOKEN_HASH.eq(tokenHash))
                .fetchOptional().map(ApiTokenDirectory::toView);
    }

    public Optional<ApiTokenView> find(String tokenId) {
        return db.selectFrom(ApiTokens.TABLE).where(ApiTokens.ID.eq(tokenId))
                .fetchOptional().map(ApiTokenDirectory::toView);
    }

    /** The user's tokens that are not revoked, newest first. */
    public List<ApiTokenView> tokensOf(String userId) {
        return db.selectFrom(ApiTokens.TABLE).where(ApiTokens.USER_ID.eq(userId)).and(ApiTokens.REVOKED_AT.isNull())
                .orderBy(ApiTokens.CREATED_AT.desc(), ApiTokens.ID.desc())
                .fetch(ApiTokenDirectory::toView);
    }

    /** The user an open (unaccepted) invitation with this token hash is for. */
    public Optional<String> invitedUserFor(String tokenHash) {
        return db.select(Invitations.USER_ID).from(Invitations.TABLE)
                .where(Invitations.TOKEN_HASH.eq(tokenHash)).and(Invitations.ACCEPTED_AT.isNull())
                .fetchOptional(Invitations.USER_ID);
    }

    private static ApiTokenView toView(Record r) {
        String[] scopes = r.get(ApiTokens.SCOPES);
        return new ApiTokenView(r.get(ApiTokens.ID), r.get(ApiTokens.USER_ID), r.get(ApiTokens.NAME),
                scopes == null ? List.of() : List.of(scopes), r.get(ApiTokens.ORGANIZATION_ID),
                instant(r.get(ApiTokens.EXPIRES_AT)), instant(r.get(ApiTokens.CREATED_AT)),
                instant(r.get(ApiTokens.REVOKED_AT)));
    }
}
