package dev.baserdb.api.organization;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.kernel.organization.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static dev.baserdb.api.support.Tenancy.uniqueEmail;
import static dev.baserdb.kernel.organization.Role.ADMIN;
import static dev.baserdb.kernel.organization.Role.AUDITOR;
import static dev.baserdb.kernel.organization.Role.DEVELOPER;
import static dev.baserdb.kernel.organization.Role.OWNER;
import static dev.baserdb.kernel.organization.Role.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The roles matrix of API.md §4 walked over real HTTP: one organization with one member per role,
 * every protected organization, member, user, project and group route called as every role, and
 * the answer is 2xx where the matrix has a tick and 403 FORBIDDEN where it has none. Then what
 * personal access tokens add on top: scopes, "never more than its user", organization pins,
 * expiry, revocation and both headers.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixHttpTest {

    // The rows of the matrix in API.md §4, written from the document (not from the code).
    /** read organization, projects, tables. */
    private static final Set<Role> READ = EnumSet.allOf(Role.class);
    /** manage members, rename org. */
    private static final Set<Role> MANAGE_MEMBERS = EnumSet.of(OWNER, ADMIN);
    /** archive organization. */
    private static final Set<Role> ARCHIVE = EnumSet.of(OWNER);
    /** create/update projects, groups, tables, … */
    private static final Set<Role> WRITE_PROJECTS = EnumSet.of(OWNER, ADMIN, DEVELOPER);
    /** delete projects, rotate service keys. */
    private static final Set<Role> DELETE_PROJECTS = EnumSet.of(OWNER, ADMIN);
    /** read audit trail, reports, history. */
    private static final Set<Role> HISTORY = EnumSet.of(OWNER, ADMIN, AUDITOR);

    @LocalServerPort
    int port;

    private Http http;
    private Accounts accounts;
    private Tenancy tenancy;

    /** One account per role, all members of {@link #organization}. */
    private final Map<Role, Accounts.Account> member = new EnumMap<>(Role.class);
    private String organization;
    private String project;
    private String group;

    @BeforeAll
    void anOrganizationWithOneMemberPerRole() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new Tenancy(http);
        member.put(OWNER, accounts.anAccount());
        organization = tenancy.anOrganization(owner());
        for (Role role : List.of(ADMIN, DEVELOPER, AUDITOR, VIEWER)) {
            Accounts.Account account = accounts.anAccount();
            tenancy.addMember(owner(), organization, account, role.wireName());
            member.put(role, account);
        }
        project = tenancy.aProject(owner(), organization).id();
        group = tenancy.aGroup(owner(), project);
    }

    // --- the matrix -------------------------------------------------------------------------------

    /** A protected route, the roles the matrix allows it, and how to call it as a role (fresh targets made first). */
    record Route(String name, Set<Role> allowed, BiFunction<Role, Http, Http.Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> everyRouteAsEveryRole() {
        List<Route> routes = List.of(
                new Route("GET /organizations/{id}", READ,
                        (role, as) -> as.get("/api/v1/organizations/" + organization)),
                new Route("PATCH /organizations/{id}", MANAGE_MEMBERS,
                        (role, as) -> as.patch("/api/v1/organizations/" + organization,
                                Http.json("name", "Renamed " + unique("org")))),
                new Route("DELETE /organizations/{id}", ARCHIVE,
                        (role, as) -> as.delete("/api/v1/organizations/" + aFreshOrganizationWith(role))),
                new Route("GET /organizations/{id}/history", HISTORY,
                        (role, as) -> as.get("/api/v1/organizations/" + organization + "/history")),
                new Route("GET /organizations/{id}/members", READ,
                        (role, as) -> as.get("/api/v1/organizations/" + organization + "/members")),
                new Route("POST /organizations/{id}/members", MANAGE_MEMBERS,
                        (role, as) -> as.post("/api/v1/organizations/" + organization + "/members",
                                Http.json("email", uniqueEmail(), "role", "viewer"))),
                new Route("PATCH /organizations/{id}/members/{user_id}", MANAGE_MEMBERS,
                        (role, as) -> as.patch("/api/v1/organizations/" + organization + "/members/" + aFreshViewer(),
                                Http.json("role", "developer"))),
                new Route("DELETE /organizations/{id}/members/{user_id}", MANAGE_MEMBERS,
                        (role, as) -> as.delete("/api/v1/organizations/" + organization + "/members/" + aFreshViewer())),
                new Route("POST /users", MANAGE_MEMBERS,
                        (role, as) -> as.post("/api/v1/users", Http.json("email", uniqueEmail(), "display_name", "New",
                                "locale", "en", "organization_id", organization, "role", "viewer"))),
                new Route("POST /projects", WRITE_PROJECTS,
                        (role, as) -> as.post("/api/v1/projects",
                                Http.json("organization_id", organization, "name", Tenancy.uniqueSlug("p")))),
                new Route("GET /projects?organization_id=", READ,
                        (role, as) -> as.get("/api/v1/projects?organization_id=" + organization)),
                new Route("GET /projects/{id}", READ,
                        (role, as) -> as.get("/api/v1/projects/" + project)),
                new Route("PATCH /projects/{id}", WRITE_PROJECTS,
                        (role, as) -> as.patch("/api/v1/projects/" + project,
                                Http.json("name", "Renamed " + unique("p")))),
                new Route("DELETE /projects/{id}", DELETE_PROJECTS,
                        (role, as) -> as.delete("/api/v1/projects/" + aFreshProject())),
                new Route("POST /projects/{id}/rotate-service-key", DELETE_PROJECTS,
                        (role, as) -> as.post("/api/v1/projects/" + aFreshProject() + "/rotate-service-key", null)),
                new Route("GET /projects/{id}/history", HISTORY,
                        (role, as) -> as.get("/api/v1/projects/" + project + "/history")),
                new Route("POST /groups", WRITE_PROJECTS,
                        (role, as) -> as.post("/api/v1/groups", Http.json("project_id", project, "name", unique("g")))),
                new Route("GET /groups?project_id=", READ,
                        (role, as) -> as.get("/api/v1/groups?project_id=" + project)),
                new Route("GET /groups/{id}", READ,
                        (role, as) -> as.get("/api/v1/groups/" + group)),
                new Route("PATCH /groups/{id}", WRITE_PROJECTS,
                        (role, as) -> as.patch("/api/v1/groups/" + aFreshGroup(), Http.json("name", unique("g")))),
                // API.md §4 names deletion only for projects; deleting a group is "update projects, groups".
                new Route("DELETE /groups/{id}", WRITE_PROJECTS,
                        (role, as) -> as.delete("/api/v1/groups/" + aFreshGroup())),
                new Route("GET /groups/{id}/history", HISTORY,
                        (role, as) -> as.get("/api/v1/groups/" + group + "/history")));
        return routes.stream().flatMap(route -> Arrays.stream(Role.values())
                .map(role -> Arguments.of(route, role, route.allowed().contains(role))));
    }

    @ParameterizedTest(name = "{0} as {1} allowed={2}")
    @MethodSource("everyRouteAsEveryRole")
    void given_a_member_with_a_role_when_calling_a_protected_route_then_allowed_exactly_as_the_matrix_says(
            Route route, Role role, boolean allowed) {
        Http.Response response = route.call().apply(role, as(role));

        if (allowed) {
            ok(route + " as " + role, response);
        } else {
            assertError(route + " as " + role, response, 403, "FORBIDDEN");
        }
    }

    // --- owner rules over HTTP --------------------------------------------------------------------

    @Test
    void given_an_admin_when_adding_a_member_as_owner_then_403_FORBIDDEN() {
        Http.Response response = as(ADMIN).post("/api/v1/organizations/" + organization + "/members",
                Http.json("email", uniqueEmail(), "role", "owner"));

        assertError(response, 403, "FORBIDDEN");
    }

    @Test
    void given_an_organization_with_one_owner_when_the_owner_removes_themself_then_409_CONFLICT() {
        String single = tenancy.anOrganization(owner());

        Http.Response response = as(OWNER).delete("/api/v1/organizations/" + single + "/members/" + owner().userId());

        assertError(response, 409, "CONFLICT");
    }

    // --- personal access tokens -------------------------------------------------------------------

    Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("PATCH /organizations/{id}", (BiFunction<Http, String, Http.Response>) (as, org) ->
                        as.patch("/api/v1/organizations/" + org, Http.json("name", "Renamed " + unique("org")))),
                Arguments.of("POST /projects", (BiFunction<Http, String, Http.Response>) (as, org) ->
                        as.post("/api/v1/projects", Http.json("organization_id", org, "name", Tenancy.uniqueSlug("p")))),
                Arguments.of("PATCH /projects/{id}", (BiFunction<Http, String, Http.Response>) (as, org) ->
                        as.patch("/api/v1/projects/" + project, Http.json("name", "Renamed " + unique("p")))),
                Arguments.of("POST /groups", (BiFunction<Http, String, Http.Response>) (as, org) ->
                        as.post("/api/v1/groups", Http.json("project_id", project, "name", unique("g")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void given_an_owners_pat_with_only_read_when_writing_then_403_INVALID_SCOPE(
            String route, BiFunction<Http, String, Http.Response> write) {
        Tenancy.Pat readOnly = tenancy.aPat(owner(), List.of("read"), null, null);

        Http.Response response = write.apply(http.bearer(readOnly.token()), organization);

        assertError(response, 403, "INVALID_SCOPE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/organizations/{org}", "/api/v1/organizations/{org}/members",
            "/api/v1/projects?organization_id={org}", "/api/v1/projects/{project}",
            "/api/v1/groups?project_id={project}", "/api/v1/groups/{group}"})
    void given_an_owners_pat_with_only_read_when_reading_then_200(String path) {
        Tenancy.Pat readOnly = tenancy.aPat(owner(), List.of("read"), null, null);

        Http.Response response = http.bearer(readOnly.token()).get(path.replace("{org}", organization)
                .replace("{project}", project).replace("{group}", group));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void given_a_viewers_pat_with_admin_scope_when_writing_then_403_FORBIDDEN_a_pat_never_exceeds_its_user(
            String route, BiFunction<Http, String, Http.Response> write) {
        Tenancy.Pat admin = tenancy.aPat(member.get(VIEWER), List.of("admin"), null, null);

        Http.Response response = write.apply(http.bearer(admin.token()), organization);

        assertError(response, 403, "FORBIDDEN");
    }

    @Test
    void given_a_viewers_pat_with_admin_scope_when_adding_a_member_then_403_FORBIDDEN() {
        Tenancy.Pat admin = tenancy.aPat(member.get(VIEWER), List.of("admin"), null, null);

        Http.Response response = http.bearer(admin.token()).post("/api/v1/organizations/" + organization + "/members",
                Http.json("email", uniqueEmail(), "role", "viewer"));

        assertError(response, 403, "FORBIDDEN");
    }

    @Test
    void given_a_pat_pinned_to_organization_a_when_used_on_organization_b_where_the_user_is_a_member_then_403_TENANT_MISMATCH() {
        String other = tenancy.anOrganization(owner());
        Tenancy.Pat pinned = tenancy.aPat(owner(), List.of("read"), organization, null);

        Http.Response response = http.bearer(pinned.token()).get("/api/v1/organizations/" + other);

        assertError(response, 403, "TENANT_MISMATCH");
    }

    @Test
    void given_a_pat_pinned_to_organization_a_when_listing_projects_of_organization_b_then_403_TENANT_MISMATCH() {
        String other = tenancy.anOrganization(owner());
        Tenancy.Pat pinned = tenancy.aPat(owner(), List.of("read"), organization, null);

        Http.Response response = http.bearer(pinned.token()).get("/api/v1/projects?organization_id=" + other);

        assertError(response, 403, "TENANT_MISMATCH");
    }

    @Test
    void given_a_pat_pinned_to_organization_a_when_used_on_organization_a_then_200() {
        Tenancy.Pat pinned = tenancy.aPat(owner(), List.of("read"), organization, null);

        Http.Response response = http.bearer(pinned.token()).get("/api/v1/organizations/" + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @Test
    void given_a_pat_that_expires_in_seconds_when_its_expiry_passes_then_401_EXPIRED_KEY() {
        Tenancy.Pat shortLived = tenancy.aPat(owner(), List.of("read"), null, Instant.now().plusSeconds(3));
        Http asPat = http.bearer(shortLived.token());
        assertThat(asPat.get("/api/v1/organizations/" + organization).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> asPat.get("/api/v1/organizations/" + organization).status() != 200);

        assertError(asPat.get("/api/v1/organizations/" + organization), 401, "EXPIRED_KEY");
    }

    @Test
    void given_a_revoked_pat_when_used_then_401_UNAUTHORIZED() {
        Tenancy.Pat pat = tenancy.aPat(owner(), List.of("read"), null, null);
        assertThat(http.bearer(pat.token()).get("/api/v1/organizations/" + organization).status()).isEqualTo(200);
        ok(as(OWNER).delete("/api/v1/auth/tokens/" + pat.id()));

        Http.Response response = http.bearer(pat.token()).get("/api/v1/organizations/" + organization);

        assertError(response, 401, "UNAUTHORIZED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "X-API-Key"})
    void given_a_pat_when_presented_in_either_header_then_200(String header) {
        Tenancy.Pat pat = tenancy.aPat(owner(), List.of("read"), null, null);
        Http client = header.equals("Authorization") ? http.with(header, "Bearer " + pat.token())
                : http.with(header, pat.token());

        Http.Response response = client.get("/api/v1/organizations/" + organization);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("id").asText()).isEqualTo(organization);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Accounts.Account owner() {
        return member.get(OWNER);
    }

    private Http as(Role role) {
        return http.bearer(member.get(role).accessToken());
    }

    /** A new organization (so archiving it harms nothing else) in which the account of this role has it. */
    private String aFreshOrganizationWith(Role role) {
        String fresh = tenancy.anOrganization(owner());
        if (role != OWNER) {
            tenancy.addMember(owner(), fresh, member.get(role), role.wireName());
        }
        return fresh;
    }

    /** A new viewer of the organization (invited, and accepted), to change or remove. */
    private String aFreshViewer() {
        return tenancy.addMember(owner(), organization, accounts.anAccount(), "viewer");
    }

    private String aFreshProject() {
        return tenancy.aProject(owner(), organization).id();
    }

    private String aFreshGroup() {
        return tenancy.aGroup(owner(), project);
    }

    static void assertError(Http.Response response, int status, String code) {
        assertError("", response, status, code);
    }

    static void assertError(String what, Http.Response response, int status, String code) {
        String description = what.isEmpty() ? response.toString() : what + ": " + response;
        assertThat(response.status()).as(description).isEqualTo(status);
        assertThat(response.body().path("success").asBoolean(true)).as(description).isFalse();
        assertThat(response.errorCode()).as(description).isEqualTo(code);
    }
}
