package dev.baserdb.api.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TenancySteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Projects and their service keys over real HTTP (API.md §5). */
@ApiTest
class ProjectHttpTest {

    @LocalServerPort
    int port;

    Http http;
    Accounts accounts;
    TenancySteps tenancy;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new TenancySteps(http);
    }

    // --- create -------------------------------------------------------------------------------------

    @Test
    void given_an_organization_when_creating_a_project_then_201_with_the_service_key_shown_only_once() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        Http.Response created = http.bearer(alice.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Shop", "slug", "shop"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("ETag")).matches("\"\\d+\"");
        JsonNode project = created.data();
        String id = project.path("id").asText();
        String serviceKey = project.path("service_key").asText();
        assertThat(id).startsWith("prj_");
        assertThat(project.path("organization_id").asText()).isEqualTo(org);
        assertThat(project.path("name").asText()).isEqualTo("Shop");
        assertThat(project.path("slug").asText()).isEqualTo("shop");
        assertThat(serviceKey).startsWith("bdb_sk_").hasSizeGreaterThan("bdb_sk_".length() + 30);

        Http.Response read = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id);
        Http.Response list = http.bearer(alice.accessToken()).get("/api/v1/projects?organization_id=" + org);
        Http.Response history = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id + "/history");

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.data().has("service_key")).isFalse();
        assertThat(read.text()).doesNotContain(serviceKey).doesNotContain(sha256(serviceKey));
        assertThat(read.header("ETag")).isEqualTo(created.header("ETag"));
        assertThat(list.data().get(0).has("service_key")).isFalse();
        assertThat(list.text()).doesNotContain(serviceKey).doesNotContain(sha256(serviceKey));
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        JsonNode createdEvent = history.data().get(0);
        assertThat(createdEvent.path("type").asText()).isEqualTo("project.created");
        assertThat(createdEvent.path("payload").path("service_key_hash").asText()).isEqualTo("[redacted]");
        assertThat(createdEvent.path("payload").path("name").asText()).isEqualTo("Shop");
        assertThat(history.text()).doesNotContain(serviceKey).doesNotContain(sha256(serviceKey));
    }

    @Test
    void given_no_slug_when_creating_a_project_then_the_slug_is_made_from_the_name() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        JsonNode project = tenancy.project(alice, org, "  My First Project!  ");
        JsonNode short_ = tenancy.project(alice, org, "X");

        assertThat(project.path("slug").asText()).isEqualTo("my-first-project");
        assertThat(project.path("name").asText()).isEqualTo("My First Project!");
        assertThat(short_.path("slug").asText()).matches("^[a-z0-9][a-z0-9-]{1,62}$");
    }

    @Test
    void given_a_slug_taken_in_the_organization_when_creating_then_409_but_another_organization_may_use_it() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String other = tenancy.organization(alice).path("id").asText();
        tenancy.project(alice, org, "Billing");

        Http.Response sameName = http.bearer(alice.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Billing"));
        Http.Response sameSlug = http.bearer(alice.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Something else", "slug", "billing"));
        Http.Response elsewhere = http.bearer(alice.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", other, "name", "Billing"));

        assertThat(sameName.status()).as(sameName.toString()).isEqualTo(409);
        assertThat(sameName.errorCode()).isEqualTo("CONFLICT");
        assertThat(sameSlug.status()).as(sameSlug.toString()).isEqualTo(409);
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(201);
        assertThat(elsewhere.data().path("slug").asText()).isEqualTo("billing");
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/projects?organization_id=" + org).data())
                .hasSize(1);
    }

    @Test
    void given_invalid_input_when_creating_a_project_then_400_naming_the_fields() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();

        Http.Response missing = http.bearer(alice.accessToken()).post("/api/v1/projects", Http.json());
        Http.Response badSlug = http.bearer(alice.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Bad", "slug", "Not A Slug"));

        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.body().path("error").path("details").has("organization_id")).isTrue();
        assertThat(missing.body().path("error").path("details").has("name")).isTrue();
        assertThat(badSlug.status()).as(badSlug.toString()).isEqualTo(400);
        assertThat(badSlug.body().path("error").path("details").has("slug")).isTrue();
    }

    @Test
    void given_a_viewer_or_a_stranger_when_creating_a_project_then_403_or_404() {
        Account alice = accounts.anAccount();
        Account viewer = accounts.anAccount();
        Account stranger = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, viewer, "viewer");

        Http.Response asViewer = http.bearer(viewer.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Nope"));
        Http.Response asStranger = http.bearer(stranger.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Nope"));

        assertThat(asViewer.status()).as(asViewer.toString()).isEqualTo(403);
        assertThat(asStranger.status()).as(asStranger.toString()).isEqualTo(404);
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/projects?organization_id=" + org).data()).isEmpty();
    }

    @Test
    void given_a_new_project_then_it_has_the_group_public() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String project = tenancy.project(alice, org, "Grouped").path("id").asText();

        Http.Response groups = http.bearer(alice.accessToken()).get("/api/v1/groups?project_id=" + project);

        assertThat(groups.status()).as(groups.toString()).isEqualTo(200);
        assertThat(groups.data()).hasSize(1);
        assertThat(groups.data().get(0).path("name").asText()).isEqualTo("public");
        assertThat(groups.data().get(0).path("id").asText()).startsWith("grp_");
        assertThat(groups.data().get(0).path("project_id").asText()).isEqualTo(project);
    }

    // --- list and read --------------------------------------------------------------------------------

    @Test
    void given_projects_in_two_organizations_when_listing_by_organization_id_then_only_that_organizations() {
        Account alice = accounts.anAccount();
        Account stranger = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String other = tenancy.organization(alice).path("id").asText();
        String a = tenancy.project(alice, org, "Alpha").path("id").asText();
        String b = tenancy.project(alice, org, "Beta").path("id").asText();
        String c = tenancy.project(alice, other, "Gamma").path("id").asText();

        Http.Response inOrg = http.bearer(alice.accessToken()).get("/api/v1/projects?organization_id=" + org);
        Http.Response firstPage = http.bearer(alice.accessToken())
                .get("/api/v1/projects?organization_id=" + org + "&limit=1");
        Http.Response all = http.bearer(alice.accessToken()).get("/api/v1/projects");
        Http.Response asStranger = http.bearer(stranger.accessToken()).get("/api/v1/projects?organization_id=" + org);
        Http.Response strangersOwn = http.bearer(stranger.accessToken()).get("/api/v1/projects");

        assertThat(inOrg.status()).as(inOrg.toString()).isEqualTo(200);
        assertThat(inOrg.data().findValuesAsText("id")).containsExactly(a, b);
        assertThat(inOrg.body().path("meta").path("page").path("total").asInt()).isEqualTo(2);
        assertThat(inOrg.header("X-Total-Count")).isEqualTo("2");
        assertThat(firstPage.data().findValuesAsText("id")).containsExactly(a);
        assertThat(firstPage.header("Link")).contains("rel=\"next\"").contains("offset=1");
        assertThat(all.data().findValuesAsText("id")).containsExactlyInAnyOrder(a, b, c);
        assertThat(asStranger.status()).as(asStranger.toString()).isEqualTo(404);
        assertThat(strangersOwn.data()).isEmpty();
    }

    @Test
    void given_a_project_when_a_stranger_reads_it_then_404() {
        Account alice = accounts.anAccount();
        Account stranger = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String project = tenancy.project(alice, org, "Private").path("id").asText();

        Http.Response response = http.bearer(stranger.accessToken()).get("/api/v1/projects/" + project);

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(http.bearer(stranger.accessToken()).get("/api/v1/projects/" + project + "/history").status())
                .isEqualTo(404);
    }

    // --- rename ----------------------------------------------------------------------------------------------

    @Test
    void given_the_current_etag_when_renaming_then_200_and_a_stale_etag_is_412_with_nothing_changed() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String id = tenancy.project(alice, org, "Before").path("id").asText();
        String etag = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id).header("ETag");

        Http.Response renamed = http.bearer(alice.accessToken()).with("If-Match", etag)
                .patch("/api/v1/projects/" + id, Http.json("name", "After"));
        int events = TenancySteps.eventCount(id);
        Http.Response stale = http.bearer(alice.accessToken()).with("If-Match", etag)
                .patch("/api/v1/projects/" + id, Http.json("name", "Too Late"));

        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.data().path("name").asText()).isEqualTo("After");
        assertThat(renamed.data().path("slug").asText()).as("the slug stays").isEqualTo("before");
        assertThat(renamed.data().has("service_key")).isFalse();
        assertThat(renamed.header("ETag")).isNotEqualTo(etag);
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(stale.errorCode()).isEqualTo("PRECONDITION_FAILED");
        Http.Response read = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id);
        assertThat(read.data().path("name").asText()).isEqualTo("After");
        assertThat(read.header("ETag")).isEqualTo(renamed.header("ETag"));
        assertThat(TenancySteps.eventCount(id)).isEqualTo(events);
    }

    @Test
    void given_the_current_etag_when_reading_with_if_none_match_then_304() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String id = tenancy.project(alice, org, "Cached").path("id").asText();
        String etag = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id).header("ETag");

        Http.Response response = http.bearer(alice.accessToken()).with("If-None-Match", etag)
                .get("/api/v1/projects/" + id);

        assertThat(response.status()).as(response.toString()).isEqualTo(304);
    }

    // --- service keys --------------------------------------------------------------------------------------

    @Test
    void given_a_rotated_service_key_then_the_old_key_is_401_at_once_and_the_new_one_works() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        JsonNode project = tenancy.project(alice, org, "Keys");
        String id = project.path("id").asText();
        String oldKey = project.path("service_key").asText();
        assertThat(http.with("X-API-Key", oldKey).get("/api/v1/projects/" + id).status()).isEqualTo(200);
        assertThat(http.bearer(oldKey).get("/api/v1/projects/" + id).status()).isEqualTo(200);

        Http.Response rotated = http.bearer(alice.accessToken()).post("/api/v1/projects/" + id + "/rotate-service-key", null);

        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newKey = rotated.data().path("service_key").asText();
        assertThat(newKey).startsWith("bdb_sk_").isNotEqualTo(oldKey);
        Http.Response withOld = http.with("X-API-Key", oldKey).get("/api/v1/projects/" + id);
        assertThat(withOld.status()).as(withOld.toString()).isEqualTo(401);
        assertThat(withOld.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(http.bearer(oldKey).get("/api/v1/projects/" + id).status()).isEqualTo(401);
        Http.Response withNew = http.with("X-API-Key", newKey).get("/api/v1/projects/" + id);
        assertThat(withNew.status()).as(withNew.toString()).isEqualTo(200);
        assertThat(withNew.data().path("id").asText()).isEqualTo(id);

        Http.Response history = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id + "/history");
        JsonNode rotation = history.data().get(history.data().size() - 1);
        assertThat(rotation.path("type").asText()).isEqualTo("project.service_key_rotated");
        assertThat(rotation.path("payload").path("service_key_hash").asText()).isEqualTo("[redacted]");
        assertThat(history.text()).doesNotContain(newKey).doesNotContain(sha256(newKey));
    }

    @Test
    void given_a_service_key_then_it_sees_only_its_own_project_and_may_not_rotate_itself() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        JsonNode project = tenancy.project(alice, org, "Mine");
        String other = tenancy.project(alice, org, "Other").path("id").asText();
        Http asKey = http.with("X-API-Key", project.path("service_key").asText());

        Http.Response list = asKey.get("/api/v1/projects");
        Http.Response otherProject = asKey.get("/api/v1/projects/" + other);
        Http.Response rotate = asKey.post("/api/v1/projects/" + project.path("id").asText() + "/rotate-service-key", null);

        assertThat(list.data().findValuesAsText("id")).containsExactly(project.path("id").asText());
        assertThat(otherProject.status()).as(otherProject.toString()).isEqualTo(404);
        assertThat(rotate.status()).as(rotate.toString()).isEqualTo(403);
    }

    @Test
    void given_a_developer_when_rotating_or_deleting_then_403() {
        Account alice = accounts.anAccount();
        Account dev = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, org, dev, "developer");
        JsonNode project = tenancy.project(alice, org, "Guarded");
        String id = project.path("id").asText();

        Http.Response rotate = http.bearer(dev.accessToken()).post("/api/v1/projects/" + id + "/rotate-service-key", null);
        Http.Response delete = http.bearer(dev.accessToken()).delete("/api/v1/projects/" + id);

        assertThat(rotate.status()).as(rotate.toString()).isEqualTo(403);
        assertThat(delete.status()).as(delete.toString()).isEqualTo(403);
        assertThat(http.with("X-API-Key", project.path("service_key").asText()).get("/api/v1/projects/" + id).status())
                .isEqualTo(200);
    }

    // --- delete ----------------------------------------------------------------------------------------------

    @Test
    void given_a_deleted_project_then_it_is_404_its_key_is_dead_and_its_history_remains_for_the_owner() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        JsonNode project = tenancy.project(alice, org, "Doomed");
        String id = project.path("id").asText();
        String key = project.path("service_key").asText();
        http.bearer(alice.accessToken()).patch("/api/v1/projects/" + id, Http.json("name", "Still Doomed"));

        Http.Response deleted = http.bearer(alice.accessToken()).delete("/api/v1/projects/" + id);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.data().path("id").asText()).isEqualTo(id);
        Http.Response read = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id);
        assertThat(read.status()).as(read.toString()).isEqualTo(404);
        assertThat(read.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/projects?organization_id=" + org).data()).isEmpty();
        assertThat(http.with("X-API-Key", key).get("/api/v1/projects/" + id).status()).isEqualTo(401);
        assertThat(http.bearer(alice.accessToken()).patch("/api/v1/projects/" + id, Http.json("name", "Zombie"))
                .status()).isEqualTo(404);
        assertThat(http.bearer(alice.accessToken()).delete("/api/v1/projects/" + id).status()).isEqualTo(404);
        assertThat(http.bearer(alice.accessToken()).get("/api/v1/groups?project_id=" + id).status()).isEqualTo(404);

        Http.Response history = http.bearer(alice.accessToken()).get("/api/v1/projects/" + id + "/history");
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        assertThat(history.data()).extracting(event -> event.path("type").asText())
                .containsExactly("project.created", "project.renamed", "project.deleted");
        Account stranger = accounts.anAccount();
        assertThat(http.bearer(stranger.accessToken()).get("/api/v1/projects/" + id + "/history").status())
                .isEqualTo(404);
    }

    @Test
    void given_a_deleted_project_then_its_slug_can_be_used_again() {
        Account alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        String id = tenancy.project(alice, org, "Reused").path("id").asText();
        http.bearer(alice.accessToken()).delete("/api/v1/projects/" + id);

        Http.Response again = http.bearer(alice.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", org, "name", "Reused"));

        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.data().path("id").asText()).isNotEqualTo(id);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
