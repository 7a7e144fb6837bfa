package dev.baserdb.api.table;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.api.table.RlsSteps.ManagedTable;
import dev.baserdb.kernel.data.DatabaseRoles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static dev.baserdb.api.table.RlsSteps.column;
import static dev.baserdb.api.table.RlsSteps.createTable;
import static dev.baserdb.api.table.RlsSteps.pgPolicies;
import static dev.baserdb.api.table.RlsSteps.policyEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression tests of the security review's critical findings (issue 8: C1, C2, H1): a tenant's
 * {@code constraint_sql} reached the superuser. Now the grammar refuses every escape by name and
 * quotes no data; and where the grammar is bypassed altogether (a policy written straight into
 * PostgreSQL), PostgreSQL itself refuses: the data API runs as non-superuser roles, reads of anon and
 * project users in an authenticator session, each project's role confined to its own schemas, with
 * the dangerous functions out of reach. One project's slow requests cannot take the others down.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseBoundaryRegressionTest {

    /** What the victim tenant keeps: the attacks below must never see it. */
    private static final String VICTIM_EMAIL = "victim-marker@example.com";

    @LocalServerPort
    int port;

    private Http http;
    private Http attacker;
    private Http attackerService;
    private String attackerProject;
    private ManagedTable notes;
    private Http victimService;
    private String victimProject;
    private ManagedTable victimUsers;

    @BeforeAll
    void twoTenants() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);

        Accounts.Account victim = accounts.anAccount();
        Tenancy.Project victimProj = tenancy.aProject(victim, tenancy.anOrganization(victim));
        victimProject = victimProj.id();
        victimService = http.with("X-API-Key", victimProj.serviceKey());
        victimUsers = createTable(http.bearer(victim.accessToken()), victimProject, unique("users"),
                column("email", "TEXT", false), column("pw", "PASSWORD", false));
        ok(victimService.post(data(victimProject, victimUsers), Http.json("email", VICTIM_EMAIL, "pw", "victim password")));
        // the victim publishes its users to anonymous readers: still not something another tenant may reach
        ok(http.bearer(victim.accessToken()).put(victimUsers.tablePath() + "/policies",
                List.of(Http.json("api_role", "anon", "allow", List.of("SELECT")))));

        Accounts.Account owner = accounts.anAccount();
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        attackerProject = project.id();
        attacker = http.bearer(owner.accessToken());
        attackerService = http.with("X-API-Key", project.serviceKey());
        notes = createTable(attacker, attackerProject, unique("notes"), column("title", "TEXT", false),
                column("published", "BOOLEAN", true));
        ok(attackerService.post(data(attackerProject, notes), Http.json("title", "a note", "published", true)));
        ok(attackerService.post(data(attackerProject, notes), Http.json("title", "12", "published", true)));
    }

    // ---------------------------------------------------------------------------------------------
    // C1: the grammar refuses every way out, by name, and stores nothing

    static Stream<String> escapes() {
        String other = "g_" + "0".repeat(32) + ".users";
        return Stream.of(
                // the review's payload, and the same through the platform's own tables
                "id::text = cast(substr(cast(table_to_xml('" + other + "',true,false,'') as text),1,1500) as integer)::text",
                "id::text = cast(substr(cast(table_to_xml('pg_authid',true,false,'') as text),1,1500) as integer)::text",
                "id::text = cast(substr(cast(table_to_xml('signing_keys',true,false,'') as text),1,1500) as integer)::text",
                "title = cast(query_to_xml('select * from sessions', true, false, '') as text)",
                "case when set_config('role','postgres',true) is not null then true end",
                "set_config('role', 'postgres', true) is not null",
                "pg_sleep(12) is null",
                "length(pg_read_file('/etc/passwd')) > 0",
                "lower(pg_read_file('/etc/passwd')) like '%root%'",
                "coalesce(current_setting('is_superuser'), 'x') = 'on'",
                "exists (select 1 from pg_authid)",
                "title in (select email from " + other + ")",
                "title = (select email from " + other + " limit 1)",
                other + ".email = 'x'",
                "title::regclass is not null",
                "cast(title as regproc) is not null",
                "title = 'a'; select 1",
                "title = 'a' -- and more",
                "title = $$a$$",
                "title = E'\\x41'",
                "title ~ '^a'",
                "title || 'x' = 'ax'",
                "txid_current() > 0",
                "dblink('host=127.0.0.1', 'select 1') is not null");
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void givenAnEscapeFromTheGrammar_whenPut_thenItIs400NamingThePartAndNothingIsStored(String constraint) {
        int events = policyEvents(notes.id());
        var policies = pgPolicies(notes);

        Http.Response response = attacker.put(notes.tablePath() + "/policies", Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", constraint));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        String problem = response.body().path("error").path("details").path("constraint_sql").asText();
        assertThat(problem).as(response.toString()).startsWith("may ").isNotBlank();
        assertThat(response.text()).doesNotContain(VICTIM_EMAIL).doesNotContain("argon2").doesNotContain("root:");
        assertThat(policyEvents(notes.id())).isEqualTo(events);
        assertThat(pgPolicies(notes)).isEqualTo(policies);
    }

    @Test
    void givenAConstraintPostgreSqlRefusesForItsTypes_whenPut_thenThe400NamesTheProblemWithoutPostgreSqlsText() {
        Http.Response response = attacker.put(notes.tablePath() + "/policies", Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", "title > 5 and published = 'secret-literal'"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").path("constraint_sql").asText())
                .startsWith("PostgreSQL does not accept it over this table: ")
                .doesNotContain("ERROR").doesNotContain("secret-literal").doesNotContain("operator does not exist");
    }

    @Test
    void givenAPolicyThatFailsOnARowsValue_whenAnonReads_thenTheErrorCarriesNoData() {
        ok(attacker.put(notes.tablePath() + "/policies", Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", true, "constraint_sql", "cast(title as integer) > 0")));
        try {
            Http.Response read = http.get(data(attackerProject, notes));

            assertThat(read.status()).as(read.toString()).isBetween(400, 499);
            assertThat(read.text()).doesNotContain("a note").doesNotContain("invalid input syntax");
        } finally {
            ok(attacker.put(notes.tablePath() + "/policies", List.of(Http.json("api_role", "anon", "allow", List.of()))));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // C2: even a policy written straight into PostgreSQL cannot climb out

    static Stream<String> bypassingPolicies() {
        return Stream.of(
                "case when set_config('role', 'postgres', true) is not null then true end",
                "set_config('role', '%OWNER%', true) is not null",
                "set_config('role', '%VICTIM_ANON%', true) is not null",
                "set_config('baserdb.user_id', gen_random_uuid()::text, true) is not null",
                "pg_read_file('/etc/passwd') is not null",
                "length(cast(table_to_xml('%VICTIM_TABLE%', true, false, '') as text)) > 0",
                "(select count(*) from %VICTIM_TABLE%) >= 0",
                "(select count(*) from public.signing_keys) >= 0",
                "(select count(*) from public.users) >= 0",
                "(select count(*) from domainevententry) >= 0",
                "query_to_xml('select 1', true, false, '') is not null",
                "pg_sleep(30) is null",
                "pg_advisory_lock(42) is null",
                "lo_create(0) > 0");
    }

    @ParameterizedTest
    @MethodSource("bypassingPolicies")
    void givenAPolicyInsertedBypassingTheGrammar_whenAnonReads_thenPostgreSqlItselfRefuses(String template)
            throws SQLException {
        String expression = expand(template);
        String policy = "bdb_test_bypass";
        sql("CREATE POLICY " + policy + " ON " + quoted(notes) + " FOR SELECT TO "
                + quote(TestDatabase.roles().anon(attackerProject)) + " USING (" + expression + ")");
        try {
            Http.Response read = http.get(data(attackerProject, notes) + "?limit=5");

            assertThat(read.status()).as(expression + " → " + read).isEqualTo(403);
            assertThat(read.errorCode()).isEqualTo("FORBIDDEN");
            assertThat(read.text()).doesNotContain(VICTIM_EMAIL).doesNotContain("root:").doesNotContain("a note");
        } finally {
            sql("DROP POLICY " + policy + " ON " + quoted(notes));
        }
    }

    @Test
    void givenAnInsertPolicyBypassingTheGrammarThatTriesToBecomeTheOwner_whenAnonInserts_thenNoRowAndNoEvent()
            throws SQLException {
        String policy = "bdb_test_bypass_insert";
        sql("CREATE POLICY " + policy + " ON " + quoted(notes) + " FOR INSERT TO "
                + quote(TestDatabase.roles().anon(attackerProject)) + " WITH CHECK (set_config('role', "
                + literal(TestDatabase.roles().owner()) + ", true) is not null)");
        try {
            long before = count("SELECT count(*) FROM " + quoted(notes));
            int events = RlsSteps.rowEvents(notes.id());

            Http.Response insert = http.post(data(attackerProject, notes), Http.json("title", "climbing"));

            assertThat(insert.status()).as(insert.toString()).isEqualTo(403);
            assertThat(count("SELECT count(*) FROM " + quoted(notes))).isEqualTo(before);
            assertThat(RlsSteps.rowEvents(notes.id())).isEqualTo(events);
        } finally {
            sql("DROP POLICY " + policy + " ON " + quoted(notes));
        }
    }

    @Test
    void theApplicationServesNoRequestAsASuperuserAndItsRolesHoldOnlyWhatTheyNeed() throws SQLException {
        DatabaseRoles roles = TestDatabase.roles();
        // the pools are open by now: every connection of the application is one of its three roles (the tests' own
        // checks connect as the superuser, under their own application_name)
        List<String> users = strings("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND usename IS NOT NULL"
                + " AND application_name <> '" + TestDatabase.CHECKS_APPLICATION_NAME + "'");
        assertThat(users).isNotEmpty().allMatch(user -> user.equals(roles.owner()) || user.equals(roles.authenticator())
                || user.equals(roles.roleManager()));

        assertThat(strings("SELECT rolname FROM pg_roles WHERE rolname IN ('" + roles.owner() + "', '"
                + roles.authenticator() + "', '" + roles.roleManager() + "') AND (rolsuper OR rolbypassrls)")).isEmpty();
        assertThat(strings("SELECT rolname FROM pg_roles WHERE rolname IN ('" + roles.owner() + "', '"
                + roles.authenticator() + "') AND rolcreaterole")).as("CREATEROLE only on the role manager").isEmpty();
        assertThat(strings("SELECT rolname FROM pg_roles WHERE rolname = '" + roles.authenticator() + "' AND rolinherit"))
                .as("the authenticator does not inherit").isEmpty();
        assertThat(strings("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"))
                .containsExactly(roles.owner());
        // a project role may use its own schemas, not another project's
        assertThat(bool("SELECT has_schema_privilege('" + roles.anon(attackerProject) + "', '" + notes.schema()
                + "', 'USAGE')")).isTrue();
        assertThat(bool("SELECT has_schema_privilege('" + roles.anon(attackerProject) + "', '" + victimUsers.schema()
                + "', 'USAGE')")).isFalse();
        assertThat(bool("SELECT has_function_privilege('" + roles.anon(attackerProject)
                + "', 'set_config(text, text, boolean)', 'EXECUTE')")).isFalse();
        assertThat(bool("SELECT has_function_privilege('" + roles.authenticator()
                + "', 'pg_sleep(double precision)', 'EXECUTE')")).isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // H1: one project's slow requests leave the others answering

    /**
     * The slow project's requests are held by a lock this test takes on its table (the seam that makes
     * "slow" last exactly as long as the test needs, below the statement timeout of the test context).
     */
    @Test
    void givenOneProjectsRequestsAreSlow_whenTheyPileUp_thenOtherProjectsLoginsAndHealthAnswerNormally() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(22);
        try (Connection lock = TestDatabase.connect()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE " + quoted(notes) + " IN ACCESS EXCLUSIVE MODE");
            }
            List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
            for (int i = 0; i < 22; i++) {
                slow.add(CompletableFuture.supplyAsync(() -> http.get(data(attackerProject, notes)), clients));
            }
            // the project's share is full (its requests wait in PostgreSQL) and the ones beyond it were turned away;
            // on a timeout the message lists every state seen (waiting reads, answers, busy backends), in order
            List<String> states = new ArrayList<>();
            await("the slow project's share full and its overflow answered 503").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> {
                        long waiting = blockedOnNotes();
                        Map<Integer, Long> answered = slow.stream().filter(CompletableFuture::isDone)
                                .collect(Collectors.groupingBy(request -> request.join().status(), TreeMap::new,
                                        Collectors.counting()));
                        String state = waiting + " reads waiting, answers " + answered + ", busy " + busyBackends();
                        if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                            states.add(state);
                        }
                        assertThat(waiting == 8 && answered.containsKey(503)).as("states seen: %s", states).isTrue();
                    });

            assertThat(http.get("/api/healthz").status()).isEqualTo(200);
            Http.Response victimRead = http.get(data(victimProject, victimUsers));
            assertThat(victimRead.status()).as(victimRead.toString()).isEqualTo(200);
            assertThat(victimRead.data()).hasSize(1);
            assertThat(victimService.get(data(victimProject, victimUsers)).status()).isEqualTo(200);
            assertThat(new Accounts(http).anAccount().accessToken()).isNotBlank();
            assertThat(blockedOnNotes()).as("the slow requests were still holding their share meanwhile").isEqualTo(8);

            lock.rollback();
            for (CompletableFuture<Http.Response> request : slow) {
                Http.Response response = request.get();
                assertThat(response.status()).as(response.toString()).isIn(200, 503);
                if (response.status() == 503) {
                    assertThat(response.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
                    assertThat(response.header("Retry-After")).isNotBlank();
                }
            }
            assertThat(slow.stream().filter(request -> request.join().status() == 200).count()).isGreaterThanOrEqualTo(8);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void givenARequestSlowerThanTheStatementTimeout_thenPostgreSqlEndsItAndTheAnswerIs503WithRetryAfter()
            throws Exception {
        try (Connection lock = TestDatabase.connect()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE " + quoted(notes) + " IN ACCESS EXCLUSIVE MODE");
            }
            try {
                // an anonymous read (authenticator session) and an operator's (the owner's read pool)
                for (Http caller : List.of(http, attackerService)) {
                    Http.Response read = caller.get(data(attackerProject, notes));

                    assertThat(read.status()).as(read.toString()).isEqualTo(503);
                    assertThat(read.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
                    assertThat(read.header("Retry-After")).isEqualTo("1");
                }
            } finally {
                lock.rollback();
            }
        }
        assertThat(http.get(data(attackerProject, notes)).status()).isEqualTo(200);
    }

    /**
     * The project's anonymous reads waiting for the lock on its table: sessions of the authenticator
     * (anything else of the application waiting on the table, such as a rebuild's, is not counted).
     */
    private long blockedOnNotes() throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND usename = " + literal(TestDatabase.roles().authenticator())
                + " AND wait_event_type = 'Lock' AND query LIKE '%" + notes.name() + "%'");
    }

    /** The backends of this database not idle, counted by role and what they wait for. */
    private static List<String> busyBackends() throws SQLException {
        return strings("SELECT concat(usename, ' ', state, ' ', wait_event_type, ':', wait_event, ' x', count(*))"
                + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND state <> 'idle' GROUP BY usename, state, wait_event_type, wait_event ORDER BY 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anon", "authenticated"})
    void everyProjectHasItsOwnDataRoles(String apiRole) throws SQLException {
        String mine = TestDatabase.roles().dataRole(attackerProject, apiRole);
        String theirs = TestDatabase.roles().dataRole(victimProject, apiRole);
        assertThat(mine).isNotEqualTo(theirs);
        assertThat(strings("SELECT rolname FROM pg_roles WHERE rolname IN ('" + mine + "', '" + theirs + "')"))
                .hasSize(2);
    }

    // ---------------------------------------------------------------------------------------------

    private String expand(String template) {
        return template.replace("%OWNER%", TestDatabase.roles().owner())
                .replace("%VICTIM_ANON%", TestDatabase.roles().anon(victimProject))
                .replace("%VICTIM_TABLE%", quoted(victimUsers));
    }

    private static String data(String projectId, ManagedTable table) {
        return "/api/v1/data/" + projectId + "/" + table.name();
    }

    private static String quoted(ManagedTable table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean bool(String query) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static List<String> strings(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
