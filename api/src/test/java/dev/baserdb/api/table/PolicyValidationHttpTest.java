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
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static dev.baserdb.api.table.RlsSteps.allPhysicalRows;
import static dev.baserdb.api.table.RlsSteps.column;
import static dev.baserdb.api.table.RlsSteps.createTable;
import static dev.baserdb.api.table.RlsSteps.pgPolicies;
import static dev.baserdb.api.table.RlsSteps.physicalRowsAs;
import static dev.baserdb.api.table.RlsSteps.physicalTableWithRls;
import static dev.baserdb.api.table.RlsSteps.policyEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code PUT / GET / DELETE /tables/{id}/policies} of API.md §6: the three PUT shapes answer
 * {@code {updated, policies}}, a policy can be deleted (and PostgreSQL stops applying it), and every
 * invalid body — above all a {@code constraint_sql} that is not one boolean expression over the
 * table's columns, or tries to break out of its policy or read other tables — is 400 and changes
 * nothing: not the read model, not {@code pg_policies}, not the event store, not the table.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyValidationHttpTest {

    @LocalServerPort
    int port;

    private Http http;
    private Http owner;
    private Http service;
    private String projectId;
    private ManagedTable users;

    /** An articles table (owner_id UUID, published BOOLEAN, title TEXT) with one published and one draft row. */
    record Articles(ManagedTable table, String published, String draft) {
    }

    @BeforeAll
    void aProjectWithAUsersTable() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        Accounts.Account ownerAccount = accounts.anAccount();
        String organizationId = tenancy.anOrganization(ownerAccount);
        Tenancy.Project project = tenancy.aProject(ownerAccount, organizationId);
        projectId = project.id();
        owner = http.bearer(ownerAccount.accessToken());
        service = http.with("X-API-Key", project.serviceKey());
        users = createTable(owner, projectId, unique("app_users"), column("email", "TEXT", false),
                column("pw", "PASSWORD", false));
    }

    // ---------------------------------------------------------------------------------------------
    // The three shapes, GET and DELETE

    @Test
    void givenTheAllowShape_whenPut_thenOnePolicyPerOperationAndResponseUpdatedAndPolicies() {
        Articles articles = anArticlesTable();

        Http.Response response = owner.put(policies(articles), List.of(
                Http.json("api_role", "anon", "allow", List.of("SELECT")),
                Http.json("api_role", "authenticated", "allow", List.of("SELECT", "INSERT"))));

        JsonNode data = ok(response);
        assertThat(fieldNames(data)).containsExactlyInAnyOrder("updated", "policies");
        assertThat(data.path("updated").asInt()).isEqualTo(3);
        assertThat(data.path("policies")).hasSize(3);
        assertThat(data.path("policies")).allSatisfy(policy -> {
            assertThat(policy.path("id").asText()).startsWith("pol_");
            assertThat(policy.path("allowed").asBoolean()).isTrue();
            assertThat(policy.path("constraint_sql").isNull()).as(policy.toString()).isTrue();
        });
        assertThat(summary(data.path("policies"))).containsExactlyInAnyOrder(
                "anon SELECT", "authenticated SELECT", "authenticated INSERT");
        assertThat(ok(owner.get(policies(articles)))).isEqualTo(data.path("policies"));
        assertThat(pgPolicies(articles.table()))
                .extracting(PgPolicy::command, PgPolicy::roles, PgPolicy::using, PgPolicy::withCheck)
                .containsExactlyInAnyOrder(
                        tuple("SELECT", "bdb_anon", "true", null),
                        tuple("SELECT", "bdb_authenticated", "true", null),
                        tuple("INSERT", "bdb_authenticated", null, "true"));
        assertThat(ids(http.get(data(articles)))).containsExactlyInAnyOrder(articles.published(), articles.draft());
    }

    @Test
    void givenTheAllowShapeForARole_whenPutAgain_thenItReplacesThatRolesPoliciesOnly() {
        Articles articles = anArticlesTable();
        ok(owner.put(policies(articles), List.of(
                Http.json("api_role", "anon", "allow", List.of("SELECT", "INSERT")),
                Http.json("api_role", "authenticated", "allow", List.of("SELECT")))));

        JsonNode data = ok(owner.put(policies(articles), List.of(Http.json("api_role", "anon", "allow", List.of("UPDATE")))));

        assertThat(data.path("updated").asInt()).isEqualTo(1);
        assertThat(summary(data.path("policies"))).containsExactlyInAnyOrder("anon UPDATE", "authenticated SELECT");
        assertThat(pgPolicies(articles.table())).extracting(PgPolicy::command, PgPolicy::roles)
                .containsExactlyInAnyOrder(tuple("UPDATE", "bdb_anon"), tuple("SELECT", "bdb_authenticated"));
    }

    @Test
    void givenTheOperationShapeAsAnArray_whenPut_thenThePolicyCarriesItsConstraint() {
        Articles articles = anArticlesTable();

        JsonNode data = ok(owner.put(policies(articles), List.of(Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", true, "constraint_sql", "published = true"))));

        assertThat(data.path("updated").asInt()).isEqualTo(1);
        assertThat(data.path("policies")).hasSize(1);
        JsonNode policy = data.path("policies").get(0);
        assertThat(policy.path("api_role").asText()).isEqualTo("anon");
        assertThat(policy.path("operation").asText()).isEqualTo("SELECT");
        assertThat(policy.path("allowed").asBoolean()).isTrue();
        assertThat(policy.path("constraint_sql").asText().replace("\"", "")).isEqualTo("published = true");
        assertThat(ok(owner.get(policies(articles)))).isEqualTo(data.path("policies"));
        assertThat(pgPolicies(articles.table())).extracting(PgPolicy::command, PgPolicy::roles, PgPolicy::using)
                .containsExactly(tuple("SELECT", "bdb_anon", "(published = true)"));
        assertThat(ids(http.get(data(articles)))).containsExactly(articles.published());
    }

    @Test
    void givenTheSingleObjectShape_whenPut_thenItIsAddedBesideTheExistingPolicies() {
        Articles articles = anArticlesTable();
        ok(owner.put(policies(articles), List.of(Http.json("api_role", "anon", "allow", List.of("SELECT")))));

        JsonNode data = ok(owner.put(policies(articles), Http.json("api_role", "authenticated", "operation", "UPDATE",
                "allowed", true, "constraint_sql", "owner_id = :current_user_id")));

        assertThat(data.path("updated").asInt()).isEqualTo(1);
        assertThat(summary(data.path("policies"))).containsExactlyInAnyOrder("anon SELECT", "authenticated UPDATE");
        JsonNode update = find(data.path("policies"), "authenticated", "UPDATE");
        assertThat(update.path("constraint_sql").asText().replace("\"", "")).isEqualTo("owner_id = :current_user_id");
        assertThat(ok(owner.get(policies(articles)))).isEqualTo(data.path("policies"));
        assertThat(pgPolicies(articles.table()))
                .extracting(PgPolicy::command, PgPolicy::roles, PgPolicy::using, PgPolicy::withCheck)
                .containsExactlyInAnyOrder(
                        tuple("SELECT", "bdb_anon", "true", null),
                        tuple("UPDATE", "bdb_authenticated", "(owner_id = baserdb_current_user_id())",
                                "(owner_id = baserdb_current_user_id())"));
    }

    @Test
    void givenAnAllowedPolicy_whenPutAgainWithAllowedFalse_thenItKeepsItsIdAndPostgresNoLongerAllows() {
        Articles articles = anArticlesTable();
        String id = ok(owner.put(policies(articles), Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", true))).path("policies").get(0).path("id").asText();

        JsonNode data = ok(owner.put(policies(articles), Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", false)));

        assertThat(data.path("policies")).hasSize(1);
        assertThat(data.path("policies").get(0).path("id").asText()).isEqualTo(id);
        assertThat(data.path("policies").get(0).path("allowed").asBoolean()).isFalse();
        assertThat(pgPolicies(articles.table())).isEmpty();
        assertThat(ids(http.get(data(articles)))).isEmpty();
    }

    @Test
    void givenTwoPolicies_whenOneIsDeleted_thenOnlyTheOtherRemainsInTheReadModelAndInPostgres() {
        Articles articles = anArticlesTable();
        JsonNode set = ok(owner.put(policies(articles), List.of(
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true, "constraint_sql", "published = true"),
                Http.json("api_role", "authenticated", "operation", "SELECT", "allowed", true))));
        String anonSelect = find(set.path("policies"), "anon", "SELECT").path("id").asText();
        String authenticatedSelect = find(set.path("policies"), "authenticated", "SELECT").path("id").asText();
        assertThat(ids(http.get(data(articles)))).containsExactly(articles.published());
        int events = policyEvents(articles.table().id());

        JsonNode remaining = ok(owner.delete(policies(articles) + "/" + anonSelect));

        assertThat(summary(remaining)).containsExactly("authenticated SELECT");
        assertThat(remaining.get(0).path("id").asText()).isEqualTo(authenticatedSelect);
        assertThat(summary(ok(owner.get(policies(articles))))).containsExactly("authenticated SELECT");
        assertThat(pgPolicies(articles.table())).extracting(PgPolicy::command, PgPolicy::roles)
                .containsExactly(tuple("SELECT", "bdb_authenticated"));
        assertThat(physicalRowsAs("bdb_anon", null, articles.table())).isEmpty();
        assertThat(ids(http.get(data(articles)))).as("anon after the delete").isEmpty();
        assertThat(policyEvents(articles.table().id())).isEqualTo(events + 1);

        Http.Response again = owner.delete(policies(articles) + "/" + anonSelect);
        assertThat(again.status()).as(again.toString()).isEqualTo(404);
        assertThat(policyEvents(articles.table().id())).isEqualTo(events + 1);
    }

    @Test
    void givenEightPolicies_whenPut_thenAllAreAccepted() {
        Articles articles = anArticlesTable();
        List<ObjectNode> eight = new ArrayList<>();
        for (String role : List.of("anon", "authenticated")) {
            for (String operation : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
                eight.add(Http.json("api_role", role, "operation", operation, "allowed", true));
            }
        }

        JsonNode data = ok(owner.put(policies(articles), eight));

        assertThat(data.path("updated").asInt()).isEqualTo(8);
        assertThat(pgPolicies(articles.table())).hasSize(8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"published = true", "owner_id = :current_user_id", "published and title is not null",
            "not published", "length(title) <> 0", "title like 'a%' or owner_id is null",
            "owner_id = :current_user_id or (published = true and title <> 'secret')"})
    void givenABooleanExpressionOverTheColumns_whenPut_thenItIsAcceptedAndPostgresAppliesIt(String sql) {
        Articles articles = anArticlesTable();
        int events = policyEvents(articles.table().id());

        JsonNode data = ok(sql, owner.put(policies(articles), Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", true, "constraint_sql", sql)));

        assertThat(data.path("updated").asInt()).isEqualTo(1);
        assertThat(data.path("policies").get(0).path("constraint_sql").isTextual()).isTrue();
        assertThat(pgPolicies(articles.table())).extracting(PgPolicy::command, PgPolicy::roles)
                .containsExactly(tuple("SELECT", "bdb_anon"));
        assertThat(policyEvents(articles.table().id())).isEqualTo(events + 1);
        assertThat(http.get(data(articles)).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------------------
    // Refused bodies change nothing

    static Stream<Arguments> invalidConstraints() {
        return Stream.of(
                constraint("not a boolean: arithmetic", t -> "1 + 1"),
                constraint("not a boolean: a number", t -> "1"),
                constraint("not a boolean: a text column", t -> "title"),
                constraint("not a boolean: a number inside AND", t -> "published = true and 1"),
                constraint("not a boolean: NOT of a number", t -> "not 0"),
                constraint("unknown column", t -> "no_such_column = true"),
                constraint("unknown column beside a known one", t -> "published = true and secret_flag"),
                constraint("syntax error: dangling operator", t -> "published ="),
                constraint("syntax error: doubled operator", t -> "published = = true"),
                constraint("syntax error: unbalanced parenthesis", t -> "(published = true"),
                constraint("blank", t -> "   "),
                constraint("statement break-out dropping the table", t -> "true); DROP TABLE " + t.schema() + "."
                        + t.name() + "; --"),
                constraint("parenthesis break-out", t -> "true) OR (1=1"),
                constraint("policy clause break-out", t -> "published = true) TO public USING (true"),
                constraint("second statement", t -> "true; select 1"),
                constraint("second statement deleting rows", t -> "published = true; DELETE FROM " + t.schema() + "."
                        + t.name()),
                constraint("line comment hiding a break-out", t -> "published = true --\n) OR (true"),
                constraint("block comment before a break-out", t -> "published = true /* x */) OR (true"),
                constraint("closing a comment that was never opened", t -> "true */ OR true /*"),
                constraint("subquery with exists over pg_user", t -> "exists(select 1 from pg_user)"),
                constraint("subquery over the users table", t -> "owner_id in (select id from "
                        + t.schema() + ".app_users_placeholder)"),
                constraint("scalar subquery", t -> "(select true)"),
                constraint("subquery comparing the owner", t -> "owner_id = (select owner_id from " + t.schema() + "."
                        + t.name() + " limit 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConstraints")
    void givenAnInvalidConstraintSql_whenPut_thenBadRequestAndNothingChanges(String description,
                                                                              Function<ManagedTable, String> sql) {
        Articles articles = anArticlesTable();
        String constraint = sql.apply(articles.table()).replace("app_users_placeholder", users.name());

        assertRefusedChangingNothing(articles, "constraint_sql", Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", true, "constraint_sql", constraint));
        assertRefusedChangingNothing(articles, "[1].constraint_sql", List.of(
                Http.json("api_role", "anon", "operation", "INSERT", "allowed", true),
                Http.json("api_role", "authenticated", "operation", "UPDATE", "allowed", true,
                        "constraint_sql", constraint)));
    }

    static Stream<Arguments> invalidBodies() {
        List<ObjectNode> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(Http.json("api_role", i % 2 == 0 ? "anon" : "authenticated", "operation", "SELECT", "allowed", true));
        }
        return Stream.of(
                Arguments.of("unknown api_role", "api_role",
                        Http.json("api_role", "service_role", "operation", "SELECT", "allowed", true)),
                Arguments.of("a database role as api_role", "api_role",
                        Http.json("api_role", "postgres", "operation", "SELECT", "allowed", true)),
                Arguments.of("api_role missing", "api_role", Http.json("operation", "SELECT", "allowed", true)),
                Arguments.of("api_role in the allow shape unknown", "[0].api_role",
                        List.of(Http.json("api_role", "admin", "allow", List.of("SELECT")))),
                Arguments.of("unknown operation", "operation",
                        Http.json("api_role", "anon", "operation", "TRUNCATE", "allowed", true)),
                Arguments.of("operation ALL", "operation", Http.json("api_role", "anon", "operation", "ALL", "allowed", true)),
                Arguments.of("operation with a statement", "operation",
                        Http.json("api_role", "anon", "operation", "SELECT; DROP TABLE x", "allowed", true)),
                Arguments.of("operation missing", "operation", Http.json("api_role", "anon", "allowed", true)),
                Arguments.of("unknown operation in allow", "[0].allow",
                        List.of(Http.json("api_role", "anon", "allow", List.of("SELECT", "DROP")))),
                Arguments.of("allow not an array", "[0].allow",
                        List.of(Http.json("api_role", "anon", "allow", "SELECT"))),
                Arguments.of("allowed as a string", "allowed",
                        Http.json("api_role", "anon", "operation", "SELECT", "allowed", "true")),
                Arguments.of("allowed as a number", "allowed",
                        Http.json("api_role", "anon", "operation", "SELECT", "allowed", 1)),
                Arguments.of("allowed missing", "allowed", Http.json("api_role", "anon", "operation", "SELECT")),
                Arguments.of("constraint_sql not a string", "constraint_sql",
                        Http.json("api_role", "anon", "operation", "SELECT", "allowed", true, "constraint_sql", 42)),
                Arguments.of("nine policies", "body", nine),
                Arguments.of("no policy", "body", List.of()),
                Arguments.of("a bare string", "body", "policies"),
                Arguments.of("a valid policy before an invalid one", "[1].operation", List.of(
                        Http.json("api_role", "anon", "operation", "INSERT", "allowed", true),
                        Http.json("api_role", "authenticated", "operation", "MERGE", "allowed", true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void givenAnInvalidPolicyBody_whenPut_thenBadRequestAndNothingChanges(String description, String field, Object body) {
        Articles articles = anArticlesTable();

        assertRefusedChangingNothing(articles, field, body);
    }

    // ---------------------------------------------------------------------------------------------
    // steps

    /**
     * A fresh articles table whose anon may read published rows and whose authenticated users may
     * read their own: the baseline every refused attempt must leave as it was.
     */
    private Articles anArticlesTable() {
        ManagedTable table = createTable(owner, projectId, unique("articles"), column("owner_id", "UUID", true),
                column("published", "BOOLEAN", true), column("title", "TEXT", true));
        String published = ok(service.post(data(table), Http.json("published", true, "title", "out"))).path("id").asText();
        String draft = ok(service.post(data(table), Http.json("published", false, "title", "wip"))).path("id").asText();
        return new Articles(table, published, draft);
    }

    private void assertRefusedChangingNothing(Articles articles, String field, Object body) {
        ok("baseline policies", owner.put(policies(articles), List.of(
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true, "constraint_sql", "published = true"),
                Http.json("api_role", "authenticated", "operation", "SELECT", "allowed", true,
                        "constraint_sql", "owner_id = :current_user_id"))));
        JsonNode policiesBefore = ok(owner.get(policies(articles)));
        List<PgPolicy> pgBefore = pgPolicies(articles.table());
        int eventsBefore = policyEvents(articles.table().id());
        assertThat(pgBefore).hasSize(2);

        Http.Response response = body instanceof String raw
                ? owner.send("PUT", policies(articles), Http.JSON.valueToTree(raw).toString(), "application/json")
                : owner.put(policies(articles), body);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(fieldNames(response.body().path("error").path("details"))).as(response.toString()).contains(field);
        assertThat(ok(owner.get(policies(articles)))).as("policies in the read model").isEqualTo(policiesBefore);
        assertThat(pgPolicies(articles.table())).as("pg_policies").isEqualTo(pgBefore);
        assertThat(policyEvents(articles.table().id())).as("TablePoliciesChanged events").isEqualTo(eventsBefore);
        // the table is still there, and behaves as before
        assertThat(ok(owner.get(articles.table().tablePath())).path("name").asText()).isEqualTo(articles.table().name());
        assertThat(physicalTableWithRls(articles.table())).isTrue();
        assertThat(allPhysicalRows(articles.table())).containsExactlyInAnyOrder(articles.published(), articles.draft());
        assertThat(ids(http.get(data(articles)))).as("anon reads").containsExactly(articles.published());
        assertThat(physicalRowsAs("bdb_anon", null, articles.table())).containsExactly(articles.published());
        Http.Response insert = http.post(data(articles), Http.json("published", true, "title", "anon"));
        assertThat(insert.status()).as("anon still may not insert: " + insert).isEqualTo(403);
        assertThat(allPhysicalRows(articles.table())).containsExactlyInAnyOrder(articles.published(), articles.draft());
    }

    private static Arguments constraint(String description, Function<ManagedTable, String> sql) {
        return Arguments.of(description, sql);
    }

    private static List<String> summary(JsonNode policies) {
        List<String> summary = new ArrayList<>();
        policies.forEach(policy -> summary.add(policy.path("api_role").asText() + " " + policy.path("operation").asText()));
        return summary;
    }

    private static JsonNode find(JsonNode policies, String role, String operation) {
        for (JsonNode policy : policies) {
            if (policy.path("api_role").asText().equals(role) && policy.path("operation").asText().equals(operation)) {
                return policy;
            }
        }
        throw new AssertionError("no " + role + " " + operation + " policy in " + policies);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> ids(Http.Response list) {
        JsonNode rows = ok("list", list);
        Set<String> ids = new TreeSet<>();
        rows.forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }

    private String policies(Articles articles) {
        return articles.table().tablePath() + "/policies";
    }

    private String data(Articles articles) {
        return data(articles.table());
    }

    private String data(ManagedTable table) {
        return "/api/v1/data/" + projectId + "/" + table.name();
    }
}
