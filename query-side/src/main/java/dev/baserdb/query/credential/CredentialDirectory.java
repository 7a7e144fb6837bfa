package dev.baserdb.query.credential;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.baserdb.kernel.EventNames;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealDenied;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealed;
import dev.baserdb.kernel.credential.RevealPolicy;
import dev.baserdb.kernel.readmodel.AuditTables.Entries;
import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.CredentialTables.Credentials;
import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;

/** Reads credentials (masked), now or as of an instant, and the report of reveal attempts. */
@Service
public class CredentialDirectory {

    static final String REVEALED = EventNames.action(CredentialRevealed.class);
    static final String REVEAL_DENIED = EventNames.action(CredentialRevealDenied.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final DSLContext db;

    public CredentialDirectory(DSLContext db) {
        this.db = db;
    }

    /** The credential at {@code asOf} ({@code null}: now), revoked or not. */
    public Optional<CredentialView> find(String credentialId, Instant asOf) {
        return db.selectFrom(Credentials.TABLE).where(Credentials.ID.eq(credentialId))
                .and(Credentials.PERIOD.at(asOf)).fetchOptional().map(CredentialDirectory::toView);
    }

    /** The last version a credential had, revoked, ended with its project or not (for its history). */
    public Optional<CredentialView> lastVersion(String credentialId) {
        return db.selectFrom(Credentials.TABLE).where(Credentials.ID.eq(credentialId))
                .orderBy(Credentials.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(CredentialDirectory::toView);
    }

    /** The project's active credentials at {@code asOf}, oldest first. */
    public Page<CredentialView> credentialsOf(String projectId, Instant asOf, PageRequest page) {
        Condition of = Credentials.PROJECT_ID.eq(projectId).and(Credentials.PERIOD.at(asOf))
                .and(Credentials.STATUS.eq("active"));
        long total = db.fetchCount(Credentials.TABLE, of);
        List<CredentialView> items = db.selectFrom(Credentials.TABLE).where(of)
                .orderBy(Credentials.CREATED_AT, Credentials.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(CredentialDirectory::toView);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /**
     * Every reveal attempt of the organization (optionally of one project) in [from, to), granted
     * and denied, oldest first, from the audit trail.
     */
    public List<CredentialReveal> reveals(String organizationId, String projectId, Instant from, Instant to) {
        Condition condition = Entries.ORGANIZATION_ID.eq(organizationId)
                .and(Entries.ACTION.in(REVEALED, REVEAL_DENIED));
        if (projectId != null) {
            condition = condition.and(Entries.PROJECT_ID.eq(projectId));
        }
        if (from != null) {
            condition = condition.and(Entries.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC)));
        }
        if (to != null) {
            condition = condition.and(Entries.OCCURRED_AT.lt(to.atOffset(ZoneOffset.UTC)));
        }
        return db.selectFrom(Entries.TABLE).where(condition).orderBy(Entries.SEQUENCE)
                .fetch(CredentialDirectory::toReveal);
    }

    private static CredentialReveal toReveal(Record r) {
        JsonNode changes = read(r.get(Entries.CHANGES));
        return new CredentialReveal(r.get(Entries.OCCURRED_AT).toInstant(), r.get(Entries.RESOURCE_ID),
                r.get(Entries.PROJECT_ID), new CredentialReveal.Actor(r.get(Entries.ACTOR_TYPE), r.get(Entries.ACTOR_ID)),
                REVEALED.equals(r.get(Entries.ACTION)), text(changes, "reason"), text(changes, "denial"));
    }

    private static CredentialView toView(Record r) {
        RevealPolicy policy;
        try {
            policy = JSON.readValue(r.get(Credentials.REVEAL_POLICY), RevealPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable reveal policy of " + r.get(Credentials.ID), e);
        }
        return new CredentialView(r.get(Credentials.ID), r.get(Credentials.PROJECT_ID),
                r.get(Credentials.ORGANIZATION_ID), r.get(Credentials.NAME), r.get(Credentials.KIND),
                r.get(Credentials.URI_MASKED), r.get(Credentials.LOGIN_ROLE), r.get(Credentials.STATUS), policy,
                instant(r.get(Credentials.CREATED_AT)), instant(r.get(Credentials.ROTATED_AT)),
                r.get(Credentials.SEALED_SECRET), r.get(Credentials.VERSION));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.missingNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
