package dev.baserdb.query.credential;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.baserdb.kernel.EventNames;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealDenied;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealed;
import dev.baserdb.kernel.credential.RevealPolicy;
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

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;
import static dev.baserdb.kernel.readmodel.schema.Tables.CREDENTIAL_VERSIONS;

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
        return db.selectFrom(CREDENTIAL_VERSIONS).where(CREDENTIAL_VERSIONS.ID.eq(credentialId))
                .and(CREDENTIAL_VERSIONS.PERIOD.at(asOf)).fetchOptional().map(CredentialDirectory::toView);
    }

    /** The last version a credential had, revoked, ended with its project or not (for its history). */
    public Optional<CredentialView> lastVersion(String credentialId) {
        return db.selectFrom(CREDENTIAL_VERSIONS).where(CREDENTIAL_VERSIONS.ID.eq(credentialId))
                .orderBy(CREDENTIAL_VERSIONS.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(CredentialDirectory::toView);
    }

    /** The project's active credentials at {@code asOf}, oldest first. */
    public Page<CredentialView> credentialsOf(String projectId, Instant asOf, PageRequest page) {
        Condition of = CREDENTIAL_VERSIONS.PROJECT_ID.eq(projectId).and(CREDENTIAL_VERSIONS.PERIOD.at(asOf))
                .and(CREDENTIAL_VERSIONS.STATUS.eq("active"));
        long total = db.fetchCount(CREDENTIAL_VERSIONS, of);
        List<CredentialView> items = db.selectFrom(CREDENTIAL_VERSIONS).where(of)
                .orderBy(CREDENTIAL_VERSIONS.CREATED_AT, CREDENTIAL_VERSIONS.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(CredentialDirectory::toView);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /**
     * Every reveal attempt of the organization (optionally of one project) in [from, to), granted
     * and denied, oldest first, from the audit trail.
     */
    public List<CredentialReveal> reveals(String organizationId, String projectId, Instant from, Instant to) {
        Condition condition = AUDIT_ENTRIES.ORGANIZATION_ID.eq(organizationId)
                .and(AUDIT_ENTRIES.ACTION.in(REVEALED, REVEAL_DENIED));
        if (projectId != null) {
            condition = condition.and(AUDIT_ENTRIES.PROJECT_ID.eq(projectId));
        }
        if (from != null) {
            condition = condition.and(AUDIT_ENTRIES.OCCURRED_AT.ge(from.atOffset(ZoneOffset.UTC)));
        }
        if (to != null) {
            condition = condition.and(AUDIT_ENTRIES.OCCURRED_AT.lt(to.atOffset(ZoneOffset.UTC)));
        }
        return db.selectFrom(AUDIT_ENTRIES).where(condition).orderBy(AUDIT_ENTRIES.SEQUENCE)
                .fetch(CredentialDirectory::toReveal);
    }

    private static CredentialReveal toReveal(Record r) {
        JsonNode changes = read(r.get(AUDIT_ENTRIES.CHANGES));
        return new CredentialReveal(r.get(AUDIT_ENTRIES.OCCURRED_AT).toInstant(), r.get(AUDIT_ENTRIES.RESOURCE_ID),
                r.get(AUDIT_ENTRIES.PROJECT_ID), new CredentialReveal.Actor(r.get(AUDIT_ENTRIES.ACTOR_TYPE),
                r.get(AUDIT_ENTRIES.ACTOR_ID)),
                REVEALED.equals(r.get(AUDIT_ENTRIES.ACTION)), text(changes, "reason"), text(changes, "denial"));
    }

    private static CredentialView toView(Record r) {
        RevealPolicy policy;
        try {
            policy = JSON.readValue(r.get(CREDENTIAL_VERSIONS.REVEAL_POLICY), RevealPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable reveal policy of " + r.get(CREDENTIAL_VERSIONS.ID), e);
        }
        return new CredentialView(r.get(CREDENTIAL_VERSIONS.ID), r.get(CREDENTIAL_VERSIONS.PROJECT_ID),
                r.get(CREDENTIAL_VERSIONS.ORGANIZATION_ID), r.get(CREDENTIAL_VERSIONS.NAME), r.get(CREDENTIAL_VERSIONS.KIND),
                r.get(CREDENTIAL_VERSIONS.URI_MASKED), r.get(CREDENTIAL_VERSIONS.LOGIN_ROLE),
                r.get(CREDENTIAL_VERSIONS.STATUS), policy,
                instant(r.get(CREDENTIAL_VERSIONS.CREATED_AT)), instant(r.get(CREDENTIAL_VERSIONS.ROTATED_AT)),
                r.get(CREDENTIAL_VERSIONS.SEALED_SECRET), r.get(CREDENTIAL_VERSIONS.VERSION));
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
