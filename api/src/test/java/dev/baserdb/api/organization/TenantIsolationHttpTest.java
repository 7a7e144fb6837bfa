package dev.baserdb.api.organization;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static dev.baserdb.api.support.Tenancy.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A resource in an organization the caller does not belong to is 404, not 403" (API.md §4),
 * walked over every tenancy route: two tenants, each owning an organization with a project and a
 * group; the outsider reads, changes, deletes, lists, time-travels and nests into the victim's
 * resources — with a session, with an unpinned admin PAT and with an admin PAT pinned to its own
 * organization — and always gets 404 NOT_FOUND, while the victim's resources read the same
 * afterwards and the event store holds not one event more. A project's service key is just as
 * blind outside its own project.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationHttpTest {

    @LocalServerPort
    int port;

    private Http http;
    private Tenancy tenancy;

    /** The tenant under attack. */
    private Accounts.Account victim;
    /** An open invitation into the victim's organization, addressed to a third account. */
    private String victimInvitation;
    private String victimOrganization;
    private Tenancy.Project victimProject;
    private String victimGroup;
    private String victimPublicGroup;
    private Tenancy.Pat victimPat;
    /** An instant at which every victim resource existed. */
    private String asOf;

    /** The tenant trying to reach the victim's resources. */
    private Accounts.Account outsider;
    private String outsiderOrganization;
    private Tenancy.Project outsiderProject;
    private Map<String, Http> outsiderCredentials;

    @BeforeAll
    void twoTenants() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        tenancy = new Tenancy(http);

        victim = accounts.anAccount();
        victimOrganization = tenancy.anOrganization(victim);
        victimProject = tenancy.aProject(victim, victimOrganization);
        victimGroup = tenancy.aGroup(victim, victimProject.id());
        victimPublicGroup = groupNamed(victim, victimProject.id(), "public");
        victimPat = tenancy.aPat(victim, List.of("read"), null, null);
        victimInvitation = tenancy.invite(victim, victimOrganization, accounts.anAccount().email(), "viewer");

        outsider = accounts.anAccount();
        outsiderOrganization = tenancy.anOrganization(outsider);
        outsiderProject = tenancy.aProject(outsider, outsiderOrganization);
        tenancy.aGroup(outsider, outsiderProject.id());

        asOf = Instant.now().toString();

        outsiderCredentials = new LinkedHashMap<>();
        outsiderCredentials.put("session", http.bearer(outsider.accessToken()));
        outsiderCredentials.put("admin PAT", http.bearer(
                tenancy.aPat(outsider, List.of("admin"), null, null).token()));
        outsiderCredentials.put("admin PAT pinned to own organization", http.bearer(
                tenancy.aPat(outsider, List.of("admin"), outsiderOrganization, null).token()));
    }

    // --- every route, every outsider credential ----------------------------------------------------

    /** A route aimed at the victim's resources; {@code sessionOnly} for the account routes PATs may not use. */
    record Route(String name, boolean sessionOnly, Function<Http, Http.Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private List<Route> victimRoutes() {
        String org = "/api/v1/organizations/" + victimOrganization;
        String project = "/api/v1/projects/" + victimProject.id();
        String group = "/api/v1/groups/" + victimGroup;
        return List.of(
                route("GET /organizations/{other}", as -> as.get(org)),
                route("GET /organizations/{other}?as_of", as -> as.get(org + "?as_of=" + asOf)),
                route("PATCH /organizations/{other}", as -> as.patch(org, Http.json("name", "Taken over"))),
                route("DELETE /organizations/{other}", as -> as.delete(org)),
                route("GET /organizations/{other}/history", as -> as.get(org + "/history")),
                route("GET /organizations/{other}/members", as -> as.get(org + "/members")),
                route("GET /organizations/{other}/members?as_of", as -> as.get(org + "/members?as_of=" + asOf)),
                route("POST /organizations/{other}/members (self as owner)", as -> as.post(org + "/members",
                        Http.json("email", outsider.email(), "role", "owner"))),
                route("POST /organizations/{other}/members (new email)", as -> as.post(org + "/members",
                        Http.json("email", uniqueEmail(), "role", "viewer"))),
                route("POST /auth/invitations/{someone else's}/accept", as -> as.post(
                        "/api/v1/auth/invitations/" + victimInvitation + "/accept", null)),
                route("POST /auth/invitations/{someone else's}/decline", as -> as.post(
                        "/api/v1/auth/invitations/" + victimInvitation + "/decline", null)),
                route("PATCH /organizations/{other}/members/{victim}", as -> as.patch(
                        org + "/members/" + victim.userId(), Http.json("role", "viewer"))),
                route("DELETE /organizations/{other}/members/{victim}", as -> as.delete(
                        org + "/members/" + victim.userId())),
                route("PATCH /organizations/{own}/members/{victim}", as -> as.patch(
                        "/api/v1/organizations/" + outsiderOrganization + "/members/" + victim.userId(),
                        Http.json("role", "viewer"))),
                route("POST /users with organization_id={other}", as -> as.post("/api/v1/users",
                        Http.json("email", uniqueEmail(), "display_name", "Mole", "locale", "en",
                                "organization_id", victimOrganization, "role", "owner"))),
                route("GET /projects?organization_id={other}", as -> as.get(
                        "/api/v1/projects?organization_id=" + victimOrganization)),
                route("GET /projects?organization_id={other}&as_of", as -> as.get(
                        "/api/v1/projects?organization_id=" + victimOrganization + "&as_of=" + asOf)),
                route("POST /projects with organization_id={other}", as -> as.post("/api/v1/projects",
                        Http.json("organization_id", victimOrganization, "name", Tenancy.uniqueSlug("p")))),
                route("GET /projects/{other}", as -> as.get(project)),
                route("GET /projects/{other}?as_of", as -> as.get(project + "?as_of=" + asOf)),
                route("PATCH /projects/{other}", as -> as.patch(project, Http.json("name", "Taken over"))),
                route("DELETE /projects/{other}", as -> as.delete(project)),
                route("POST /projects/{other}/rotate-service-key", as -> as.post(
                        project + "/rotate-service-key", null)),
                route("GET /projects/{other}/history", as -> as.get(project + "/history")),
                route("GET /groups?project_id={other}", as -> as.get(
                        "/api/v1/groups?project_id=" + victimProject.id())),
                route("GET /groups?project_id={other}&as_of", as -> as.get(
                        "/api/v1/groups?project_id=" + victimProject.id() + "&as_of=" + asOf)),
                route("POST /groups with project_id={other}", as -> as.post("/api/v1/groups",
                        Http.json("project_id", victimProject.id(), "name", unique("g")))),
                route("GET /groups/{other}", as -> as.get(group)),
                route("GET /groups/{other}?as_of", as -> as.get(group + "?as_of=" + asOf)),
                route("PATCH /groups/{other}", as -> as.patch(group, Http.json("name", unique("g")))),
                route("DELETE /groups/{other}", as -> as.delete(group)),
                route("GET /groups/{other}/history", as -> as.get(group + "/history")),
                route("DELETE /groups/{other public} (404, not 409)", as -> as.delete(
                        "/api/v1/groups/" + victimPublicGroup)),
                route("PATCH /groups/{other public} (404, not 409)", as -> as.patch(
                        "/api/v1/groups/" + victimPublicGroup, Http.json("name", unique("g")))),
                sessionRoute("POST /auth/tokens pinned to {other}", as -> as.post("/api/v1/auth/tokens",
                        Tenancy.patRequest(List.of("admin"), victimOrganization, null))),
                sessionRoute("DELETE /auth/tokens/{other's token}", as -> as.delete(
                        "/api/v1/auth/tokens/" + victimPat.id())));
    }

    Stream<Arguments> everyRouteWithEveryOutsiderCredential() {
        List<Arguments> cases = new ArrayList<>();
        for (Route route : victimRoutes()) {
            for (String credential : outsiderCredentials.keySet()) {
                if (!route.sessionOnly() || credential.equals("session")) {
                    cases.add(Arguments.of(route, credential));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with the outsider's {1}")
    @MethodSource("everyRouteWithEveryOutsiderCredential")
    void given_an_outsider_when_calling_a_route_on_the_other_tenants_resources_then_404_and_nothing_changes(
            Route route, String credential) {
        Snapshot before = victimSnapshot();

        Http.Response response = route.call().apply(outsiderCredentials.get(credential));

        assertNotFound(route + " with " + credential, response);
        assertThat(victimSnapshot()).as(route + " with " + credential + " changed the victim's state")
                .isEqualTo(before);
    }

    // --- lists never show the other tenant ---------------------------------------------------------

    @Test
    void given_an_outsider_when_listing_organizations_then_only_their_own_appear() {
        JsonNode organizations = ok(http.bearer(outsider.accessToken()).get("/api/v1/organizations"));

        assertThat(organizations.findValuesAsText("id")).containsExactly(outsiderOrganization);
    }

    @Test
    void given_an_outsider_when_listing_projects_without_a_filter_then_only_their_own_appear() {
        JsonNode projects = ok(http.bearer(outsider.accessToken()).get("/api/v1/projects"));

        assertThat(projects.findValuesAsText("id")).containsExactly(outsiderProject.id());
    }

    // --- service keys -------------------------------------------------------------------------------

    Stream<Arguments> routesOnTheOtherProject() {
        String project = "/api/v1/projects/" + victimProject.id();
        return Stream.of(
                route("GET /projects/{other}", as -> as.get(project)),
                route("GET /projects/{other}?as_of", as -> as.get(project + "?as_of=" + asOf)),
                route("PATCH /projects/{other}", as -> as.patch(project, Http.json("name", "Taken over"))),
                route("DELETE /projects/{other}", as -> as.delete(project)),
                route("POST /projects/{other}/rotate-service-key", as -> as.post(project + "/rotate-service-key",
                        null)),
                route("GET /projects/{other}/history", as -> as.get(project + "/history")),
                route("GET /projects?organization_id={other}", as -> as.get(
                        "/api/v1/projects?organization_id=" + victimOrganization)),
                route("GET /groups?project_id={other}", as -> as.get(
                        "/api/v1/groups?project_id=" + victimProject.id())),
                route("POST /groups with project_id={other}", as -> as.post("/api/v1/groups",
                        Http.json("project_id", victimProject.id(), "name", unique("g")))),
                route("GET /groups/{other}", as -> as.get("/api/v1/groups/" + victimGroup)),
                route("PATCH /groups/{other}", as -> as.patch("/api/v1/groups/" + victimGroup,
                        Http.json("name", unique("g")))),
                route("DELETE /groups/{other}", as -> as.delete("/api/v1/groups/" + victimGroup)),
                route("GET /organizations/{other}", as -> as.get("/api/v1/organizations/" + victimOrganization)),
                route("GET /organizations/{other}/members", as -> as.get(
                        "/api/v1/organizations/" + victimOrganization + "/members")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routesOnTheOtherProject")
    void given_the_service_key_of_project_a_when_used_on_project_b_then_404_and_nothing_changes(Route route) {
        Snapshot before = victimSnapshot();

        Http.Response response = route.call().apply(http.bearer(outsiderProject.serviceKey()));

        assertNotFound(route + " with another project's service key", response);
        assertThat(victimSnapshot()).as(route + " with another project's service key changed the victim's state")
                .isEqualTo(before);
    }

    @Test
    void given_the_service_key_of_a_project_when_reading_its_own_project_then_200() {
        Http.Response response = http.bearer(outsiderProject.serviceKey())
                .get("/api/v1/projects/" + outsiderProject.id());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("id").asText()).isEqualTo(outsiderProject.id());
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static Route route(String name, Function<Http, Http.Response> call) {
        return new Route(name, false, call);
    }

    private static Route sessionRoute(String name, Function<Http, Http.Response> call) {
        return new Route(name, true, call);
    }

    private String groupNamed(Accounts.Account owner, String projectId, String name) {
        JsonNode groups = ok(http.bearer(owner.accessToken()).get("/api/v1/groups?project_id=" + projectId));
        for (JsonNode group : groups) {
            if (group.path("name").asText().equals(name)) {
                return group.path("id").asText();
            }
        }
        throw new AssertionError("no group " + name + " in " + groups);
    }

    /** What the victim sees of their resources, and how many events the store holds for them and in all. */
    record Snapshot(Map<String, JsonNode> views, Map<String, Long> eventsPerAggregate, long allEvents) {
    }

    private Snapshot victimSnapshot() {
        Http asVictim = http.bearer(victim.accessToken());
        Map<String, JsonNode> views = new LinkedHashMap<>();
        String org = "/api/v1/organizations/" + victimOrganization;
        for (String path : List.of(org, org + "/members", "/api/v1/projects/" + victimProject.id(),
                "/api/v1/projects?organization_id=" + victimOrganization,
                "/api/v1/groups?project_id=" + victimProject.id(), "/api/v1/groups/" + victimGroup,
                "/api/v1/auth/tokens")) {
            views.put(path, ok(asVictim.get(path)));
        }
        Map<String, Long> events = new LinkedHashMap<>();
        for (String aggregate : List.of(victimOrganization, victimProject.id(), victimGroup, victimPublicGroup,
                victimPat.id(), victim.userId())) {
            events.put(aggregate, Tenancy.eventCount(aggregate));
        }
        return new Snapshot(views, events, allEvents());
    }

    private static long allEvents() {
        try (Connection connection = TestDatabase.connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select count(*) from domainevententry")) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNotFound(String what, Http.Response response) {
        String description = what + ": " + response;
        assertThat(response.status()).as(description).isEqualTo(404);
        assertThat(response.body().path("success").asBoolean(true)).as(description).isFalse();
        assertThat(response.errorCode()).as(description).isEqualTo("NOT_FOUND");
    }
}
