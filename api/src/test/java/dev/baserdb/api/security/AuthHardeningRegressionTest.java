package dev.baserdb.api.security;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TenancySteps;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.privacy.PersonalData;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression tests for the authentication and authorization findings of issue 8, one nested
 * concern per finding, over real HTTP against the shared application context.
 */
@ApiTest
class AuthHardeningRegressionTest {

    private static final String LOGIN = "/api/v1/auth/login";
    /** {@code baserdb.auth.lockout-max-attempts} as configured (default). */
    private static final int LOCKOUT_MAX_ATTEMPTS = 10;

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PersonalData personalData;
    Http http;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
    }

    // ---- M2: lockout under parallel guesses -----------------------------------------------------

    @Test
    void givenFortyParallelWrongPasswords_whenTheyRace_thenAtLeastThirtyAre423AndTheRightPasswordIsRefusedAfterwards()
            throws Exception {
        Accounts.Account account = accounts.anAccount();

        List<Http.Response> answers = inParallel(40, attempt -> http.post(LOGIN,
                json("email", account.email(), "password", "wrong password " + attempt)));

        long locked = answers.stream().filter(response -> response.status() == 423).count();
        long invalid = answers.stream().filter(response -> response.status() == 401).count();
        assertThat(locked + invalid).as(answers.toString()).isEqualTo(40);
        assertThat(invalid).as("failures counted before the lock").isEqualTo(LOCKOUT_MAX_ATTEMPTS);
        assertThat(locked).isGreaterThanOrEqualTo(30);
        answers.stream().filter(response -> response.status() == 423)
                .forEach(response -> assertThat(response.header("Retry-After")).isNotNull());
        Http.Response right = http.post(LOGIN, json("email", account.email(), "password", Accounts.PASSWORD));
        assertThat(right.status()).as(right.toString()).isEqualTo(423);
        assertThat(right.errorCode()).isEqualTo("ACCOUNT_LOCKED");
    }

    // ---- M3: project-user tokens die with their row; the data login locks out ----------------------

    @Test
    void givenAProjectUserToken_whenTheRowsPasswordChanges_thenTheOldTokenNeitherReadsNorInserts() {
        DataProject data = aDataProject();
        String rowId = data.aUser("ann@example.com", "open sesame");
        String token = data.login("ann@example.com", "open sesame").data().path("token").asText();
        assertThat(http.bearer(token).get(data.notes()).status()).isEqualTo(200);

        Http.Response changed = data.service().patch(data.users() + "/" + rowId, json("password", "new sesame"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

        assertThat(http.bearer(token).get(data.notes()).status()).isEqualTo(401);
        assertThat(http.bearer(token).post(data.notes(), json("text", "after the change")).status()).isEqualTo(401);
        assertThat(data.login("ann@example.com", "new sesame").status()).isEqualTo(200);
    }

    @Test
    void givenAProjectUserToken_whenTheRowIsSoftDeleted_thenTheTokenNeitherReadsNorInsertsAndNothingIsWritten() {
        DataProject data = aDataProject();
        String rowId = data.aUser("bob@example.com", "open sesame");
        String token = data.login("bob@example.com", "open sesame").data().path("token").asText();
        assertThat(http.bearer(token).post(data.notes(), json("text", "while signed in")).status()).isEqualTo(201);

        assertThat(data.service().delete(data.users() + "/" + rowId).status()).isEqualTo(200);

        Http.Response read = http.bearer(token).get(data.notes());
        Http.Response insert = http.bearer(token).post(data.notes(), json("text", "after deletion"));
        assertThat(read.status()).as(read.toString()).isEqualTo(401);
        assertThat(read.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(insert.status()).as(insert.toString()).isEqualTo(401);
        Http.Response notes = data.service().get(data.notes());
        assertThat(notes.data()).hasSize(1);
    }

    @Test
    void givenThirtyWrongDataLogins_whenTheRightPasswordFollows_then423WithRetryAfterForTheLockoutDuration() {
        DataProject data = aDataProject();
        data.aUser("cy@example.com", "open sesame");
        for (int attempt = 1; attempt <= 30; attempt++) {
            Http.Response wrong = data.login("cy@example.com", "guess " + attempt);
            assertThat(wrong.status()).as("attempt " + attempt + ": " + wrong)
                    .isEqualTo(attempt <= LOCKOUT_MAX_ATTEMPTS ? 401 : 423);
        }

        Http.Response right = data.login("cy@example.com", "open sesame");

        assertThat(right.status()).as(right.toString()).isEqualTo(423);
        assertThat(right.errorCode()).isEqualTo("ACCOUNT_LOCKED");
        assertThat(Long.parseLong(right.header("Retry-After"))).isBetween(15 * 60L - 60, 15 * 60L);
    }

    @Test
    void givenAnUnknownDataIdentifier_whenItFailsTenTimes_thenItIsLockedLikeAKnownOne() {
        DataProject data = aDataProject();
        for (int attempt = 1; attempt <= LOCKOUT_MAX_ATTEMPTS; attempt++) {
            assertThat(data.login("nobody@example.com", "guess " + attempt).status()).isEqualTo(401);
        }

        assertThat(data.login("nobody@example.com", "guess").status()).isEqualTo(423);
    }

    /**
     * Forty racing wrong passwords: however many the project's share of connections admits at once
     * (the rest answer 503 and count for nothing), exactly ten failures are ever counted — the ones
     * after them, racing or not, find the row locked.
     */
    @Test
    void givenFortyParallelWrongDataLogins_whenTheyRace_thenExactlyTenCountAndTheRightPasswordIsRefused()
            throws Exception {
        DataProject data = aDataProject();
        data.aUser("dee@example.com", "open sesame");

        List<Http.Response> answers = inParallel(40, attempt -> data.login("dee@example.com", "guess " + attempt));

        assertThat(answers).as(answers.toString()).allMatch(response -> List.of(401, 423, 503).contains(response.status()));
        long invalid = answers.stream().filter(response -> response.status() == 401).count();
        assertThat(invalid).as(answers.toString()).isLessThanOrEqualTo(LOCKOUT_MAX_ATTEMPTS);
        for (int more = 0; more <= LOCKOUT_MAX_ATTEMPTS; more++) {
            Http.Response wrong = data.login("dee@example.com", "one more guess");
            if (wrong.status() == 423) {
                break;
            }
            assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
            invalid++;
        }
        assertThat(invalid).as("failures counted in all").isEqualTo(LOCKOUT_MAX_ATTEMPTS);
        assertThat(data.login("dee@example.com", "open sesame").status()).isEqualTo(423);
    }

    /** A project with a users table ({@code email}, {@code password}) and a notes table its users may read and add to. */
    private DataProject aDataProject() {
        Accounts.Account owner = accounts.anAccount();
        Tenancy tenancy = new Tenancy(http);
        String organization = tenancy.anOrganization(owner);
        Tenancy.Project project = tenancy.aProject(owner, organization);
        TableFixtures tables = new TableFixtures(http);
        tables.aTable(owner, TableFixtures.tableRequest(project.id(), "members",
                TableFixtures.unique("email", "TEXT"), TableFixtures.column("password", "PASSWORD")));
        String notesId = tables.aTable(owner, TableFixtures.tableRequest(project.id(), "notes",
                TableFixtures.column("text", "TEXT"))).path("id").asText();
        Http.Response policies = http.bearer(owner.accessToken()).put("/api/v1/tables/" + notesId + "/policies",
                Http.JSON.createArrayNode().add(json("api_role", "authenticated",
                        "allow", List.of("SELECT", "INSERT"))));
        assertThat(policies.status()).as(policies.toString()).isEqualTo(200);
        return new DataProject(project.id(), tables.serviceKey(project.serviceKey()));
    }

    private final class DataProject {
        private final String projectId;
        private final Http service;

        DataProject(String projectId, Http service) {
            this.projectId = projectId;
            this.service = service;
        }

        Http service() {
            return service;
        }

        String users() {
            return "/api/v1/data/" + projectId + "/members";
        }

        String notes() {
            return "/api/v1/data/" + projectId + "/notes";
        }

        String aUser(String email, String password) {
            return TableFixtures.insert(service, projectId, "members", json("email", email, "password", password))
                    .path("id").asText();
        }

        Http.Response login(String email, String password) {
            return http.post(users() + "/login", json("email", email, "password", password));
        }
    }

    // ---- L3: an organization-pinned token creates no organization ---------------------------------

    @Test
    void givenAnOrganizationPinnedToken_whenCreatingAnOrganization_then403TenantMismatchAndNothingIsCreated() {
        Accounts.Account owner = accounts.anAccount();
        Tenancy tenancy = new Tenancy(http);
        String organization = tenancy.anOrganization(owner);
        Tenancy.Pat pinned = tenancy.aPat(owner, List.of("read", "write", "admin"), organization, null);
        String slug = Tenancy.uniqueSlug("pinned");

        Http.Response created = http.bearer(pinned.token()).post("/api/v1/organizations",
                json("slug", slug, "name", "Escape"));

        assertThat(created.status()).as(created.toString()).isEqualTo(403);
        assertThat(created.errorCode()).isEqualTo("TENANT_MISMATCH");
        Http.Response bySession = http.bearer(owner.accessToken()).post("/api/v1/organizations",
                json("slug", slug, "name", "Allowed"));
        assertThat(bySession.status()).as("the slug is still free: " + bySession).isEqualTo(201);
        Tenancy.Pat unpinned = tenancy.aPat(owner, List.of("write"), null, null);
        assertThat(http.bearer(unpinned.token()).post("/api/v1/organizations",
                json("slug", Tenancy.uniqueSlug("free"), "name", "Free")).status()).isEqualTo(201);
    }

    // ---- L4: the delete scope, and row history for owner, admin and auditor only ------------------

    @Test
    void givenATokenWithoutTheDeleteScope_whenDeletingARowOrATable_then403InvalidScopeAndBothRemain() {
        Accounts.Account owner = accounts.anAccount();
        Tenancy tenancy = new Tenancy(http);
        String organization = tenancy.anOrganization(owner);
        Tenancy.Project project = tenancy.aProject(owner, organization);
        TableFixtures tables = new TableFixtures(http);
        String tableId = tables.aTable(owner, TableFixtures.tableRequest(project.id(), "things",
                TableFixtures.column("name", "TEXT"))).path("id").asText();
        Http service = tables.serviceKey(project.serviceKey());
        String rowId = TableFixtures.insert(service, project.id(), "things", json("name", "kept")).path("id").asText();
        String row = "/api/v1/data/" + project.id() + "/things/" + rowId;
        Http readWrite = http.bearer(tenancy.aPat(owner, List.of("read", "write"), null, null).token());

        Http.Response rowDelete = readWrite.delete(row);
        Http.Response inTransaction = readWrite.post("/api/v1/data/" + project.id() + "/transaction",
                json("operations", List.of(json("op", "delete", "table", "things", "id", rowId))));
        Http.Response tableDelete = readWrite.delete("/api/v1/tables/" + tableId);

        assertThat(rowDelete.status()).as(rowDelete.toString()).isEqualTo(403);
        assertThat(rowDelete.errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(inTransaction.status()).as(inTransaction.toString()).isEqualTo(403);
        assertThat(inTransaction.errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(tableDelete.status()).as(tableDelete.toString()).isEqualTo(403);
        assertThat(tableDelete.errorCode()).isEqualTo("INVALID_SCOPE");
        assertThat(service.get(row).status()).as("the row is still there").isEqualTo(200);
        assertThat(http.bearer(owner.accessToken()).get("/api/v1/tables/" + tableId).status()).isEqualTo(200);

        Http withDelete = http.bearer(tenancy.aPat(owner, List.of("read", "write", "delete"), null, null).token());
        assertThat(withDelete.delete(row).status()).isEqualTo(200);
        assertThat(withDelete.delete("/api/v1/tables/" + tableId).status()).isEqualTo(200);
    }

    @Test
    void givenMembersOfEachRole_whenReadingARowsHistory_thenOnlyOwnerAdminAuditorAndTheServiceKeyMay() {
        Accounts.Account owner = accounts.anAccount();
        TenancySteps steps = new TenancySteps(http);
        Tenancy tenancy = new Tenancy(http);
        String organization = tenancy.anOrganization(owner);
        Tenancy.Project project = tenancy.aProject(owner, organization);
        TableFixtures tables = new TableFixtures(http);
        tables.aTable(owner, TableFixtures.tableRequest(project.id(), "things", TableFixtures.column("name", "TEXT")));
        Http service = tables.serviceKey(project.serviceKey());
        String rowId = TableFixtures.insert(service, project.id(), "things", json("name", "a")).path("id").asText();
        String history = "/api/v1/data/" + project.id() + "/things/" + rowId + "/history";
        Map<String, Integer> expected = Map.of("admin", 200, "auditor", 200, "developer", 403, "viewer", 403);

        Map<String, Integer> answered = new java.util.TreeMap<>();
        expected.keySet().forEach(role -> {
            Accounts.Account member = accounts.anAccount();
            steps.addMember(owner, organization, member, role);
            answered.put(role, http.bearer(member.accessToken()).get(history).status());
        });

        assertThat(answered).isEqualTo(new java.util.TreeMap<>(expected));
        assertThat(http.bearer(owner.accessToken()).get(history).status()).isEqualTo(200);
        assertThat(service.get(history).status()).isEqualTo(200);
        Http readOnlyToken = http.bearer(tenancy.aPat(owner, List.of("read"), null, null).token());
        Http.Response byReadToken = readOnlyToken.get(history);
        assertThat(byReadToken.status()).isEqualTo(403);
        assertThat(byReadToken.errorCode()).isEqualTo("INVALID_SCOPE");
    }

    // ---- L5: idempotency keys belong to their caller ---------------------------------------------

    @Test
    void givenAProjectUsersIdempotencyKey_whenAnotherProjectUserReplaysIt_thenTheirOwnRequestRunsAndNothingLeaks() {
        DataProject data = aDataProject();
        data.aUser("eve@example.com", "open sesame");
        data.aUser("fay@example.com", "open sesame");
        String eve = data.login("eve@example.com", "open sesame").data().path("token").asText();
        String fay = data.login("fay@example.com", "open sesame").data().path("token").asText();
        String key = java.util.UUID.randomUUID().toString();

        Http.Response first = http.bearer(eve).with("Idempotency-Key", key).post(data.notes(), json("text", "same"));
        Http.Response second = http.bearer(fay).with("Idempotency-Key", key).post(data.notes(), json("text", "same"));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isNull();
        assertThat(second.data().path("id").asText()).isNotEqualTo(first.data().path("id").asText());
        Http.Response replay = http.bearer(eve).with("Idempotency-Key", key).post(data.notes(), json("text", "same"));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.data().path("id").asText()).isEqualTo(first.data().path("id").asText());
    }

    @Test
    void givenTwoTokensOfOneUser_whenTheyShareAnIdempotencyKey_thenEachRunsItsOwnRequest() {
        Accounts.Account owner = accounts.anAccount();
        Tenancy tenancy = new Tenancy(http);
        Http first = http.bearer(tenancy.aPat(owner, List.of("write"), null, null).token());
        Http second = http.bearer(tenancy.aPat(owner, List.of("write"), null, null).token());
        String key = java.util.UUID.randomUUID().toString();
        String slug = Tenancy.uniqueSlug("idem");

        Http.Response one = first.with("Idempotency-Key", key).post("/api/v1/organizations", json("slug", slug, "name", "One"));
        Http.Response two = second.with("Idempotency-Key", key).post("/api/v1/organizations", json("slug", slug, "name", "One"));

        assertThat(one.status()).isEqualTo(201);
        assertThat(two.status()).as("ran again, so the slug is taken: " + two).isEqualTo(409);
    }

    // ---- L10: an unknown email costs the same Argon2 work and locks out alike ---------------------

    @Test
    void givenAnUnknownEmail_whenLoginFails_thenOneArgon2VerificationAgainstTheDecoyLikeAWrongPasswordAgainstTheAccount() {
        Accounts.Account account = accounts.anAccount();
        double decoy = verifications("decoy");
        double real = verifications("account");

        Http.Response unknown = http.post(LOGIN, json("email", Tenancy.uniqueEmail(), "password", "wrong password"));

        assertThat(unknown.status()).isEqualTo(401);
        assertThat(verifications("decoy") - decoy).isEqualTo(1.0);
        assertThat(verifications("account") - real).isEqualTo(0.0);
        Http.Response wrong = http.post(LOGIN, json("email", account.email(), "password", "wrong password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(verifications("account") - real).isEqualTo(1.0);
        assertThat(verifications("decoy") - decoy).isEqualTo(1.0);
    }

    @Test
    void givenAnUnknownEmail_whenItFailsAsOftenAsTheLimit_thenItAnswers423LikeAnExistingAccount() {
        String email = Tenancy.uniqueEmail();
        for (int attempt = 1; attempt <= LOCKOUT_MAX_ATTEMPTS; attempt++) {
            assertThat(http.post(LOGIN, json("email", email, "password", "guess " + attempt)).status()).isEqualTo(401);
        }

        Http.Response next = http.post(LOGIN, json("email", email, "password", "guess"));

        assertThat(next.status()).as(next.toString()).isEqualTo(423);
        assertThat(next.errorCode()).isEqualTo("ACCOUNT_LOCKED");
        assertThat(next.header("Retry-After")).isNotNull();
    }

    private double verifications(String against) {
        return meters.get("baserdb.password.verifications").tag("against", against).counter().count();
    }

    // ---- L11: an erased subject never gets a data key again --------------------------------------

    @Test
    void givenAnErasedAccount_whenSomethingIsSealedForItAfterwards_thenNoKeyIsMadeAndTheValueOpensToNothing()
            throws Exception {
        Accounts.Account account = accounts.anAccount();
        Http.Response erased = http.bearer(account.accessToken()).send("DELETE", "/api/v1/auth/me",
                json("password", Accounts.PASSWORD), "application/json");
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        assertThat(readableDataKeys(account.userId())).isZero();

        String sealed = personalData.seal(account.userId(), "after erasure");

        assertThat(readableDataKeys(account.userId())).isZero();
        assertThat(sealed).doesNotContain("after erasure");
        assertThat(personalData.open(sealed)).isEmpty();
        assertThat(personalData.reveal(sealed)).isEqualTo(PersonalData.ERASED);
        String living = accounts.anAccount().userId();
        assertThat(personalData.open(personalData.seal(living, "still works"))).contains("still works");
    }

    private static long readableDataKeys(String subjectId) throws Exception {
        try (Connection connection = TestDatabase.connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM data_keys WHERE subject_id = ? AND sealed_key IS NOT NULL")) {
            query.setString(1, subjectId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    // ---- L9: 400, not 500, for NUL characters, reserved column names and GET /error ---------------

    @Test
    void givenANulCharacterInTextFields_whenCreatingOrRenaming_then400ValidationFailedNamingTheFieldAndNothingChanges() {
        Accounts.Account owner = accounts.anAccount();
        Http as = http.bearer(owner.accessToken());
        Tenancy tenancy = new Tenancy(http);
        String organization = tenancy.anOrganization(owner);
        Tenancy.Project project = tenancy.aProject(owner, organization);
        String nul = "Acme\u0000Corp";

        assertNulRefused(as.post("/api/v1/organizations", json("slug", Tenancy.uniqueSlug("nul"), "name", nul)), "name");
        assertNulRefused(as.patch("/api/v1/organizations/" + organization, json("name", nul)), "name");
        assertNulRefused(as.post("/api/v1/projects", json("organization_id", organization, "name", nul)), "name");
        assertNulRefused(as.post("/api/v1/groups", json("project_id", project.id(), "name", nul)), "name");
        assertNulRefused(http.post("/api/v1/auth/register", json("email", Tenancy.uniqueEmail(),
                "password", Accounts.PASSWORD, "display_name", nul)), "display_name");
        assertNulRefused(http.post(LOGIN, json("email", "a\u0000@example.com", "password", "whatever1")), "email");
        assertThat(as.get("/api/v1/organizations/" + organization).data().path("name").asText())
                .doesNotContain("\u0000");
        Http.Response inQuery = as.get("/api/v1/projects?organization_id=org_%00");
        assertThat(inQuery.status()).as(inQuery.toString()).isBetween(400, 404);
    }

    private static void assertNulRefused(Http.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path(field).asText()).contains("NUL");
    }

    @Test
    void givenColumnNamesOfTheHistoryOrSystemColumns_whenCreatingATableOrAddingAColumn_then400Reserved() {
        Accounts.Account owner = accounts.anAccount();
        Tenancy tenancy = new Tenancy(http);
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        TableFixtures tables = new TableFixtures(http);
        String tableId = tables.aTable(owner, TableFixtures.tableRequest(project.id(), "plain",
                TableFixtures.column("name", "TEXT"))).path("id").asText();
        Http as = http.bearer(owner.accessToken());

        for (String name : List.of("version", "row_id", "valid_from", "valid_to", "event_id", "operation",
                "version_id", "actor_type", "actor_id", "id", "created_at", "updated_at", "deleted_at", "Version")) {
            Http.Response create = as.post("/api/v1/tables", TableFixtures.tableRequest(project.id(),
                    TableFixtures.uniqueTableName("r"), TableFixtures.column(name, "TEXT")));
            Http.Response add = as.post("/api/v1/tables/" + tableId + "/columns", TableFixtures.column(name, "TEXT"));
            assertThat(create.status()).as(name + ": " + create).isEqualTo(400);
            assertThat(create.errorCode()).isEqualTo("VALIDATION_FAILED");
            assertThat(create.body().path("error").path("details").path("columns[0].name").isTextual()).isTrue();
            assertThat(add.status()).as(name + ": " + add).isEqualTo(400);
            assertThat(add.errorCode()).isEqualTo("VALIDATION_FAILED");
        }
        Http.Response ok = as.post("/api/v1/tables/" + tableId + "/columns", TableFixtures.column("versions", "TEXT"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }

    @Test
    void givenNoErrorDispatch_whenAClientAsksForTheErrorPath_then404Envelope() {
        Http.Response error = http.get("/error");

        assertThat(error.status()).as(error.toString()).isEqualTo(404);
        assertThat(error.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(error.body().path("success").asBoolean(true)).isFalse();
        assertThat(error.body().path("meta").path("request_id").isTextual()).isTrue();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    interface Attempt {
        Http.Response send(int attempt);
    }

    /** Sends {@code count} requests at once (released together by a latch) and returns every answer. */
    static List<Http.Response> inParallel(int count, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                Callable<Http.Response> call = () -> {
                    start.await();
                    return attempt.send(n);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<Http.Response> answers = new ArrayList<>();
            for (Future<Http.Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
