package dev.baserdb.api.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TenancySteps;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.organization.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.baserdb.api.credential.CredentialSteps.PATH;
import static dev.baserdb.api.credential.CredentialSteps.externalRequest;
import static dev.baserdb.api.credential.CredentialSteps.policy;
import static dev.baserdb.api.credential.CredentialSteps.readOnlyRequest;
import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.kernel.organization.Role.ADMIN;
import static dev.baserdb.kernel.organization.Role.AUDITOR;
import static dev.baserdb.kernel.organization.Role.DEVELOPER;
import static dev.baserdb.kernel.organization.Role.OWNER;
import static dev.baserdb.kernel.organization.Role.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials over real HTTP (API.md §8): the masked resource, every route's bad input and the
 * permissions of §4, the reveal policy (403 / 400 / 401) with every attempt audited and reported,
 * time travel and history, and an external URI whose plaintext is nowhere but in the reveal.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialHttpTest {

    private static final String MASK = "••••";

    @LocalServerPort
    int port;

    private Http http;
    private Accounts accounts;
    private Tenancy tenancy;
    private CredentialSteps steps;
    private final Map<Role, Accounts.Account> member = new EnumMap<>(Role.class);
    private String organization;
    private String project;
    /** Another tenant: its own organization and project. */
    private Accounts.Account stranger;
    private String strangersProject;

    @BeforeAll
    void anOrganizationWithOneMemberPerRole() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new Tenancy(http);
        steps = new CredentialSteps(http);
        member.put(OWNER, accounts.anAccount());
        organization = tenancy.anOrganization(owner());
        for (Role role : List.of(ADMIN, DEVELOPER, AUDITOR, VIEWER)) {
            Accounts.Account account = accounts.anAccount();
            tenancy.addMember(owner(), organization, account, role.wireName());
            member.put(role, account);
        }
        project = tenancy.aProject(owner(), organization).id();
        stranger = accounts.anAccount();
        strangersProject = tenancy.aProject(stranger, tenancy.anOrganization(stranger)).id();
    }

    private Accounts.Account owner() {
        return member.get(OWNER);
    }

    private Http as(Role role) {
        return http.bearer(member.get(role).accessToken());
    }

    // --- create ---------------------------------------------------------------------------------------

    @Test
    void given_a_project_when_a_read_only_credential_is_created_then_201_masked_with_the_default_policy() {
        Http.Response created = as(OWNER).post(PATH, readOnlyRequest(project, "reporting"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        JsonNode credential = created.data();
        String id = credential.path("id").asText();
        assertThat(id).matches("cred_[0-9a-f]{32}");
        String database = TestDatabase.url().substring(TestDatabase.url().lastIndexOf('/') + 1);
        assertThat(credential.path("uri_masked").asText())
                .isEqualTo("postgresql://ro_" + id.substring(5) + ":" + MASK + "@127.0.0.1:5432/" + database);
        assertThat(credential.path("project_id").asText()).isEqualTo(project);
        assertThat(credential.path("name").asText()).isEqualTo("reporting");
        assertThat(credential.path("kind").asText()).isEqualTo("postgres_readonly");
        assertThat(credential.path("status").asText()).isEqualTo("active");
        assertThat(credential.path("reveal_policy")).isEqualTo(policy(List.of("owner", "admin"), false, true));
        assertThat(credential.path("created_at").asText()).isNotBlank();
        assertThat(credential.path("rotated_at").isNull()).isTrue();
        assertThat(fieldNames(credential)).containsExactlyInAnyOrder("id", "project_id", "name", "kind", "uri_masked",
                "status", "reveal_policy", "created_at", "rotated_at");

        Http.Response read = as(OWNER).get(PATH + "/" + id);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.data()).isEqualTo(credential);
        assertThat(read.header("ETag")).isEqualTo("\"0\"");
        Http.Response list = as(OWNER).get(PATH + "?project_id=" + project);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(ids(list)).contains(id);
    }

    @Test
    void given_bad_input_when_creating_then_400_or_404_and_nothing_is_created() {
        String external = "postgresql://u:p@db.example.com:5432/app";
        List<ObjectNode> invalid = List.of(
                Http.json("name", "x", "kind", "postgres_readonly"),
                Http.json("project_id", project, "kind", "postgres_readonly"),
                readOnlyRequest(project, " "),
                readOnlyRequest(project, "x".repeat(201)),
                Http.json("project_id", project, "name", "x"),
                Http.json("project_id", project, "name", "x", "kind", "mysql_admin"),
                readOnlyRequest(project, "x").put("uri", external),
                Http.json("project_id", project, "name", "x", "kind", "external"),
                externalRequest(project, "x", "not a uri at all"),
                externalRequest(project, "x", "mailto:someone@example.com"),
                externalRequest(project, "x", "postgresql:///no-host"),
                externalRequest(project, "x", "postgresql://h/" + "d".repeat(2048)),
                (ObjectNode) readOnlyRequest(project, "x").set("reveal_policy", policy(List.of(), false, true)),
                (ObjectNode) readOnlyRequest(project, "x").set("reveal_policy", policy(List.of("owner", "root"), false, true)),
                (ObjectNode) readOnlyRequest(project, "x").set("reveal_policy", Http.json("roles", "owner")));
        long before = credentialRows(project);
        for (ObjectNode body : invalid) {
            Http.Response refused = as(OWNER).post(PATH, body);
            assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
            assertThat(refused.errorCode()).as(body.toString()).isIn("VALIDATION_FAILED", "BAD_REQUEST");
            assertThat(refused.text()).as("a refused URI is never quoted").doesNotContain("not a uri at all")
                    .doesNotContain("db.example.com");
        }
        Http.Response malformed = as(OWNER).send("POST", PATH, "{\"project_id\": ", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("BAD_REQUEST");
        Http.Response unknownProject = as(OWNER).post(PATH, readOnlyRequest("prj_" + "0".repeat(32), "x"));
        assertThat(unknownProject.status()).as(unknownProject.toString()).isEqualTo(404);
        Http.Response othersProject = as(OWNER).post(PATH, readOnlyRequest(strangersProject, "x"));
        assertThat(othersProject.status()).as(othersProject.toString()).isEqualTo(404);
        assertThat(credentialRows(project)).isEqualTo(before);
        assertThat(credentialRows(strangersProject)).isZero();
    }

    @Test
    void given_a_missing_kind_field_when_creating_then_the_details_name_the_field() {
        Http.Response refused = as(OWNER).post(PATH, Http.json("project_id", project, "name", "x", "kind", "nope"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("error").path("details").has("kind")).as(refused.toString()).isTrue();
        Http.Response noUri = as(OWNER).post(PATH, Http.json("project_id", project, "name", "x", "kind", "external"));
        assertThat(noUri.body().path("error").path("details").has("uri")).as(noUri.toString()).isTrue();
    }

    // --- external: the plaintext is nowhere but in the reveal ----------------------------------------

    @Test
    void given_an_external_uri_when_stored_then_its_plaintext_is_in_no_event_read_model_or_audit_entry() {
        String marker = "marker" + UUID.randomUUID().toString().replace("-", "");
        String uri = "postgresql://reporter:" + marker + "@db.example.com:6543/sales?sslmode=require&password=" + marker;
        Http.Response created = as(OWNER).with("Idempotency-Key", Tenancy.unique("idem"))
                .post(PATH, externalRequest(project, "warehouse", uri));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.data().path("id").asText();
        assertThat(created.data().path("uri_masked").asText())
                .isEqualTo("postgresql://reporter:" + MASK + "@db.example.com:6543/sales");
        assertThat(created.text()).doesNotContain(marker);

        Http.Response revealed = as(ADMIN).with("Idempotency-Key", Tenancy.unique("idem"))
                .post(PATH + "/" + id + "/reveal", Http.json("reason", "migration"));
        assertThat(revealed.status()).as(revealed.toString()).isEqualTo(200);
        assertThat(revealed.data().path("uri").asText()).isEqualTo(uri);
        assertThat(revealed.header("Cache-Control")).contains("no-store");
        ok(as(OWNER).post(PATH + "/" + id + "/rotate",
                Http.json("uri", uri.replace(marker, marker + "x"))));
        AuditTrail.awaitCaughtUp();

        assertThat(AuditTrail.count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", id))
                .isEqualTo(3);
        assertThat(AuditTrail.count("SELECT count(*) FROM domainevententry WHERE position(? in "
                + "convert_from(payload, 'UTF8') || convert_from(coalesce(metadata, ''::bytea), 'UTF8')) > 0", marker))
                .as("event payloads and metadata").isZero();
        for (String table : AuditTrail.strings("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
                + "FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                + "AND table_type = 'BASE TABLE'")) {
            assertThat(AuditTrail.count("SELECT count(*) FROM " + table + " t WHERE position(? in t::text) > 0", marker))
                    .as(table).isZero();
        }
        for (String path : List.of(PATH + "/" + id, PATH + "?project_id=" + project, PATH + "/" + id + "/history",
                "/api/v1/audit/events?organization_id=" + organization + "&resource_id=" + id)) {
            Http.Response read = as(OWNER).get(path);
            assertThat(read.status()).as(path + " " + read).isEqualTo(200);
            assertThat(read.text()).as(path).doesNotContain(marker);
        }
    }

    @Test
    void given_an_external_credential_when_rotated_to_another_place_or_without_a_uri_then_400() {
        String id = steps.create(owner(), externalRequest(project, "ext", "https://user:pw@api.example.com/v1"))
                .path("id").asText();
        Http.Response elsewhere = as(OWNER).post(PATH + "/" + id + "/rotate",
                Http.json("uri", "https://user:pw2@other.example.com/v1"));
        Http.Response none = as(OWNER).post(PATH + "/" + id + "/rotate", Http.json());
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(400);
        assertThat(none.status()).as(none.toString()).isEqualTo(400);
        assertThat(TenancySteps.eventCount(id)).isEqualTo(1);
        Http.Response readOnlyWithUri = as(OWNER).post(PATH + "/" + steps.aReadOnlyCredential(owner(), project)
                .path("id").asText() + "/rotate", Http.json("uri", "https://a/b"));
        assertThat(readOnlyWithUri.status()).isEqualTo(400);
    }

    // --- reveal policy --------------------------------------------------------------------------------

    @Test
    void given_the_default_policy_when_each_role_reveals_then_only_owner_and_admin_with_a_reason_get_the_uri() {
        String id = steps.aReadOnlyCredential(owner(), project).path("id").asText();

        Http.Response byOwner = steps.reveal(as(OWNER), id, "quarterly numbers");
        Http.Response byAdmin = steps.reveal(as(ADMIN), id, "audit");
        Http.Response withoutReason = steps.reveal(as(ADMIN), id, null);
        Http.Response blankReason = steps.reveal(as(OWNER), id, "  ");
        Http.Response noBody = as(OWNER).send("POST", PATH + "/" + id + "/reveal", null, null);

        assertThat(byOwner.status()).as(byOwner.toString()).isEqualTo(200);
        assertThat(byOwner.data().path("uri").asText()).matches("postgresql://ro_" + id.substring(5)
                + ":[A-Za-z0-9_-]{43}@127\\.0\\.0\\.1:5432/.+");
        assertThat(byAdmin.data().path("uri").asText()).isEqualTo(byOwner.data().path("uri").asText());
        for (Http.Response refused : List.of(withoutReason, blankReason, noBody)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("VALIDATION_FAILED");
            assertThat(refused.body().path("error").path("details").has("reason")).isTrue();
            assertThat(refused.text()).doesNotContain("postgresql://");
        }
        for (Role role : List.of(DEVELOPER, AUDITOR, VIEWER)) {
            Http.Response refused = steps.reveal(as(role), id, "curious");
            assertThat(refused.status()).as(role + " " + refused).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("FORBIDDEN");
        }
        assertThat(TenancySteps.eventCount(id, "CredentialRevealed")).isEqualTo(2);
        assertThat(TenancySteps.eventCount(id, "CredentialRevealDenied")).isEqualTo(6);
    }

    @Test
    void given_the_same_idempotency_key_when_revealing_twice_then_both_reveals_run_and_are_recorded() {
        String id = steps.aReadOnlyCredential(owner(), project).path("id").asText();
        String key = Tenancy.unique("reveal");
        Http sameKey = as(OWNER).with("Idempotency-Key", key);
        assertThat(steps.reveal(sameKey, id, "first").status()).isEqualTo(200);
        assertThat(steps.reveal(sameKey, id, "second").status()).as("never answered from the store").isEqualTo(200);
        assertThat(TenancySteps.eventCount(id, "CredentialRevealed")).isEqualTo(2);
        assertThat(AuditTrail.count("SELECT count(*) FROM idempotency_keys WHERE idem_key = ?",
                key)).isZero();
    }

    @Test
    void given_a_policy_of_owners_only_when_an_admin_reveals_then_403_and_with_no_reason_required_200() {
        String ownersOnly = steps.create(owner(), readOnlyRequest(project, "owners")
                .set("reveal_policy", policy(List.of("owner"), false, false))).path("id").asText();
        Http.Response byAdmin = steps.reveal(as(ADMIN), ownersOnly, "please");
        Http.Response byOwner = steps.reveal(as(OWNER), ownersOnly, null);
        assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(403);
        assertThat(byOwner.status()).as(byOwner.toString()).isEqualTo(200);

        String listsDevelopers = steps.create(owner(), readOnlyRequest(project, "devs")
                .set("reveal_policy", policy(List.of("developer"), false, false))).path("id").asText();
        Http.Response byDeveloper = steps.reveal(as(DEVELOPER), listsDevelopers, "x");
        assertThat(byDeveloper.status()).as("the matrix (§4) still refuses developers").isEqualTo(403);
    }

    @Test
    void given_require_mfa_when_anyone_reveals_then_401_MFA_REQUIRED_even_with_a_code() {
        String id = steps.create(owner(), readOnlyRequest(project, "mfa")
                .set("reveal_policy", policy(List.of("owner", "admin"), true, true))).path("id").asText();
        Http.Response withoutCode = steps.reveal(as(OWNER), id, "incident");
        Http.Response withCode = as(OWNER).post(PATH + "/" + id + "/reveal",
                Http.json("reason", "incident", "mfa_code", "123456"));
        Http.Response roleFirst = steps.reveal(as(DEVELOPER), id, "incident");
        Http.Response reasonFirst = steps.reveal(as(OWNER), id, null);
        for (Http.Response refused : List.of(withoutCode, withCode)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo("MFA_REQUIRED");
        }
        assertThat(roleFirst.status()).isEqualTo(403);
        assertThat(reasonFirst.status()).isEqualTo(400);
        assertThat(TenancySteps.eventCount(id, "CredentialRevealDenied")).isEqualTo(4);
        assertThat(TenancySteps.eventCount(id, "CredentialRevealed")).isZero();
    }

    @Test
    void given_personal_access_tokens_when_revealing_then_the_credentials_reveal_scope_is_needed() {
        String id = steps.aReadOnlyCredential(owner(), project).path("id").asText();
        Tenancy.Pat readOnly = tenancy.aPat(owner(), List.of("read"), null, null);
        Tenancy.Pat revealing = tenancy.aPat(owner(), List.of("read", "credentials:reveal"), null, null);
        Http.Response withoutScope = steps.reveal(http.bearer(readOnly.token()), id, "report");
        Http.Response withScope = steps.reveal(http.bearer(revealing.token()), id, "report");
        assertThat(withoutScope.status()).as(withoutScope.toString()).isEqualTo(403);
        assertThat(withoutScope.errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(withScope.status()).as(withScope.toString()).isEqualTo(200);
    }

    @Test
    void given_another_tenant_or_a_service_key_when_revealing_then_404_or_403() {
        Tenancy.Project withKey = tenancy.aProject(owner(), organization);
        String id = steps.aReadOnlyCredential(owner(), withKey.id()).path("id").asText();
        Http.Response byStranger = steps.reveal(http.bearer(stranger.accessToken()), id, "x");
        Http.Response anonymous = steps.reveal(http, id, "x");
        Http.Response byServiceKey = steps.reveal(http.with("X-API-Key", withKey.serviceKey()), id, "x");
        Http.Response unknown = steps.reveal(as(OWNER), "cred_" + "0".repeat(32), "x");
        Http.Response malformedId = steps.reveal(as(OWNER), "nope", "x");
        assertThat(byStranger.status()).as(byStranger.toString()).isEqualTo(404);
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
        assertThat(byServiceKey.status()).as(byServiceKey.toString()).isEqualTo(403);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(malformedId.status()).isEqualTo(404);
        Http.Response tooLong = steps.reveal(as(OWNER), id, "r".repeat(501));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(TenancySteps.eventCount(id, "CredentialRevealDenied")).as("only the service key's attempt").isEqualTo(1);
    }

    // --- permissions (§4) -----------------------------------------------------------------------------

    @Test
    void given_each_role_when_listing_reading_creating_rotating_and_revoking_then_the_matrix_decides() {
        for (Role role : Role.values()) {
            String id = steps.aReadOnlyCredential(owner(), project).path("id").asText();
            boolean lists = role != VIEWER;
            boolean manages = role == OWNER || role == ADMIN;
            boolean creates = manages || role == DEVELOPER;
            boolean audits = manages || role == AUDITOR;
            assertThat(as(role).get(PATH + "?project_id=" + project).status()).as(role + " list").isEqualTo(lists ? 200 : 403);
            assertThat(as(role).get(PATH + "/" + id).status()).as(role + " read").isEqualTo(lists ? 200 : 403);
            assertThat(as(role).get(PATH + "/" + id + "/history").status()).as(role + " history")
                    .isEqualTo(audits ? 200 : 403);
            assertThat(as(role).post(PATH, readOnlyRequest(project, "by " + role)).status()).as(role + " create")
                    .isEqualTo(creates ? 201 : 403);
            assertThat(as(role).post(PATH + "/" + id + "/rotate", null).status()).as(role + " rotate")
                    .isEqualTo(manages ? 200 : 403);
            assertThat(as(role).delete(PATH + "/" + id).status()).as(role + " revoke").isEqualTo(manages ? 200 : 403);
        }
    }

    @Test
    void given_another_tenants_ids_when_calling_every_route_then_404() {
        String id = steps.aReadOnlyCredential(owner(), project).path("id").asText();
        Http asStranger = http.bearer(stranger.accessToken());
        List<Http.Response> answers = new ArrayList<>(List.of(
                asStranger.get(PATH + "?project_id=" + project),
                asStranger.get(PATH + "/" + id),
                asStranger.get(PATH + "/" + id + "/history"),
                asStranger.post(PATH + "/" + id + "/reveal", Http.json("reason", "x")),
                asStranger.post(PATH + "/" + id + "/rotate", null),
                asStranger.delete(PATH + "/" + id),
                asStranger.post(PATH, readOnlyRequest(project, "x")),
                asStranger.get("/api/v1/reports/credential-reveals?organization_id=" + organization)));
        for (Http.Response answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        }
        assertThat(TenancySteps.eventCount(id)).isEqualTo(1);
        assertThat(as(OWNER).get(PATH + "/" + id).data().path("status").asText()).isEqualTo("active");
    }

    @Test
    void given_bad_query_parameters_when_listing_then_400() {
        assertThat(as(OWNER).get(PATH).status()).isEqualTo(400);
        assertThat(as(OWNER).get(PATH + "?project_id=" + project + "&limit=0").status()).isEqualTo(400);
        assertThat(as(OWNER).get(PATH + "?project_id=" + project + "&as_of=yesterday").status()).isEqualTo(400);
        assertThat(as(OWNER).get(PATH + "?project_id=prj_" + "1".repeat(32)).status()).isEqualTo(404);
    }

    // --- rotate, revoke, time travel, history --------------------------------------------------------

    @Test
    void given_a_credential_when_rotated_and_revoked_then_time_travel_and_history_tell_every_step() {
        Instant beforeCreation = TenancySteps.instantBetweenEvents();
        String id = steps.aReadOnlyCredential(owner(), project).path("id").asText();
        String firstUri = steps.revealedUri(owner(), id);
        Instant beforeRotation = TenancySteps.instantBetweenEvents();

        Http.Response rotated = as(ADMIN).post(PATH + "/" + id + "/rotate", null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(rotated.data().path("rotated_at").asText()).isNotBlank();
        assertThat(rotated.text()).doesNotContain(firstUri.substring(firstUri.indexOf(':', 14) + 1, firstUri.indexOf('@')));
        String secondUri = steps.revealedUri(owner(), id);
        assertThat(secondUri).isNotEqualTo(firstUri);
        assertThat(secondUri.substring(0, secondUri.indexOf(':', 14))).isEqualTo(firstUri.substring(0, firstUri.indexOf(':', 14)));
        Instant beforeRevocation = TenancySteps.instantBetweenEvents();

        Http.Response stale = as(OWNER).with("If-Match", "\"1\"").delete(PATH + "/" + id);
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        Http.Response revoked = as(OWNER).with("If-Match", "\"3\"").delete(PATH + "/" + id);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.data().path("status").asText()).isEqualTo("revoked");

        assertThat(as(OWNER).get(PATH + "/" + id).status()).isEqualTo(404);
        assertThat(steps.reveal(as(OWNER), id, "again").status()).isEqualTo(404);
        assertThat(as(OWNER).post(PATH + "/" + id + "/rotate", null).status()).isEqualTo(404);
        assertThat(as(OWNER).delete(PATH + "/" + id).status()).isEqualTo(404);
        assertThat(ids(as(OWNER).get(PATH + "?project_id=" + project))).doesNotContain(id);

        Http.Response atCreation = as(OWNER).get(PATH + "/" + id + "?as_of=" + beforeRotation);
        assertThat(atCreation.status()).as(atCreation.toString()).isEqualTo(200);
        assertThat(atCreation.body().path("meta").path("as_of").asText()).isNotBlank();
        assertThat(atCreation.data().path("rotated_at").isNull()).isTrue();
        Http.Response afterRotation = as(OWNER).get(PATH + "/" + id + "?as_of=" + beforeRevocation);
        assertThat(afterRotation.data().path("rotated_at").asText()).isEqualTo(rotated.data().path("rotated_at").asText());
        assertThat(afterRotation.data().path("status").asText()).isEqualTo("active");
        assertThat(as(OWNER).get(PATH + "/" + id + "?as_of=" + beforeCreation).status()).isEqualTo(404);
        assertThat(ids(as(OWNER).get(PATH + "?project_id=" + project + "&as_of=" + beforeRevocation))).contains(id);
        assertThat(ids(as(OWNER).get(PATH + "?project_id=" + project + "&as_of=" + beforeCreation))).doesNotContain(id);

        Http.Response history = as(AUDITOR).get(PATH + "/" + id + "/history");
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        history.data().forEach(event -> types.add(event.path("type").asText()));
        assertThat(types).containsExactly("credential.created", "credential.revealed", "credential.rotated",
                "credential.revealed", "credential.revoked");
        assertThat(history.data().get(0).path("payload").path("sealed_secret").asText()).isEqualTo("[redacted]");
        assertThat(history.data().get(2).path("payload").path("sealed_secret").asText()).isEqualTo("[redacted]");
        assertThat(history.data().get(1).path("payload").path("reason").asText()).isEqualTo("test needs the URI");
        assertThat(history.text()).doesNotContain("pd1:").doesNotContain(secondUri.substring(secondUri.indexOf(':', 14) + 1,
                secondUri.indexOf('@')));
    }

    // --- audit and report -----------------------------------------------------------------------------

    @Test
    void given_granted_and_denied_reveals_when_reading_the_audit_trail_and_the_report_then_both_are_there() {
        Tenancy.Project reported = tenancy.aProject(owner(), organization);
        String id = steps.aReadOnlyCredential(owner(), reported.id()).path("id").asText();
        Instant start = TenancySteps.instantBetweenEvents();
        steps.reveal(as(OWNER), id, "board meeting");
        steps.reveal(as(ADMIN), id, null);
        steps.reveal(as(DEVELOPER), id, "just looking");
        Instant end = TenancySteps.instantBetweenEvents();
        steps.reveal(as(OWNER), id, "after the window");
        AuditTrail.awaitCaughtUp();

        List<JsonNode> denied = AuditTrail.list(as(AUDITOR), "organization_id=" + organization + "&resource_id=" + id + "&action=credential.reveal_denied");
        assertThat(denied).hasSize(2);
        assertThat(denied).extracting(entry -> entry.path("changes").path("denial").asText())
                .containsExactlyInAnyOrder("reason_required", "role_not_allowed");
        List<JsonNode> granted = AuditTrail.list(as(AUDITOR), "organization_id=" + organization + "&resource_id=" + id + "&action=credential.revealed");
        assertThat(granted).hasSize(2);
        JsonNode creation = AuditTrail.list(as(AUDITOR), "organization_id=" + organization + "&resource_id=" + id + "&action=credential.created").get(0);
        assertThat(creation.path("changes").path("sealed_secret").asText()).isEqualTo("[redacted]");
        assertThat(creation.path("resource").path("type").asText()).isEqualTo("credential");

        Http.Response report = as(AUDITOR).get("/api/v1/reports/credential-reveals?organization_id=" + organization
                + "&project_id=" + reported.id() + "&from=" + start + "&to=" + end);
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(report.data()).hasSize(3);
        JsonNode first = report.data().get(0);
        assertThat(fieldNames(first)).containsExactlyInAnyOrder("at", "credential_id", "project_id", "actor", "granted",
                "reason", "denial");
        assertThat(first.path("credential_id").asText()).isEqualTo(id);
        assertThat(first.path("project_id").asText()).isEqualTo(reported.id());
        assertThat(first.path("actor").path("id").asText()).isEqualTo(owner().userId());
        assertThat(first.path("actor").path("type").asText()).isEqualTo("user");
        assertThat(first.path("granted").asBoolean()).isTrue();
        assertThat(first.path("reason").asText()).isEqualTo("board meeting");
        assertThat(first.path("denial").isNull()).isTrue();
        JsonNode second = report.data().get(1);
        assertThat(second.path("granted").asBoolean()).isFalse();
        assertThat(second.path("actor").path("id").asText()).isEqualTo(member.get(ADMIN).userId());
        assertThat(second.path("denial").asText()).isEqualTo("reason_required");
        JsonNode third = report.data().get(2);
        assertThat(third.path("denial").asText()).isEqualTo("role_not_allowed");
        assertThat(third.path("reason").asText()).isEqualTo("just looking");

        Http.Response whole = as(OWNER).get("/api/v1/reports/credential-reveals?organization_id=" + organization
                + "&project_id=" + reported.id());
        assertThat(whole.data()).hasSize(4);
    }

    @Test
    void given_bad_report_parameters_or_roles_then_400_403_404() {
        String base = "/api/v1/reports/credential-reveals?organization_id=" + organization;
        assertThat(as(OWNER).get("/api/v1/reports/credential-reveals").status()).isEqualTo(400);
        Http.Response badFrom = as(OWNER).get(base + "&from=last-week");
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.body().path("error").path("details").has("from")).as(badFrom.toString()).isTrue();
        assertThat(as(OWNER).get(base + "&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").status()).isEqualTo(400);
        assertThat(as(OWNER).get(base + "&project_id=" + strangersProject).status()).isEqualTo(404);
        assertThat(as(DEVELOPER).get(base).status()).isEqualTo(403);
        assertThat(as(VIEWER).get(base).status()).isEqualTo(403);
        assertThat(as(AUDITOR).get(base).status()).isEqualTo(200);
    }

    private static List<String> ids(Http.Response list) {
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.data().forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long credentialRows(String projectId) {
        return AuditTrail.count("SELECT count(*) FROM credential_versions WHERE project_id = ?", projectId);
    }
}
