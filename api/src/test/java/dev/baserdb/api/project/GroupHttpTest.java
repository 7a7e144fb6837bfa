package dev.baserdb.api.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TenancySteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Groups of tables in a project over real HTTP (API.md §5). */
@ApiTest
class GroupHttpTest {

    @LocalServerPort
    int port;

    Http http;
    Accounts accounts;
    TenancySteps tenancy;
    Account alice;
    String project;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new TenancySteps(http);
        alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        project = tenancy.project(alice, org, "Grouped").path("id").asText();
    }

    // --- create ------------------------------------------------------------------------------------------

    @Test
    void given_a_project_when_creating_a_group_then_201_with_etag_and_it_is_listed() {
        Http.Response created = create("sales");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("ETag")).matches("\"\\d+\"");
        assertThat(created.data().path("id").asText()).startsWith("grp_");
        assertThat(created.data().path("name").asText()).isEqualTo("sales");
        assertThat(created.data().path("project_id").asText()).isEqualTo(project);
        Http.Response list = as(alice).get("/api/v1/groups?project_id=" + project);
        assertThat(list.data().findValuesAsText("name")).containsExactly("public", "sales");
        assertThat(list.header("X-Total-Count")).isEqualTo("2");
        Http.Response read = as(alice).get("/api/v1/groups/" + created.data().path("id").asText());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo(created.header("ETag"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sales", "1sales", "sales-team", "sales team", "", "ümlaut"})
    void given_a_name_that_is_not_a_lower_case_identifier_when_creating_then_400_with_details_name(String name) {
        Http.Response response = create(name);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("name").asText()).isNotBlank();
        assertThat(groupNames()).containsExactly("public");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg_x", "pg_catalog", "information_schema", "pg_toast"})
    void given_a_reserved_name_when_creating_then_400_is_reserved(String name) {
        Http.Response response = create(name);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").path("name").asText()).isEqualTo("is reserved");
        assertThat(groupNames()).containsExactly("public");
    }

    /** Every project already has {@code public}: another one is a duplicate name (409, API.md §1). */
    @Test
    void given_the_name_public_when_creating_then_409_duplicate() {
        Http.Response response = create("public");

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo("CONFLICT");
        assertThat(groupNames()).containsExactly("public");
    }

    @Test
    void given_a_group_name_taken_in_the_project_when_creating_then_409() {
        create("sales");

        Http.Response again = create("sales");

        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("CONFLICT");
        assertThat(groupNames()).containsExactly("public", "sales");
    }

    @Test
    void given_a_viewer_when_creating_a_group_then_403_and_a_stranger_404() {
        Account viewer = accounts.anAccount();
        Account stranger = accounts.anAccount();
        String org = as(alice).get("/api/v1/projects/" + project).data().path("organization_id").asText();
        tenancy.addMember(alice, org, viewer, "viewer");

        Http.Response asViewer = as(viewer).post("/api/v1/groups", Http.json("project_id", project, "name", "x"));
        Http.Response asStranger = as(stranger).post("/api/v1/groups", Http.json("project_id", project, "name", "x"));
        Http.Response strangerLists = as(stranger).get("/api/v1/groups?project_id=" + project);

        assertThat(asViewer.status()).as(asViewer.toString()).isEqualTo(403);
        assertThat(asStranger.status()).as(asStranger.toString()).isEqualTo(404);
        assertThat(strangerLists.status()).as(strangerLists.toString()).isEqualTo(404);
        assertThat(groupNames()).containsExactly("public");
    }

    @Test
    void given_no_project_id_when_listing_groups_then_400() {
        Http.Response response = as(alice).get("/api/v1/groups");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").has("project_id")).isTrue();
    }

    // --- rename ------------------------------------------------------------------------------------------

    @Test
    void given_a_group_when_renamed_then_200_with_a_new_etag_and_a_stale_etag_is_412() {
        Http.Response created = create("sales");
        String id = created.data().path("id").asText();

        Http.Response renamed = as(alice).with("If-Match", created.header("ETag"))
                .patch("/api/v1/groups/" + id, Http.json("name", "marketing"));
        Http.Response stale = as(alice).with("If-Match", created.header("ETag"))
                .patch("/api/v1/groups/" + id, Http.json("name", "finance"));

        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.data().path("name").asText()).isEqualTo("marketing");
        assertThat(renamed.header("ETag")).isNotEqualTo(created.header("ETag"));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(as(alice).get("/api/v1/groups/" + id).data().path("name").asText()).isEqualTo("marketing");
        assertThat(groupNames()).containsExactly("public", "marketing");
    }

    @Test
    void given_two_groups_when_one_is_renamed_to_the_others_name_or_an_invalid_one_then_409_or_400() {
        create("sales");
        String id = create("marketing").data().path("id").asText();

        Http.Response taken = as(alice).patch("/api/v1/groups/" + id, Http.json("name", "sales"));
        Http.Response invalid = as(alice).patch("/api/v1/groups/" + id, Http.json("name", "Not Valid"));
        Http.Response reserved = as(alice).patch("/api/v1/groups/" + id, Http.json("name", "pg_stats"));
        Http.Response toPublic = as(alice).patch("/api/v1/groups/" + id, Http.json("name", "public"));

        assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(400);
        assertThat(toPublic.status()).as(toPublic.toString()).isIn(400, 409);
        assertThat(groupNames()).containsExactly("public", "sales", "marketing");
    }

    // --- the public group ------------------------------------------------------------------------------

    @Test
    void given_the_public_group_when_renamed_or_deleted_then_409_and_it_stays() {
        String publicId = publicGroupId();
        int events = TenancySteps.eventCount(publicId);

        Http.Response renamed = as(alice).patch("/api/v1/groups/" + publicId, Http.json("name", "open"));
        Http.Response deleted = as(alice).delete("/api/v1/groups/" + publicId);

        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(409);
        assertThat(renamed.errorCode()).isEqualTo("CONFLICT");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(409);
        assertThat(deleted.errorCode()).isEqualTo("CONFLICT");
        assertThat(groupNames()).containsExactly("public");
        assertThat(TenancySteps.eventCount(publicId)).isEqualTo(events);
    }

    // --- delete --------------------------------------------------------------------------------------------

    @Test
    void given_an_empty_group_when_deleted_then_200_it_is_404_and_its_name_is_free_again() {
        String id = create("sales").data().path("id").asText();

        Http.Response deleted = as(alice).delete("/api/v1/groups/" + id);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.data().path("id").asText()).isEqualTo(id);
        Http.Response read = as(alice).get("/api/v1/groups/" + id);
        assertThat(read.status()).as(read.toString()).isEqualTo(404);
        assertThat(groupNames()).containsExactly("public");
        assertThat(as(alice).delete("/api/v1/groups/" + id).status()).isEqualTo(404);
        assertThat(create("sales").status()).isEqualTo(201);
        Http.Response history = as(alice).get("/api/v1/groups/" + publicGroupId() + "/history");
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
    }

    // --- time travel -----------------------------------------------------------------------------------------

    @Test
    void given_groups_created_renamed_and_deleted_when_listing_as_of_each_instant_then_the_groups_of_that_instant() {
        Instant onlyPublic = TenancySteps.instantBetweenEvents();
        String sales = create("sales").data().path("id").asText();
        Instant withSales = TenancySteps.instantBetweenEvents();
        as(alice).patch("/api/v1/groups/" + sales, Http.json("name", "revenue"));
        Instant renamed = TenancySteps.instantBetweenEvents();
        as(alice).delete("/api/v1/groups/" + sales);
        Instant deleted = TenancySteps.instantBetweenEvents();

        assertThat(namesAsOf(onlyPublic)).containsExactly("public");
        assertThat(namesAsOf(withSales)).containsExactly("public", "sales");
        assertThat(namesAsOf(renamed)).containsExactly("public", "revenue");
        assertThat(namesAsOf(deleted)).containsExactly("public");
        Http.Response list = as(alice).get("/api/v1/groups?project_id=" + project + "&as_of=" + withSales);
        assertThat(list.body().path("meta").path("as_of").asText()).isNotBlank();
        assertThat(Instant.parse(list.body().path("meta").path("as_of").asText())).isEqualTo(withSales);
        Http.Response malformed = as(alice).get("/api/v1/groups?project_id=" + project + "&as_of=yesterday");
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
        assertThat(malformed.body().path("error").path("details").has("as_of")).isTrue();
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private Http as(Account account) {
        return http.bearer(account.accessToken());
    }

    private Http.Response create(String name) {
        return as(alice).post("/api/v1/groups", Http.json("project_id", project, "name", name));
    }

    private java.util.List<String> groupNames() {
        Http.Response list = as(alice).get("/api/v1/groups?project_id=" + project);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.data().findValuesAsText("name");
    }

    private java.util.List<String> namesAsOf(Instant at) {
        Http.Response list = as(alice).get("/api/v1/groups?project_id=" + project + "&as_of=" + at);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.data().findValuesAsText("name");
    }

    private String publicGroupId() {
        for (JsonNode group : as(alice).get("/api/v1/groups?project_id=" + project).data()) {
            if (group.path("name").asText().equals("public")) {
                return group.path("id").asText();
            }
        }
        throw new AssertionError("no public group");
    }
}
