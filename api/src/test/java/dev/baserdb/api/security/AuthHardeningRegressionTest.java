package dev.baserdb.api.security;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
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

    @Test
    void givenFortyParallelWrongDataLogins_whenTheyRace_thenAtLeastThirtyAre423AndTheRightPasswordIsRefused()
            throws Exception {
        DataProject data = aDataProject();
        data.aUser("dee@example.com", "open sesame");

        List<Http.Response> answers = inParallel(40, attempt -> data.login("dee@example.com", "guess " + attempt));

        long locked = answers.stream().filter(response -> response.status() == 423).count();
        long invalid = answers.stream().filter(response -> response.status() == 401).count();
        assertThat(locked + invalid).as(answers.toString()).isEqualTo(40);
        assertThat(invalid).isEqualTo(LOCKOUT_MAX_ATTEMPTS);
        assertThat(locked).isGreaterThanOrEqualTo(30);
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
