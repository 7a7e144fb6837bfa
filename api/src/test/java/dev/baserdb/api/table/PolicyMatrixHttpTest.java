package dev.baserdb.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.table.RlsSteps.ManagedTable;
import dev.baserdb.api.table.RlsSteps.PgPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static dev.baserdb.api.table.RlsSteps.allPhysicalRows;
import static dev.baserdb.api.table.RlsSteps.column;
import static dev.baserdb.api.table.RlsSteps.createTable;
import static dev.baserdb.api.table.RlsSteps.pgPolicies;
import static dev.baserdb.api.table.RlsSteps.physicalInsertAs;
import static dev.baserdb.api.table.RlsSteps.physicalRowsAs;
import static dev.baserdb.api.table.RlsSteps.physicalTableWithRls;
import static dev.baserdb.api.table.RlsSteps.rowEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Row-level security of API.md §6 as a matrix of API roles ({@code anon} without credentials,
 * {@code authenticated} with a data-login token) × operations, over real HTTP, and the proof that
 * PostgreSQL itself holds the policies: {@code pg_policies} of the physical table, and what a plain
 * {@code SELECT} under {@code SET ROLE bdb_anon / bdb_authenticated} returns. A refused write
 * answers 403 and leaves no event; callers who bypass the policies (service key, the project's
 * owner, a developer) see and change everything; a viewer reads everything and writes nothing.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyMatrixHttpTest {

    private static final String OWNER_RULE = "owner_id = :current_user_id";
    private static final String COMPILED_OWNER_RULE = "(owner_id = baserdb_current_user_id())";

    /** The API roles of policies. */
    enum ApiRole {
        ANON("anon"), AUTHENTICATED("authenticated");

        final String apiName;

        ApiRole(String apiName) {
            this.apiName = apiName;
        }
    }

    enum Operation { SELECT, INSERT, UPDATE, DELETE }

    @LocalServerPort
    int port;

    private Http http;
    private Http owner;
    private Http service;
    private Http developer;
    private Http viewer;
    private Http alice;
    private Http bob;
    private String projectId;
    private String aliceId;
    private String bobId;

    /** A docs table (owner_id UUID, published BOOLEAN, title TEXT) with one published and one draft row per user. */
    record Docs(ManagedTable table, String alicePublished, String aliceDraft, String bobPublished, String bobDraft) {

        Set<String> all() {
            return Set.of(alicePublished, aliceDraft, bobPublished, bobDraft);
        }

        Set<String> published() {
            return Set.of(alicePublished, bobPublished);
        }

        Set<String> alices() {
            return Set.of(alicePublished, aliceDraft);
        }

        Set<String> bobs() {
            return Set.of(bobPublished, bobDraft);
        }
    }

    @BeforeAll
    void aProjectWithMembersAndTwoSignedInProjectUsers() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        Accounts.Account ownerAccount = accounts.anAccount();
        Accounts.Account developerAccount = accounts.anAccount();
        Accounts.Account viewerAccount = accounts.anAccount();
        String organizationId = tenancy.anOrganization(ownerAccount);
        tenancy.addMember(ownerAccount, organizationId, developerAccount, "developer");
        tenancy.addMember(ownerAccount, organizationId, viewerAccount, "viewer");
        Tenancy.Project project = tenancy.aProject(ownerAccount, organizationId);
        projectId = project.id();
        owner = http.bearer(ownerAccount.accessToken());
        developer = http.bearer(developerAccount.accessToken());
        viewer = http.bearer(viewerAccount.accessToken());
        service = http.with("X-API-Key", project.serviceKey());

        String users = unique("app_users");
        createTable(owner, projectId, users, Http.json("name", "email", "type", "TEXT", "nullable", false, "unique", true),
                column("pw", "PASSWORD", false));
        String aliceEmail = "alice-" + unique("u") + "@example.com";
        String bobEmail = "bob-" + unique("u") + "@example.com";
        aliceId = ok(service.post(data(users), Http.json("email", aliceEmail, "pw", "alice-secret-1"))).path("id").asText();
        bobId = ok(service.post(data(users), Http.json("email", bobEmail, "pw", "bob-secret-22"))).path("id").asText();
        JsonNode aliceLogin = ok("alice's data login",
                http.post(data(users) + "/login", Http.json("email", aliceEmail, "password", "alice-secret-1")));
        JsonNode bobLogin = ok("bob's data login",
                http.post(data(users) + "/login", Http.json("email", bobEmail, "password", "bob-secret-22")));
        assertThat(aliceLogin.path("row").path("id").asText()).isEqualTo(aliceId);
        assertThat(bobLogin.path("row").path("id").asText()).isEqualTo(bobId);
        alice = http.bearer(aliceLogin.path("token").asText());
        bob = http.bearer(bobLogin.path("token").asText());
    }

    // ---------------------------------------------------------------------------------------------
    // A new table

    static Stream<Arguments> everyRoleAndOperation() {
        List<Arguments> all = new ArrayList<>();
        for (ApiRole role : ApiRole.values()) {
            for (Operation operation : Operation.values()) {
                all.add(Arguments.of(role, operation));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyRoleAndOperation")
    void givenANewTable_whenAnonOrAuthenticatedTriesAnOperation_thenItIsDenied(ApiRole role, Operation operation) {
        Docs docs = aDocsTable();

        assertDenied(role, operation, docs);

        assertThat(allPhysicalRows(docs.table())).as("the table's rows, read past the policies")
                .containsExactlyInAnyOrderElementsOf(docs.all());
    }

    @Test
    void givenANewTable_whenPostgresIsAskedDirectly_thenRlsIsOnWithoutPoliciesAndBothRolesSeeAndInsertNothing() {
        Docs docs = aDocsTable();

        assertThat(physicalTableWithRls(docs.table())).as("row-level security on the physical table").isTrue();
        assertThat(pgPolicies(docs.table())).isEmpty();
        assertThat(physicalRowsAs("bdb_anon", null, docs.table())).isEmpty();
        assertThat(physicalRowsAs("bdb_authenticated", aliceId, docs.table())).isEmpty();
        assertThat(physicalInsertAs("bdb_anon", docs.table())).as("SQLSTATE of an INSERT as bdb_anon")
                .isEqualTo("42501");
        assertThat(physicalInsertAs("bdb_authenticated", docs.table())).as("SQLSTATE of an INSERT as bdb_authenticated")
                .isEqualTo("42501");
        assertThat(allPhysicalRows(docs.table())).hasSize(4);
    }

    // ---------------------------------------------------------------------------------------------
    // Exactly one (role, operation) allowed

    @ParameterizedTest(name = "only {0} {1} allowed")
    @MethodSource("everyRoleAndOperation")
    void givenOnePolicyAllowingOneRoleOneOperation_whenEveryRoleTriesEveryOperation_thenOnlyThatCombinationWorks(
            ApiRole allowedRole, Operation allowedOperation) {
        Docs docs = aDocsTable();
        // PostgreSQL's rule: UPDATE and DELETE reach only rows the role may also SELECT, so those two
        // come with a SELECT policy for the same role (without it they are refused, tested below).
        boolean needsSelect = allowedOperation == Operation.UPDATE || allowedOperation == Operation.DELETE;
        List<JsonNode> policies = new java.util.ArrayList<>(List.of(
                Http.json("api_role", allowedRole.apiName, "operation", allowedOperation.name(), "allowed", true)));
        if (needsSelect) {
            policies.add(Http.json("api_role", allowedRole.apiName, "operation", "SELECT", "allowed", true));
        }
        JsonNode put = ok("PUT policies", owner.put(docs.table().tablePath() + "/policies", policies));
        assertThat(put.path("updated").asInt()).isEqualTo(policies.size());

        for (Operation operation : Operation.values()) {
            for (ApiRole role : ApiRole.values()) {
                boolean allowed = role == allowedRole
                        && (operation == allowedOperation || (needsSelect && operation == Operation.SELECT));
                if (allowed) {
                    assertWorks(role, operation, docs);
                } else {
                    assertDenied(role, operation, docs);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} without SELECT")
    @MethodSource("everyRoleWithUpdateOrDelete")
    void givenUpdateOrDeleteAllowedWithoutSelect_whenTheRoleWrites_thenPostgreSqlRefusesItAndNoEventIsWritten(
            ApiRole role, Operation operation) {
        Docs docs = aDocsTable();
        ok("PUT policies", owner.put(docs.table().tablePath() + "/policies",
                Http.json("api_role", role.apiName, "operation", operation.name(), "allowed", true)));

        assertDenied(role, operation, docs);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everyRoleWithUpdateOrDelete() {
        return java.util.Arrays.stream(ApiRole.values()).flatMap(role -> java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(role, Operation.UPDATE),
                org.junit.jupiter.params.provider.Arguments.of(role, Operation.DELETE)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ApiRole.class)
    void givenAnAllowShapeForOneRole_whenBothRolesRead_thenOnlyThatRoleSeesEveryRowAndNeitherWrites(ApiRole allowedRole) {
        Docs docs = aDocsTable();
        ok(owner.put(docs.table().tablePath() + "/policies",
                List.of(Http.json("api_role", allowedRole.apiName, "allow", List.of("SELECT")))));

        for (ApiRole role : ApiRole.values()) {
            if (role == allowedRole) {
                assertWorks(role, Operation.SELECT, docs);
            } else {
                assertDenied(role, Operation.SELECT, docs);
            }
            assertDenied(role, Operation.INSERT, docs);
            assertDenied(role, Operation.UPDATE, docs);
            assertDenied(role, Operation.DELETE, docs);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // constraint_sql filters exactly

    @Test
    void givenAnonSelectOnPublishedRows_whenAnonReads_thenExactlyThePublishedRowsAreVisible() {
        Docs docs = aDocsTable();
        ok(owner.put(docs.table().tablePath() + "/policies", List.of(Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", "published = true"))));

        assertThat(ids(http.get(data(docs) + "?limit=100"))).containsExactlyInAnyOrderElementsOf(docs.published());
        assertThat(ok(http.get(data(docs) + "/count")).path("count").asLong()).isEqualTo(2);
        assertThat(ids(http.get(data(docs) + "?published=eq.false"))).isEmpty();
        assertThat(ok(http.get(data(docs) + "/" + docs.bobPublished())).path("title").asText()).isEqualTo("bob published");
        Http.Response draft = http.get(data(docs) + "/" + docs.aliceDraft());
        assertThat(draft.status()).as(draft.toString()).isEqualTo(404);

        // the policy is anon's alone, and SELECT only
        assertDenied(ApiRole.AUTHENTICATED, Operation.SELECT, docs);
        assertDenied(ApiRole.ANON, Operation.INSERT, docs);
        assertDenied(ApiRole.ANON, Operation.UPDATE, docs);
        assertDenied(ApiRole.ANON, Operation.DELETE, docs);
    }

    @Test
    void givenOwnerRulesOnEveryOperation_whenAliceReads_thenSheSeesExactlyHerOwnRows() {
        Docs docs = aDocsTable();
        ownerRulesOnEveryOperation(docs);

        assertThat(ids(alice.get(data(docs) + "?limit=100"))).containsExactlyInAnyOrderElementsOf(docs.alices());
        assertThat(ids(bob.get(data(docs) + "?limit=100"))).containsExactlyInAnyOrderElementsOf(docs.bobs());
        assertThat(ok(alice.get(data(docs) + "/count")).path("count").asLong()).isEqualTo(2);
        assertThat(alice.get(data(docs) + "/" + docs.aliceDraft()).status()).isEqualTo(200);
        Http.Response bobs = alice.get(data(docs) + "/" + docs.bobDraft());
        assertThat(bobs.status()).as(bobs.toString()).isEqualTo(404);
        assertThat(ids(http.get(data(docs) + "?limit=100"))).as("anon has no policy").isEmpty();
    }

    @Test
    void givenOwnerRulesOnEveryOperation_whenAliceInserts_thenOnlyRowsOwnedByHerAreAccepted() {
        Docs docs = aDocsTable();
        ownerRulesOnEveryOperation(docs);

        int before = rowEvents(docs.table().id());
        String own = ok("alice inserts her own row", alice.post(data(docs),
                Http.json("owner_id", aliceId, "published", false, "title", "alice new"))).path("id").asText();
        assertThat(rowEvents(docs.table().id())).isEqualTo(before + 1);
        assertThat(ids(alice.get(data(docs) + "?limit=100"))).contains(own);

        assertWriteRefused(docs, () -> alice.post(data(docs), Http.json("owner_id", bobId, "published", true,
                "title", "alice forges bob")));
        assertWriteRefused(docs, () -> alice.post(data(docs), Http.json("published", true, "title", "nobody's")));
        assertThat(allPhysicalRows(docs.table())).hasSize(5);
    }

    @Test
    void givenOwnerRulesOnEveryOperation_whenAliceUpdates_thenOnlyHerOwnRowsChangeAndStayHers() {
        Docs docs = aDocsTable();
        ownerRulesOnEveryOperation(docs);

        int before = rowEvents(docs.table().id());
        ok("alice updates her row", alice.patch(data(docs) + "/" + docs.alicePublished(), Http.json("title", "alice edited")));
        assertThat(rowEvents(docs.table().id())).isEqualTo(before + 1);
        assertThat(titleOf(docs, docs.alicePublished())).isEqualTo("alice edited");

        assertWriteHidden(docs, () -> alice.patch(data(docs) + "/" + docs.bobPublished(), Http.json("title", "hacked")));
        assertThat(titleOf(docs, docs.bobPublished())).isEqualTo("bob published");

        // her own row may not be handed to somebody else (the new row fails the check)
        assertWriteRefused(docs, () -> alice.patch(data(docs) + "/" + docs.aliceDraft(), Http.json("owner_id", bobId)));
        assertThat(ok(service.get(data(docs) + "/" + docs.aliceDraft())).path("owner_id").asText()).isEqualTo(aliceId);
    }

    @Test
    void givenOwnerRulesOnEveryOperation_whenAliceDeletes_thenOnlyHerOwnRowsGo() {
        Docs docs = aDocsTable();
        ownerRulesOnEveryOperation(docs);

        assertWriteHidden(docs, () -> alice.delete(data(docs) + "/" + docs.bobDraft()));
        assertThat(allPhysicalRows(docs.table())).contains(docs.bobDraft());

        int before = rowEvents(docs.table().id());
        ok("alice deletes her row", alice.delete(data(docs) + "/" + docs.aliceDraft()));
        assertThat(rowEvents(docs.table().id())).isEqualTo(before + 1);
        assertThat(allPhysicalRows(docs.table())).containsExactlyInAnyOrder(docs.alicePublished(), docs.bobPublished(),
                docs.bobDraft());
        assertThat(ids(alice.get(data(docs) + "?limit=100"))).containsExactly(docs.alicePublished());
    }

    // ---------------------------------------------------------------------------------------------
    // Callers who bypass the policies, and a viewer

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"service key", "project owner's platform token", "developer member"})
    void givenANewTableWithoutPolicies_whenACallerWithTheBypassUsesIt_thenEveryOperationWorks(String who) {
        Http caller = bypassing().get(who);
        Docs docs = aDocsTable();

        assertThat(ids(caller.get(data(docs) + "?limit=100"))).containsExactlyInAnyOrderElementsOf(docs.all());
        int before = rowEvents(docs.table().id());
        String inserted = ok(who + " inserts", caller.post(data(docs),
                Http.json("owner_id", bobId, "published", false, "title", "by " + who))).path("id").asText();
        ok(who + " updates", caller.patch(data(docs) + "/" + docs.bobPublished(), Http.json("title", "edited")));
        ok(who + " deletes", caller.delete(data(docs) + "/" + docs.aliceDraft()));

        assertThat(rowEvents(docs.table().id())).isEqualTo(before + 3);
        assertThat(titleOf(docs, docs.bobPublished())).isEqualTo("edited");
        assertThat(allPhysicalRows(docs.table())).containsExactlyInAnyOrder(docs.alicePublished(), docs.bobPublished(),
                docs.bobDraft(), inserted);
    }

    @Test
    void givenOwnerRules_whenACallerWithTheBypassWritesAnotherUsersRow_thenThePolicyDoesNotApplyToThem() {
        Docs docs = aDocsTable();
        ownerRulesOnEveryOperation(docs);

        for (Map.Entry<String, Http> caller : bypassing().entrySet()) {
            assertThat(ids(caller.getValue().get(data(docs) + "?limit=100"))).as(caller.getKey())
                    .containsAll(docs.all());
            ok(caller.getKey(), caller.getValue().patch(data(docs) + "/" + docs.bobDraft(),
                    Http.json("title", caller.getKey())));
            assertThat(titleOf(docs, docs.bobDraft())).isEqualTo(caller.getKey());
        }
    }

    @Test
    void givenAViewerMember_whenTheyUseATableWithoutPolicies_thenTheyReadEveryRowAndCannotWrite() {
        Docs docs = aDocsTable();

        assertThat(ids(viewer.get(data(docs) + "?limit=100"))).containsExactlyInAnyOrderElementsOf(docs.all());
        assertThat(ok(viewer.get(data(docs) + "/" + docs.bobDraft())).path("title").asText()).isEqualTo("bob draft");

        assertWriteRefused(docs, () -> viewer.post(data(docs), Http.json("owner_id", aliceId, "title", "viewer")));
        assertWriteRefused(docs, () -> viewer.patch(data(docs) + "/" + docs.alicePublished(), Http.json("title", "viewer")));
        assertWriteRefused(docs, () -> viewer.delete(data(docs) + "/" + docs.alicePublished()));
        assertThat(titleOf(docs, docs.alicePublished())).isEqualTo("alice published");
        assertThat(allPhysicalRows(docs.table())).containsExactlyInAnyOrderElementsOf(docs.all());
    }

    // ---------------------------------------------------------------------------------------------
    // PostgreSQL holds the policies

    @Test
    void givenPolicies_whenPgPoliciesIsRead_thenEachIsAPostgresPolicyForItsRoleWithTheCompiledExpression() {
        Docs docs = aDocsTable();
        ok(owner.put(docs.table().tablePath() + "/policies", List.of(Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", "published = true"))));
        ownerRulesOnEveryOperation(docs);

        assertThat(pgPolicies(docs.table()))
                .extracting(PgPolicy::command, PgPolicy::roles, PgPolicy::using, PgPolicy::withCheck)
                .containsExactlyInAnyOrder(
                        tuple("SELECT", "bdb_anon", "(published = true)", null),
                        tuple("SELECT", "bdb_authenticated", COMPILED_OWNER_RULE, null),
                        tuple("INSERT", "bdb_authenticated", null, COMPILED_OWNER_RULE),
                        tuple("UPDATE", "bdb_authenticated", COMPILED_OWNER_RULE, COMPILED_OWNER_RULE),
                        tuple("DELETE", "bdb_authenticated", COMPILED_OWNER_RULE, null));
    }

    @Test
    void givenPolicies_whenTheRolesSelectFromThePhysicalTable_thenPostgresReturnsExactlyTheRowsThePoliciesAllow() {
        Docs docs = aDocsTable();
        ok(owner.put(docs.table().tablePath() + "/policies", List.of(Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", "published = true"))));
        ownerRulesOnEveryOperation(docs);

        assertThat(physicalRowsAs("bdb_anon", null, docs.table())).containsExactlyInAnyOrderElementsOf(docs.published());
        assertThat(physicalRowsAs("bdb_authenticated", aliceId, docs.table()))
                .containsExactlyInAnyOrderElementsOf(docs.alices());
        assertThat(physicalRowsAs("bdb_authenticated", bobId, docs.table()))
                .containsExactlyInAnyOrderElementsOf(docs.bobs());
        assertThat(physicalRowsAs("bdb_authenticated", null, docs.table())).as("without a user id").isEmpty();
        // and the API answers what PostgreSQL answers
        assertThat(ids(http.get(data(docs) + "?limit=100")))
                .isEqualTo(physicalRowsAs("bdb_anon", null, docs.table()));
        assertThat(ids(alice.get(data(docs) + "?limit=100")))
                .isEqualTo(physicalRowsAs("bdb_authenticated", aliceId, docs.table()));
    }

    // ---------------------------------------------------------------------------------------------
    // steps

    private Map<String, Http> bypassing() {
        Map<String, Http> callers = new LinkedHashMap<>();
        callers.put("service key", service);
        callers.put("project owner's platform token", owner);
        callers.put("developer member", developer);
        return callers;
    }

    private void ownerRulesOnEveryOperation(Docs docs) {
        List<ObjectNode> rules = new ArrayList<>();
        for (Operation operation : Operation.values()) {
            rules.add(Http.json("api_role", "authenticated", "operation", operation.name(), "allowed", true,
                    "constraint_sql", OWNER_RULE));
        }
        JsonNode put = ok("owner rules", owner.put(docs.table().tablePath() + "/policies", rules));
        assertThat(put.path("updated").asInt()).isEqualTo(4);
    }

    private Docs aDocsTable() {
        ManagedTable table = createTable(owner, projectId, unique("docs"), column("owner_id", "UUID", true),
                column("published", "BOOLEAN", true), column("title", "TEXT", true));
        String path = data(table.name());
        return new Docs(table,
                seed(path, aliceId, true, "alice published"), seed(path, aliceId, false, "alice draft"),
                seed(path, bobId, true, "bob published"), seed(path, bobId, false, "bob draft"));
    }

    private String seed(String path, String ownerId, boolean published, String title) {
        return ok("seed " + title, service.post(path, Http.json("owner_id", ownerId, "published", published,
                "title", title))).path("id").asText();
    }

    private Http as(ApiRole role) {
        return role == ApiRole.ANON ? http : alice;
    }

    /** The operation works for the role: reads see every row, a write answers 2xx and records one event. */
    private void assertWorks(ApiRole role, Operation operation, Docs docs) {
        Http caller = as(role);
        String what = role.apiName + " " + operation;
        int events = rowEvents(docs.table().id());
        switch (operation) {
            case SELECT -> {
                assertThat(ids(caller.get(data(docs) + "?limit=100"))).as(what).containsExactlyInAnyOrderElementsOf(docs.all());
                assertThat(ok(what, caller.get(data(docs) + "/" + docs.aliceDraft())).path("id").asText())
                        .isEqualTo(docs.aliceDraft());
            }
            case INSERT -> {
                Http.Response inserted = caller.post(data(docs), Http.json("owner_id", aliceId, "published", false,
                        "title", "inserted by " + role.apiName));
                assertThat(inserted.status()).as(what + ": " + inserted).isEqualTo(201);
                assertThat(allPhysicalRows(docs.table())).contains(inserted.data().path("id").asText());
                assertThat(rowEvents(docs.table().id())).as(what + " events").isEqualTo(events + 1);
            }
            case UPDATE -> {
                Http.Response updated = caller.patch(data(docs) + "/" + docs.alicePublished(),
                        Http.json("title", "updated by " + role.apiName));
                assertThat(updated.status()).as(what + ": " + updated).isEqualTo(200);
                assertThat(titleOf(docs, docs.alicePublished())).isEqualTo("updated by " + role.apiName);
                assertThat(rowEvents(docs.table().id())).as(what + " events").isEqualTo(events + 1);
            }
            case DELETE -> {
                Http.Response deleted = caller.delete(data(docs) + "/" + docs.aliceDraft());
                assertThat(deleted.status()).as(what + ": " + deleted).isEqualTo(200);
                assertThat(allPhysicalRows(docs.table())).doesNotContain(docs.aliceDraft());
                assertThat(rowEvents(docs.table().id())).as(what + " events").isEqualTo(events + 1);
            }
        }
    }

    /**
     * The operation is denied to the role: reads see no row, an insert is 403, an update or delete of
     * a row the role may not reach is 404 (API.md §7: as if the row did not exist), and nothing changes.
     */
    private void assertDenied(ApiRole role, Operation operation, Docs docs) {
        Http caller = as(role);
        String what = role.apiName + " " + operation;
        switch (operation) {
            case SELECT -> {
                Http.Response list = caller.get(data(docs) + "?limit=100");
                assertThat(list.status()).as(what + ": " + list).isEqualTo(200);
                assertThat(ids(list)).as(what).isEmpty();
                assertThat(ok(what, caller.get(data(docs) + "/count")).path("count").asLong()).as(what).isZero();
                Http.Response one = caller.get(data(docs) + "/" + docs.aliceDraft());
                assertThat(one.status()).as(what + ": " + one).isEqualTo(404);
            }
            case INSERT -> assertWriteRefused(docs, () -> caller.post(data(docs),
                    Http.json("owner_id", aliceId, "published", true, "title", "refused insert")));
            case UPDATE -> {
                String title = titleOf(docs, docs.bobPublished());
                assertWriteHidden(docs, () -> caller.patch(data(docs) + "/" + docs.bobPublished(),
                        Http.json("title", "refused update")));
                assertThat(titleOf(docs, docs.bobPublished())).as(what).isEqualTo(title);
            }
            case DELETE -> assertWriteHidden(docs, () -> caller.delete(data(docs) + "/" + docs.bobDraft()));
        }
    }

    /** The write answers 403 FORBIDDEN, and neither the event store nor the table changed. */
    private void assertWriteRefused(Docs docs, java.util.function.Supplier<Http.Response> write) {
        assertWriteAnswers(docs, 403, "FORBIDDEN", write);
    }

    /** The write reaches a row the caller may not see: 404, exactly as for a row that does not exist. */
    private void assertWriteHidden(Docs docs, java.util.function.Supplier<Http.Response> write) {
        assertWriteAnswers(docs, 404, "NOT_FOUND", write);
    }

    private void assertWriteAnswers(Docs docs, int status, String code, java.util.function.Supplier<Http.Response> write) {
        int events = rowEvents(docs.table().id());
        Set<String> rows = allPhysicalRows(docs.table());
        Http.Response response = write.get();
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(rowEvents(docs.table().id())).as("row events after a refused write").isEqualTo(events);
        assertThat(allPhysicalRows(docs.table())).as("rows after a refused write").isEqualTo(rows);
    }

    private String titleOf(Docs docs, String rowId) {
        return ok(service.get(data(docs) + "/" + rowId)).path("title").asText();
    }

    private static Set<String> ids(Http.Response list) {
        JsonNode rows = ok("list", list);
        assertThat(rows.isArray()).as(list.toString()).isTrue();
        Set<String> ids = new TreeSet<>();
        rows.forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }

    private String data(Docs docs) {
        return data(docs.table().name());
    }

    private String data(String table) {
        return "/api/v1/data/" + projectId + "/" + table;
    }
}
