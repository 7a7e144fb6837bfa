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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time travel (API.md §1): {@code as_of} on organizations, members, projects and groups answers
 * with exactly the state at that instant, and {@code …/history} lists every event in order with
 * its actor and the {@code X-Request-ID} of the request that caused it.
 * <p>
 * Read models keep instants to the millisecond, so each recorded instant is taken with
 * {@link TenancySteps#instantBetweenEvents()}: every earlier event is at or before it, every later one
 * strictly after it.
 */
@ApiTest
class TimeTravelHttpTest {

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

    // --- organizations and members ------------------------------------------------------------------

    @Test
    void given_an_organization_renamed_twice_with_a_member_added_and_removed_then_as_of_and_history_tell_each_step() {
        Account alice = accounts.anAccount();
        Account bob = accounts.anAccount();
        String slug = TenancySteps.uniqueSlug("travel");
        Steps steps = new Steps();

        Instant beforeCreation = TenancySteps.instantBetweenEvents();
        Http.Response created = as(alice, steps.next("create"))
                .post("/api/v1/organizations", Http.json("slug", slug, "name", "First Name"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.data().path("id").asText();
        Instant afterCreation = TenancySteps.instantBetweenEvents();
        assertThat(as(alice, steps.next("rename-1")).patch(org(id), Http.json("name", "Second Name")).status())
                .isEqualTo(200);
        Instant afterFirstRename = TenancySteps.instantBetweenEvents();
        assertThat(as(alice, steps.next("rename-2")).patch(org(id), Http.json("name", "Third Name")).status())
                .isEqualTo(200);
        Instant afterSecondRename = TenancySteps.instantBetweenEvents();
        Http.Response invited = as(alice, steps.next("invite-member"))
                .post(org(id) + "/members", Http.json("email", bob.email(), "role", "developer"));
        assertThat(invited.status()).as(invited.toString()).isEqualTo(202);
        Instant afterInviting = TenancySteps.instantBetweenEvents();
        Http.Response accepted = as(bob, steps.next("accept-invitation"))
                .post("/api/v1/auth/invitations/" + invited.data().path("invitation_id").asText() + "/accept", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        Instant afterAdding = TenancySteps.instantBetweenEvents();
        assertThat(as(alice, steps.next("remove-member")).delete(org(id) + "/members/" + bob.userId()).status())
                .isEqualTo(200);
        Instant afterRemoving = TenancySteps.instantBetweenEvents();

        // the organization as of each instant
        Http.Response notYet = readOrganization(alice, id, beforeCreation);
        assertThat(notYet.status()).as(notYet.toString()).isEqualTo(404);
        assertThat(notYet.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(nameAsOf(alice, id, afterCreation)).isEqualTo("First Name");
        assertThat(nameAsOf(alice, id, afterFirstRename)).isEqualTo("Second Name");
        assertThat(nameAsOf(alice, id, afterSecondRename)).isEqualTo("Third Name");
        assertThat(nameAsOf(alice, id, afterAdding)).isEqualTo("Third Name");
        assertThat(nameAsOf(alice, id, afterRemoving)).isEqualTo("Third Name");
        Http.Response now = http.bearer(alice.accessToken()).get(org(id));
        assertThat(now.data().path("name").asText()).isEqualTo("Third Name");
        assertThat(now.body().path("meta").has("as_of")).isFalse();
        String plusTwoHours = afterFirstRename.atOffset(ZoneOffset.ofHours(2)).toString();
        Http.Response withOffset = http.bearer(alice.accessToken())
                .get(org(id) + "?as_of=" + URLEncoder.encode(plusTwoHours, StandardCharsets.UTF_8));
        assertThat(withOffset.data().path("name").asText()).as("the same instant with another offset")
                .isEqualTo("Second Name");

        // the members as of each instant
        Http.Response membersNotYet = http.bearer(alice.accessToken()).get(org(id) + "/members?as_of=" + beforeCreation);
        assertThat(membersNotYet.status()).as(membersNotYet.toString()).isEqualTo(404);
        assertThat(membersAsOf(alice, id, afterCreation)).containsExactly(alice.userId());
        assertThat(membersAsOf(alice, id, afterFirstRename)).containsExactly(alice.userId());
        assertThat(membersAsOf(alice, id, afterSecondRename)).containsExactly(alice.userId());
        assertThat(membersAsOf(alice, id, afterInviting)).as("invited is not yet a member").containsExactly(alice.userId());
        assertThat(membersAsOf(alice, id, afterAdding)).containsExactly(alice.userId(), bob.userId());
        assertThat(membersAsOf(alice, id, afterRemoving)).containsExactly(alice.userId());
        Http.Response membersThen = http.bearer(alice.accessToken()).get(org(id) + "/members?as_of=" + afterAdding);
        assertThat(Instant.parse(membersThen.body().path("meta").path("as_of").asText())).isEqualTo(afterAdding);
        assertThat(membersThen.body().path("meta").path("page").path("total").asInt()).isEqualTo(2);
        assertThat(membersThen.data().get(1).path("role").asText()).isEqualTo("developer");

        // the history, event by event
        Http.Response history = http.bearer(alice.accessToken()).get(org(id) + "/history");
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        List<JsonNode> events = list(history.data());
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly(
                "organization.created", "organization.member_added", "organization.renamed",
                "organization.renamed", "organization.member_invited", "organization.member_invitation_accepted",
                "organization.member_added", "organization.member_removed");
        assertThat(events).extracting(e -> e.path("sequence").asLong())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(events).extracting(e -> e.path("request_id").asText()).containsExactly(
                steps.id(0), steps.id(0), steps.id(1), steps.id(2), steps.id(3), steps.id(4), steps.id(4),
                steps.id(5));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("event_id").asText()).isNotBlank();
            assertThat(e.path("actor").path("type").asText()).isEqualTo("user");
        });
        assertThat(events).extracting(e -> e.path("actor").path("id").asText()).as("bob accepted, alice did the rest")
                .containsExactly(alice.userId(), alice.userId(), alice.userId(), alice.userId(), alice.userId(),
                        bob.userId(), bob.userId(), alice.userId());
        assertOccurredBetween(events.get(0), beforeCreation, afterCreation);
        assertOccurredBetween(events.get(1), beforeCreation, afterCreation);
        assertOccurredBetween(events.get(2), afterCreation, afterFirstRename);
        assertOccurredBetween(events.get(3), afterFirstRename, afterSecondRename);
        assertOccurredBetween(events.get(4), afterSecondRename, afterInviting);
        assertOccurredBetween(events.get(5), afterInviting, afterAdding);
        assertOccurredBetween(events.get(6), afterInviting, afterAdding);
        assertOccurredBetween(events.get(7), afterAdding, afterRemoving);
        assertThat(events.get(0).path("payload").path("slug").asText()).isEqualTo(slug);
        assertThat(events.get(2).path("payload").path("name").asText()).isEqualTo("Second Name");
        assertThat(events.get(2).path("payload").path("previous_name").asText()).isEqualTo("First Name");
        assertThat(events.get(4).path("payload").path("role").asText()).containsIgnoringCase("developer");
        assertThat(events.get(6).path("payload").path("role").asText()).containsIgnoringCase("developer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-13-01T00:00:00Z", "2026-11-22", "1700000000"})
    void given_a_malformed_as_of_when_reading_an_organization_or_its_members_then_400_with_details_as_of(String asOf) {
        Account alice = accounts.anAccount();
        String id = tenancy.organization(alice).path("id").asText();

        Http.Response organization = http.bearer(alice.accessToken()).get(org(id) + "?as_of=" + asOf);
        Http.Response members = http.bearer(alice.accessToken()).get(org(id) + "/members?as_of=" + asOf);
        Http.Response mine = http.bearer(alice.accessToken()).get("/api/v1/organizations?as_of=" + asOf);

        for (Http.Response response : List.of(organization, members, mine)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
            assertThat(response.body().path("error").path("details").has("as_of")).isTrue();
        }
    }

    @Test
    void given_an_instant_before_i_joined_when_listing_my_organizations_as_of_it_then_it_is_not_listed() {
        Account alice = accounts.anAccount();
        Instant before = TenancySteps.instantBetweenEvents();
        String id = tenancy.organization(alice).path("id").asText();
        Instant after = TenancySteps.instantBetweenEvents();

        Http.Response then = http.bearer(alice.accessToken()).get("/api/v1/organizations?as_of=" + before);
        Http.Response later = http.bearer(alice.accessToken()).get("/api/v1/organizations?as_of=" + after);

        assertThat(then.data()).isEmpty();
        assertThat(Instant.parse(then.body().path("meta").path("as_of").asText())).isEqualTo(before);
        assertThat(later.data().findValuesAsText("id")).containsExactly(id);
    }

    // --- projects -------------------------------------------------------------------------------------

    @Test
    void given_a_project_renamed_twice_then_as_of_each_instant_and_history_tell_each_step() {
        Account alice = accounts.anAccount();
        String orgId = tenancy.organization(alice).path("id").asText();
        Steps steps = new Steps();

        Instant beforeCreation = TenancySteps.instantBetweenEvents();
        Http.Response created = as(alice, steps.next("create-project"))
                .post("/api/v1/projects", Http.json("organization_id", orgId, "name", "Project One"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.data().path("id").asText();
        Instant afterCreation = TenancySteps.instantBetweenEvents();
        assertThat(as(alice, steps.next("rename-project-1")).patch(project(id), Http.json("name", "Project Two"))
                .status()).isEqualTo(200);
        Instant afterFirstRename = TenancySteps.instantBetweenEvents();
        assertThat(as(alice, steps.next("rename-project-2")).patch(project(id), Http.json("name", "Project Three"))
                .status()).isEqualTo(200);
        Instant afterSecondRename = TenancySteps.instantBetweenEvents();

        Http.Response notYet = http.bearer(alice.accessToken()).get(project(id) + "?as_of=" + beforeCreation);
        assertThat(notYet.status()).as(notYet.toString()).isEqualTo(404);
        assertThat(projectNameAsOf(alice, id, afterCreation)).isEqualTo("Project One");
        assertThat(projectNameAsOf(alice, id, afterFirstRename)).isEqualTo("Project Two");
        assertThat(projectNameAsOf(alice, id, afterSecondRename)).isEqualTo("Project Three");
        assertThat(http.bearer(alice.accessToken()).get(project(id)).data().path("name").asText())
                .isEqualTo("Project Three");
        Http.Response listBefore = http.bearer(alice.accessToken())
                .get("/api/v1/projects?organization_id=" + orgId + "&as_of=" + beforeCreation);
        Http.Response listBetween = http.bearer(alice.accessToken())
                .get("/api/v1/projects?organization_id=" + orgId + "&as_of=" + afterFirstRename);
        assertThat(listBefore.data()).isEmpty();
        assertThat(listBetween.data().findValuesAsText("name")).containsExactly("Project Two");
        assertThat(Instant.parse(listBetween.body().path("meta").path("as_of").asText())).isEqualTo(afterFirstRename);
        Http.Response malformed = http.bearer(alice.accessToken()).get(project(id) + "?as_of=soon");
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);

        Http.Response history = http.bearer(alice.accessToken()).get(project(id) + "/history");
        List<JsonNode> events = list(history.data());
        assertThat(events).extracting(e -> e.path("type").asText())
                .containsExactly("project.created", "project.renamed", "project.renamed");
        assertThat(events).extracting(e -> e.path("sequence").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(events).extracting(e -> e.path("request_id").asText())
                .containsExactly(steps.id(0), steps.id(1), steps.id(2));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("actor").path("type").asText()).isEqualTo("user");
            assertThat(e.path("actor").path("id").asText()).isEqualTo(alice.userId());
        });
        assertOccurredBetween(events.get(0), beforeCreation, afterCreation);
        assertOccurredBetween(events.get(1), afterCreation, afterFirstRename);
        assertOccurredBetween(events.get(2), afterFirstRename, afterSecondRename);
        assertThat(events.get(2).path("payload").path("name").asText()).isEqualTo("Project Three");
    }

    @Test
    void given_a_deleted_project_when_read_as_of_an_instant_before_its_deletion_then_the_state_at_that_instant() {
        Account alice = accounts.anAccount();
        String orgId = tenancy.organization(alice).path("id").asText();
        String id = tenancy.project(alice, orgId, "Gone Soon").path("id").asText();
        Instant beforeDeletion = TenancySteps.instantBetweenEvents();
        assertThat(http.bearer(alice.accessToken()).delete(project(id)).status()).isEqualTo(200);
        Instant afterDeletion = TenancySteps.instantBetweenEvents();

        Http.Response then = http.bearer(alice.accessToken()).get(project(id) + "?as_of=" + beforeDeletion);
        Http.Response gone = http.bearer(alice.accessToken()).get(project(id) + "?as_of=" + afterDeletion);
        Http.Response now = http.bearer(alice.accessToken()).get(project(id));
        Http.Response stranger = http.bearer(accounts.anAccount().accessToken())
                .get(project(id) + "?as_of=" + beforeDeletion);

        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(then.data().path("name").asText()).isEqualTo("Gone Soon");
        assertThat(Instant.parse(then.body().path("meta").path("as_of").asText())).isEqualTo(beforeDeletion);
        assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
        assertThat(now.status()).as(now.toString()).isEqualTo(404);
        assertThat(stranger.status()).as(stranger.toString()).isEqualTo(404);
        assertThat(http.bearer(alice.accessToken())
                .get("/api/v1/projects?organization_id=" + orgId + "&as_of=" + beforeDeletion)
                .data().findValuesAsText("id")).containsExactly(id);
    }

    // --- groups -----------------------------------------------------------------------------------------

    @Test
    void given_a_group_renamed_twice_then_as_of_each_instant_and_history_tell_each_step() {
        Account alice = accounts.anAccount();
        String orgId = tenancy.organization(alice).path("id").asText();
        String projectId = tenancy.project(alice, orgId, "With Groups").path("id").asText();
        Steps steps = new Steps();

        Instant beforeCreation = TenancySteps.instantBetweenEvents();
        Http.Response created = as(alice, steps.next("create-group"))
                .post("/api/v1/groups", Http.json("project_id", projectId, "name", "first"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.data().path("id").asText();
        Instant afterCreation = TenancySteps.instantBetweenEvents();
        assertThat(as(alice, steps.next("rename-group-1")).patch(group(id), Http.json("name", "second")).status())
                .isEqualTo(200);
        Instant afterFirstRename = TenancySteps.instantBetweenEvents();
        assertThat(as(alice, steps.next("rename-group-2")).patch(group(id), Http.json("name", "third")).status())
                .isEqualTo(200);
        Instant afterSecondRename = TenancySteps.instantBetweenEvents();

        Http.Response notYet = http.bearer(alice.accessToken()).get(group(id) + "?as_of=" + beforeCreation);
        assertThat(notYet.status()).as(notYet.toString()).isEqualTo(404);
        assertThat(groupNameAsOf(alice, id, afterCreation)).isEqualTo("first");
        assertThat(groupNameAsOf(alice, id, afterFirstRename)).isEqualTo("second");
        assertThat(groupNameAsOf(alice, id, afterSecondRename)).isEqualTo("third");
        Http.Response malformed = http.bearer(alice.accessToken()).get(group(id) + "?as_of=2026-02-30T00:00:00Z");
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);

        Http.Response history = http.bearer(alice.accessToken()).get(group(id) + "/history");
        List<JsonNode> events = list(history.data());
        assertThat(events).extracting(e -> e.path("type").asText())
                .containsExactly("group.created", "group.renamed", "group.renamed");
        assertThat(events).extracting(e -> e.path("sequence").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(events).extracting(e -> e.path("request_id").asText())
                .containsExactly(steps.id(0), steps.id(1), steps.id(2));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("actor").path("type").asText()).isEqualTo("user");
            assertThat(e.path("actor").path("id").asText()).isEqualTo(alice.userId());
        });
        assertOccurredBetween(events.get(0), beforeCreation, afterCreation);
        assertOccurredBetween(events.get(1), afterCreation, afterFirstRename);
        assertOccurredBetween(events.get(2), afterFirstRename, afterSecondRename);
    }

    @Test
    void given_a_deleted_group_then_its_past_states_and_its_history_stay_readable() {
        Account alice = accounts.anAccount();
        String orgId = tenancy.organization(alice).path("id").asText();
        String projectId = tenancy.project(alice, orgId, "Group Graveyard").path("id").asText();
        String id = http.bearer(alice.accessToken()).post("/api/v1/groups",
                Http.json("project_id", projectId, "name", "ephemeral")).data().path("id").asText();
        Instant beforeDeletion = TenancySteps.instantBetweenEvents();
        assertThat(http.bearer(alice.accessToken()).delete(group(id)).status()).isEqualTo(200);
        Instant afterDeletion = TenancySteps.instantBetweenEvents();

        Http.Response then = http.bearer(alice.accessToken()).get(group(id) + "?as_of=" + beforeDeletion);
        Http.Response gone = http.bearer(alice.accessToken()).get(group(id) + "?as_of=" + afterDeletion);
        Http.Response history = http.bearer(alice.accessToken()).get(group(id) + "/history");
        Http.Response stranger = http.bearer(accounts.anAccount().accessToken()).get(group(id) + "/history");

        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(then.data().path("name").asText()).isEqualTo("ephemeral");
        assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        assertThat(list(history.data())).extracting(e -> e.path("type").asText())
                .containsExactly("group.created", "group.deleted");
        assertThat(stranger.status()).as(stranger.toString()).isEqualTo(404);
    }

    // --- helpers ------------------------------------------------------------------------------------------

    /** The X-Request-ID of each step, unique to this test run. */
    private static final class Steps {
        private final String run = UUID.randomUUID().toString().substring(0, 8);
        private final List<String> ids = new ArrayList<>();

        String next(String name) {
            String id = "tt-" + run + "-" + ids.size() + "-" + name;
            ids.add(id);
            return id;
        }

        String id(int index) {
            return ids.get(index);
        }
    }

    private Http as(Account account, String requestId) {
        return http.bearer(account.accessToken()).with("X-Request-ID", requestId);
    }

    private static String org(String id) {
        return "/api/v1/organizations/" + id;
    }

    private static String project(String id) {
        return "/api/v1/projects/" + id;
    }

    private static String group(String id) {
        return "/api/v1/groups/" + id;
    }

    private Http.Response readOrganization(Account reader, String id, Instant asOf) {
        return http.bearer(reader.accessToken()).get(org(id) + "?as_of=" + asOf);
    }

    private String nameAsOf(Account reader, String id, Instant asOf) {
        return nameAsOf(readOrganization(reader, id, asOf), asOf);
    }

    private String projectNameAsOf(Account reader, String id, Instant asOf) {
        return nameAsOf(http.bearer(reader.accessToken()).get(project(id) + "?as_of=" + asOf), asOf);
    }

    private String groupNameAsOf(Account reader, String id, Instant asOf) {
        return nameAsOf(http.bearer(reader.accessToken()).get(group(id) + "?as_of=" + asOf), asOf);
    }

    private static String nameAsOf(Http.Response response, Instant asOf) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(Instant.parse(response.body().path("meta").path("as_of").asText())).isEqualTo(asOf);
        return response.data().path("name").asText();
    }

    private List<String> membersAsOf(Account reader, String id, Instant asOf) {
        Http.Response response = http.bearer(reader.accessToken()).get(org(id) + "/members?as_of=" + asOf);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.data().findValuesAsText("user_id");
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    /** The event happened after {@code from} and no later than {@code to} (both to the millisecond). */
    private static void assertOccurredBetween(JsonNode event, Instant from, Instant to) {
        Instant occurred = Instant.parse(event.path("occurred_at").asText());
        assertThat(occurred).as(event.toString()).isAfter(from).isBefore(to.plusMillis(1));
    }
}
