package dev.baserdb.query.identity;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.schema.Tables.API_TOKENS;
import static dev.baserdb.kernel.readmodel.schema.Tables.INVITATIONS;

/** Reads personal access tokens and open invitations, both found by the hash of their secret. */
@Service
public class ApiTokenDirectory {

    private final DSLContext db;

    public ApiTokenDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<ApiTokenView> findByHash(String tokenHash) {
        return db.selectFrom(API_TOKENS).where(API_TOKENS.TOKEN_HASH.eq(tokenHash))
                .fetchOptional().map(ApiTokenDirectory::toView);
    }

    public Optional<ApiTokenView> find(String tokenId) {
        return db.selectFrom(API_TOKENS).where(API_TOKENS.ID.eq(tokenId))
                .fetchOptional().map(ApiTokenDirectory::toView);
    }

    /** The user's tokens that are not revoked, newest first. */
    public List<ApiTokenView> tokensOf(String userId) {
        return db.selectFrom(API_TOKENS).where(API_TOKENS.USER_ID.eq(userId)).and(API_TOKENS.REVOKED_AT.isNull())
                .orderBy(API_TOKENS.CREATED_AT.desc(), API_TOKENS.ID.desc())
                .fetch(ApiTokenDirectory::toView);
    }

    /** The user an open (unaccepted) invitation with this token hash is for. */
    public Optional<String> invitedUserFor(String tokenHash) {
        return db.select(INVITATIONS.USER_ID).from(INVITATIONS)
                .where(INVITATIONS.TOKEN_HASH.eq(tokenHash)).and(INVITATIONS.ACCEPTED_AT.isNull())
                .fetchOptional(INVITATIONS.USER_ID);
    }

    private static ApiTokenView toView(Record r) {
        String[] scopes = r.get(API_TOKENS.SCOPES);
        return new ApiTokenView(r.get(API_TOKENS.ID), r.get(API_TOKENS.USER_ID), r.get(API_TOKENS.NAME),
                scopes == null ? List.of() : List.of(scopes), r.get(API_TOKENS.ORGANIZATION_ID),
                instant(r.get(API_TOKENS.EXPIRES_AT)), instant(r.get(API_TOKENS.CREATED_AT)),
                instant(r.get(API_TOKENS.REVOKED_AT)));
    }
}
