package dev.baserdb.api.organization;

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

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Organizations over real HTTP (API.md §4, with the conventions of §1). */
@ApiTest
class OrganizationHttpTest {

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

    // --- create ----------------------------------------------------------------------------------

    @Test
    void given_a_user_when_creating_an_organization_then_201_with_etag_and_the_creator_is_its_owner() {
        Account alice = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("acme");

        Http.Response created = http.bearer(alice.accessToken())
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "  Acme Corp  "));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("success").asBoolean()).isTrue();
        JsonNode org = created.data();
        assertThat(org.path("id").asText()).startsWith("org_");
        assertThat(org.path("slug").asText()).isEqualTo(slug);
        assertThat(org.path("name").asText()).isEqualTo("Acme Corp");
        assertThat(org.path("status").asText()).isEqualTo("active");
        assertThat(org.path("created_by").asText()).isEqualTo(alice.userId());
        assertThat(org.path("created_at").asText()).isNotBlank();
        assertThat(created.header("ETag")).matches("\"\\d+\"");

        Http.Response members = http.bearer(alice.accessToken()).get("/api/v1/organizations/" + org.path("id").asText() + "/members");
        assertThat(members.status()).as(members.toString()).isEqualTo(200);
        assertThat(members.data()).hasSize(1);
        assertThat(members.data().get(0).path("user_id").asText()).isEqualTo(alice.userId());
        assertThat(members.data().get(0).path("role").asText()).isEqualTo("owner");

        Http.Response me = http.bearer(alice.accessToken()).get("/api/v1/auth/me");
        assertThat(me.data().path("memberships").findValuesAsText("organization_id")).contains(org.path("id").asText());
        assertThat(me.data().path("memberships").get(0).path("role").asText()).isEqualTo("owner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme", "a", "-acme", "acme corp", "acme_corp", "ac.me", ""})
    void given_an_invalid_slug_when_creating_then_400_VALIDATION_FAILED_with_details_slug(String slug) {
        Account alice = accounts.anAccount();

        Http.Response response = http.bearer(alice.accessToken())
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "Acme"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("slug").asText()).isNotBlank();
    }

    @Test
    void given_a_slug_of_64_characters_when_creating_then_400_and_63_characters_are_accepted() {
        Account alice = accounts.anAccount();
        String base = TenancySteps.uniqueSlug("s");

        Http.Response tooLong = http.bearer(alice.accessToken()).post("/api/v1/organizations",
                Http.json("slug", base + "x".repeat(64 - base.length()), "name", "Long"));
        Http.Response longest = http.bearer(alice.accessToken()).post("/api/v1/organizations",
                Http.json("slug", base + "x".repeat(63 - base.length()), "name", "Long"));

        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        assertThat(tooLong.body().path("error").path("details").has("slug")).isTrue();
        assertThat(longest.status()).as(longest.toString()).isEqualTo(201);
    }

    @Test
    void given_a_taken_slug_when_another_user_creates_an_organization_with_it_then_409_CONFLICT() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("taken");
        tenancy.organization(alice, slug, "First");

        Http.Response response = http.bearer(bob.accessToken())
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "Second"));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo("CONFLICT");
        assertThat(Http.JSON.valueToTree(myOrganizations(bob)).findValuesAsText("slug")).doesNotContain(slug);
    }

    @Test
    void given_no_credentials_when_creating_an_organization_then_401() {
        Http.Response response = http.post("/api/v1/organizations",
                Http.json("slug", TenancySteps.uniqueSlug("anon"), "name", "Anon"));

        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    // --- malformed requests ----------------------------------------------------------------------

    @Test
    void given_malformed_json_when_creating_then_400_BAD_REQUEST() {
        Account alice = accounts.anAccount();

        Http.Response response = http.bearer(alice.accessToken())
                .send("POST", "/api/v1/organizations", "{\"slug\": \"acme\", \"name\": ", "application/json");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void given_a_field_of_the_wrong_type_when_creating_then_400_VALIDATION_FAILED_naming_the_field() {
        Account alice = accounts.anAccount();

        Http.Response response = http.bearer(alice.accessToken()).send("POST", "/api/v1/organizations",
                "{\"slug\": \"" + TenancySteps.uniqueSlug("typed") + "\", \"name\": [\"Acme\"]}", "application/json");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("name").asText()).isNotBlank();
    }

    @Test
    void given_missing_fields_when_creating_then_400_VALIDATION_FAILED_with_each_field_in_details() {
        Account alice = accounts.anAccount();

        Http.Response response = http.bearer(alice.accessToken()).post("/api/v1/organizations", Http.json());

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        JsonNode details = response.body().path("error").path("details");
        assertThat(details.has("slug")).as(details.toString()).isTrue();
        assertThat(details.has("name")).as(details.toString()).isTrue();
    }

    @Test
    void given_a_blank_name_when_renaming_then_400_VALIDATION_FAILED_and_the_name_is_unchanged() {
        Account alice = accounts.anAccount();
        String id = tenancy.organization(alice, TenancySteps.uniqueSlug("blank"), "Kept").path("id").asText();

        Http.Response response = http.bearer(alice.accessToken())
                .patch("/api/v1/organizations/" + id, Http.json("name", "   "));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").has("name")).isTrue();
        assertThat(get(alice, id).data().path("name").asText()).isEqualTo("Kept");
    }

    @Test
    void given_a_body_that_is_not_json_when_creating_then_415_UNSUPPORTED_MEDIA_TYPE() {
        Account alice = accounts.anAccount();

        Http.Response response = http.bearer(alice.accessToken())
                .send("POST", "/api/v1/organizations", "slug=acme&name=Acme", "application/x-www-form-urlencoded");

        assertThat(response.status()).as(response.toString()).isEqualTo(415);
        assertThat(response.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    // --- list --------------------------------------------------------------------------------------

    @Test
    void given_three_organizations_when_listing_mine_with_a_limit_then_pages_with_meta_total_count_and_link_next() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(tenancy.organization(alice, TenancySteps.uniqueSlug("page" + i), "Org " + i).path("id").asText());
        }
        tenancy.organization(bob);

        Http.Response first = http.bearer(alice.accessToken()).get("/api/v1/organizations?limit=2");

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.data().findValuesAsText("id")).containsExactly(created.get(0), created.get(1));
        JsonNode page = first.body().path("meta").path("page");
        assertThat(page.path("limit").asInt()).isEqualTo(2);
        assertThat(page.path("offset").asInt()).isEqualTo(0);
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(first.header("X-Total-Count")).isEqualTo("3");
        String link = first.header("Link");
        assertThat(link).contains("rel=\"next\"").contains("offset=2").contains("limit=2");

        String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        Http.Response second = http.bearer(alice.accessToken()).get(next.substring(next.indexOf("/api/")));

        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.data().findValuesAsText("id")).containsExactly(created.get(2));
        assertThat(second.body().path("meta").path("page").path("offset").asInt()).isEqualTo(2);
        assertThat(second.body().path("meta").path("page").path("has_more").asBoolean()).isFalse();
        assertThat(second.header("Link")).isNull();
        assertThat(second.header("X-Total-Count")).isEqualTo("3");
    }

    @Test
    void given_a_user_in_no_organization_when_listing_then_an_empty_page() {
        Account loner = accounts.anAccount();

        Http.Response response = http.bearer(loner.accessToken()).get("/api/v1/organizations");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().isArray()).isTrue();
        assertThat(response.data()).isEmpty();
        assertThat(response.body().path("meta").path("page").path("total").asInt()).isZero();
        assertThat(response.header("X-Total-Count")).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=-1", "offset=-1", "limit=abc"})
    void given_an_invalid_page_parameter_when_listing_then_400_VALIDATION_FAILED(String query) {
        Account alice = accounts.anAccount();

        Http.Response response = http.bearer(alice.accessToken()).get("/api/v1/organizations?" + query);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    // --- get ----------------------------------------------------------------------------------------

    @Test
    void given_an_organization_when_its_member_reads_it_then_200_with_the_etag_of_its_version() {
        Account alice = accounts.anAccount();
        Http.Response created = http.bearer(alice.accessToken()).post("/api/v1/organizations",
                Http.json("slug", TenancySteps.uniqueSlug("read"), "name", "Readable"));
        String id = created.data().path("id").asText();

        Http.Response response = get(alice, id);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("id").asText()).isEqualTo(id);
        assertThat(response.data().path("name").asText()).isEqualTo("Readable");
        assertThat(response.header("ETag")).isEqualTo(created.header("ETag"));
        assertThat(response.body().path("meta").has("as_of")).isFalse();
    }

    @Test
    void given_an_organization_when_a_non_member_or_nobody_reads_it_then_404_and_401() {
        Account alice = accounts.anAccount();
        Account stranger = accounts.anAccount();
        String id = tenancy.organization(alice).path("id").asText();

        Http.Response asStranger = get(stranger, id);
        Http.Response anonymous = http.get("/api/v1/organizations/" + id);
        Http.Response unknown = get(alice, "org_does_not_exist");

        assertThat(asStranger.status()).as(asStranger.toString()).isEqualTo(404);
        assertThat(asStranger.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
    }

    @Test
    void given_the_current_etag_when_reading_with_if_none_match_then_304_and_an_older_etag_gets_200() {
        Account alice = accounts.anAccount();
        String id = tenancy.organization(alice).path("id").asText();
        String before = get(alice, id).header("ETag");
        Http.Response renamed = http.bearer(alice.accessToken()).patch("/api/v1/organizations/" + id,
                Http.json("name", "Changed"));
        String current = renamed.header("ETag");

        Http.Response notModified = http.bearer(alice.accessToken()).with("If-None-Match", current)
                .get("/api/v1/organizations/" + id);
        Http.Response modified = http.bearer(alice.accessToken()).with("If-None-Match", before)
                .get("/api/v1/organizations/" + id);

        assertThat(notModified.status()).as(notModified.toString()).isEqualTo(304);
        assertThat(notModified.text()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(current);
        assertThat(modified.status()).as(modified.toString()).isEqualTo(200);
        assertThat(modified.data().path("name").asText()).isEqualTo("Changed");
    }

    // --- rename -------------------------------------------------------------------------------------

    @Test
    void given_the_current_etag_when_renaming_with_if_match_then_200_the_new_name_and_a_new_etag() {
        Account alice = accounts.anAccount();
        String id = tenancy.organization(alice, TenancySteps.uniqueSlug("ren"), "Old Name").path("id").asText();
        String etag = get(alice, id).header("ETag");

        Http.Response renamed = http.bearer(alice.accessToken()).with("If-Match", etag)
                .patch("/api/v1/organizations/" + id, Http.json("name", "New Name"));

        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.data().path("name").asText()).isEqualTo("New Name");
        assertThat(renamed.header("ETag")).matches("\"\\d+\"").isNotEqualTo(etag);
        Http.Response read = get(alice, id);
        assertThat(read.data().path("name").asText()).isEqualTo("New Name");
        assertThat(read.header("ETag")).isEqualTo(renamed.header("ETag"));
    }

    @Test
    void given_a_stale_etag_when_renaming_with_if_match_then_412_and_nothing_changes() {
        Account alice = accounts.anAccount();
        String id = tenancy.organization(alice, TenancySteps.uniqueSlug("stale"), "First").path("id").asText();
        String stale = get(alice, id).header("ETag");
        Http.Response second = http.bearer(alice.accessToken()).with("If-Match", stale)
                .patch("/api/v1/organizations/" + id, Http.json("name", "Second"));
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        int events = TenancySteps.eventCount(id);

        Http.Response conflicting = http.bearer(alice.accessToken()).with("If-Match", stale)
                .patch("/api/v1/organizations/" + id, Http.json("name", "Third"));

        assertThat(conflicting.status()).as(conflicting.toString()).isEqualTo(412);
        assertThat(conflicting.errorCode()).isEqualTo("PRECONDITION_FAILED");
        Http.Response read = get(alice, id);
        assertThat(read.data().path("name").asText()).isEqualTo("Second");
        assertThat(read.header("ETag")).isEqualTo(second.header("ETag"));
        assertThat(TenancySteps.eventCount(id)).isEqualTo(events);
        assertThat(TenancySteps.eventCount(id, "OrganizationRenamed")).isEqualTo(1);
    }

    @Test
    void given_a_viewer_when_renaming_then_403_FORBIDDEN() {
        Account alice = accounts.anAccount();
        Account viewer = accounts.anAccount();
        String id = tenancy.organization(alice, TenancySteps.uniqueSlug("view"), "Kept").path("id").asText();
        tenancy.addMember(alice, id, viewer, "viewer");

        Http.Response response = http.bearer(viewer.accessToken())
                .patch("/api/v1/organizations/" + id, Http.json("name", "Hijacked"));

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(get(alice, id).data().path("name").asText()).isEqualTo("Kept");
    }

    // --- archive ------------------------------------------------------------------------------------

    @Test
    void given_an_archived_organization_then_writes_are_409_it_leaves_my_list_and_stays_readable() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String id = tenancy.organization(alice, TenancySteps.uniqueSlug("arch"), "Archived Co").path("id").asText();
        String kept = tenancy.organization(alice).path("id").asText();

        Http.Response archived = http.bearer(alice.accessToken()).delete("/api/v1/organizations/" + id);

        assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
        assertThat(archived.data().path("status").asText()).isEqualTo("archived");
        assertThat(archived.data().path("archived_at").asText()).isNotBlank();

        Http.Response rename = http.bearer(alice.accessToken())
                .patch("/api/v1/organizations/" + id, Http.json("name", "Revived"));
        Http.Response addMember = http.bearer(alice.accessToken()).post("/api/v1/organizations/" + id + "/members",
                Http.json("email", bob.email(), "role", "viewer"));
        Http.Response project = http.bearer(alice.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", id, "name", "Late"));
        Http.Response archiveAgain = http.bearer(alice.accessToken()).delete("/api/v1/organizations/" + id);
        assertThat(rename.status()).as(rename.toString()).isEqualTo(409);
        assertThat(rename.errorCode()).isEqualTo("CONFLICT");
        assertThat(addMember.status()).as(addMember.toString()).isEqualTo(409);
        assertThat(project.status()).as(project.toString()).isEqualTo(409);
        assertThat(archiveAgain.status()).as(archiveAgain.toString()).isEqualTo(409);

        assertThat(Http.JSON.valueToTree(myOrganizations(alice)).findValuesAsText("id")).containsExactly(kept);
        Http.Response read = get(alice, id);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.data().path("name").asText()).isEqualTo("Archived Co");
        assertThat(read.data().path("status").asText()).isEqualTo("archived");
    }

    @Test
    void given_an_admin_when_archiving_then_403_FORBIDDEN_only_the_owner_may() {
        Account alice = accounts.anAccount();
        Account admin = accounts.anAccount();
        String id = tenancy.organization(alice).path("id").asText();
        tenancy.addMember(alice, id, admin, "admin");

        Http.Response response = http.bearer(admin.accessToken()).delete("/api/v1/organizations/" + id);

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(get(alice, id).data().path("status").asText()).isEqualTo("active");
    }

    private Http.Response get(Account account, String id) {
        return http.bearer(account.accessToken()).get("/api/v1/organizations/" + id);
    }

    private List<JsonNode> myOrganizations(Account account) {
        Http.Response response = http.bearer(account.accessToken()).get("/api/v1/organizations?limit=200");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.data().forEach(items::add);
        return items;
    }
}
