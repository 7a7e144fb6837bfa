package dev.baserdb.projection.credential;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialCreated;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevoked;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRotated;
import dev.baserdb.kernel.credential.CredentialKinds;
import dev.baserdb.kernel.credential.RevealPolicy;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.projection.data.ProjectRoles;
import dev.baserdb.projection.platform.VersionedRows;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static org.jooq.impl.DSL.name;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;
import static dev.baserdb.kernel.readmodel.schema.Tables.CREDENTIAL_VERSIONS;

/**
 * Credentials as lists and reads show them: masked, the secret only sealed. Inline, so a created
 * credential is listed at once and a revoked one answers 404 with the next request. For a read-only
 * credential it also keeps the project's {@code audit_events} view: the project's own audit entries,
 * owned by the owner, a security barrier, readable by the project's reader role only. The login
 * roles themselves are made by the API through {@link CredentialRoles}, in the command's transaction;
 * a rebuild of this read model does not touch them.
 */
@Component
@ProcessingGroup(CredentialProjection.GROUP)
class CredentialProjection {

    static final String GROUP = "credentials";
    static final String ACTIVE = "active";
    static final String REVOKED = "revoked";

    /** Reveal policies as the API shows them (snake_case). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final DSLContext db;
    private final VersionedRows rows;
    private final DatabaseRoles roles;
    private final ProjectRoles projectRoles;
    private final CredentialRoles credentialRoles;

    CredentialProjection(DSLContext db, VersionedRows rows, DatabaseRoles roles, ProjectRoles projectRoles,
                         CredentialRoles credentialRoles) {
        this.db = db;
        this.rows = rows;
        this.roles = roles;
        this.projectRoles = projectRoles;
        this.credentialRoles = credentialRoles;
    }

    @EventHandler
    void on(CredentialCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<org.jooq.Field<?>, Object> values = new HashMap<>();
        values.put(CREDENTIAL_VERSIONS.ID, event.credentialId().value());
        values.put(CREDENTIAL_VERSIONS.PROJECT_ID, event.projectId().value());
        values.put(CREDENTIAL_VERSIONS.ORGANIZATION_ID, event.organizationId().value());
        values.put(CREDENTIAL_VERSIONS.NAME, event.name());
        values.put(CREDENTIAL_VERSIONS.KIND, event.kind());
        values.put(CREDENTIAL_VERSIONS.REVEAL_POLICY, json(event.revealPolicy()));
        values.put(CREDENTIAL_VERSIONS.LOGIN_ROLE, event.loginRole());
        values.put(CREDENTIAL_VERSIONS.URI_MASKED, event.uriMasked());
        values.put(CREDENTIAL_VERSIONS.SEALED_SECRET, event.sealedSecret());
        values.put(CREDENTIAL_VERSIONS.STATUS, ACTIVE);
        values.put(CREDENTIAL_VERSIONS.CREATED_AT, utc(at));
        values.put(CREDENTIAL_VERSIONS.ROTATED_AT, null);
        rows.open(CREDENTIAL_VERSIONS, CREDENTIAL_VERSIONS.PERIOD,
                CREDENTIAL_VERSIONS.ID.eq(event.credentialId().value()), values,
                CREDENTIAL_VERSIONS.VERSION, version, utc(at));
        if (CredentialKinds.POSTGRES_READONLY.equals(event.kind())) {
            auditView(event.projectId().value());
        }
    }

    @EventHandler
    void on(CredentialRotated event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.change(CREDENTIAL_VERSIONS, CREDENTIAL_VERSIONS.PERIOD, CREDENTIAL_VERSIONS.ID.eq(event.credentialId().value()),
                Map.of(CREDENTIAL_VERSIONS.SEALED_SECRET, event.sealedSecret(), CREDENTIAL_VERSIONS.ROTATED_AT, utc(at)),
                CREDENTIAL_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(CredentialRevoked event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<org.jooq.Field<?>, Object> changes = new HashMap<>();
        changes.put(CREDENTIAL_VERSIONS.STATUS, REVOKED);
        changes.put(CREDENTIAL_VERSIONS.SEALED_SECRET, null);
        rows.change(CREDENTIAL_VERSIONS, CREDENTIAL_VERSIONS.PERIOD,
                CREDENTIAL_VERSIONS.ID.eq(event.credentialId().value()), changes,
                CREDENTIAL_VERSIONS.VERSION, version, utc(at));
    }

    /** A deleted project's credentials go with it: their login roles are dropped, their rows end, the view goes. */
    @EventHandler
    void on(ProjectDeleted event, @Timestamp Instant at) {
        String projectId = event.projectId().value();
        List<String> loginRoles = db.select(CREDENTIAL_VERSIONS.LOGIN_ROLE).from(CREDENTIAL_VERSIONS)
                .where(CREDENTIAL_VERSIONS.PROJECT_ID.eq(projectId)).and(CREDENTIAL_VERSIONS.PERIOD.current())
                .and(CREDENTIAL_VERSIONS.STATUS.eq(ACTIVE)).and(CREDENTIAL_VERSIONS.LOGIN_ROLE.isNotNull())
                .fetch(CREDENTIAL_VERSIONS.LOGIN_ROLE);
        loginRoles.forEach(credentialRoles::drop);
        db.update(CREDENTIAL_VERSIONS).set(CREDENTIAL_VERSIONS.PERIOD.validTo(), utc(at))
                .where(CREDENTIAL_VERSIONS.PROJECT_ID.eq(projectId)).and(CREDENTIAL_VERSIONS.PERIOD.current())
                .execute();
        db.execute("DROP SCHEMA IF EXISTS " + q(name(CredentialKinds.viewSchema(projectId))) + " CASCADE");
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(CREDENTIAL_VERSIONS).execute();
    }

    /**
     * The project's own audit entries with the columns of API.md §10 ({@code actor} and
     * {@code resource} as JSON objects, {@code changes} as JSON). A security barrier, so no function
     * a reader passes can see rows of other projects before the project filter; owned by the owner,
     * which reads {@code audit_entries} on the reader's behalf. IP address and user agent stay sealed
     * personal data, as they are stored.
     */
    private void auditView(String projectId) {
        projectRoles.ensure(projectId);
        Name schema = name(CredentialKinds.viewSchema(projectId));
        String reader = q(name(roles.reader(projectId)));
        db.execute("CREATE SCHEMA IF NOT EXISTS " + q(schema));
        db.execute("CREATE OR REPLACE VIEW " + q(name(schema.last(), CredentialKinds.AUDIT_VIEW))
                + " WITH (security_barrier) AS SELECT e.id, e.sequence, e.occurred_at, e.organization_id, e.project_id,"
                + " jsonb_strip_nulls(jsonb_build_object('type', e.actor_type, 'id', e.actor_id,"
                + " 'impersonator_id', e.impersonator_id)) AS actor, e.action,"
                + " jsonb_build_object('type', e.resource_type, 'id', e.resource_id) AS resource,"
                + " e.request_id, e.ip, e.user_agent, e.changes::jsonb AS changes, e.prev_hash, e.hash"
                + " FROM " + q(AUDIT_ENTRIES.getQualifiedName()) + " e WHERE e.project_id = "
                + db.renderInlined(org.jooq.impl.DSL.inline(projectId)));
        db.execute("GRANT USAGE ON SCHEMA " + q(schema) + " TO " + reader);
        db.execute("GRANT SELECT ON " + q(name(schema.last(), CredentialKinds.AUDIT_VIEW)) + " TO " + reader);
    }

    private String q(Name name) {
        return db.render(name);
    }

    private static String json(RevealPolicy policy) {
        try {
            return JSON.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
