package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds tenancy fixtures through the public API (organizations, members, projects, groups,
 * personal access tokens), each with a unique name, asserting that the API accepted them.
 */
public final class Tenancy {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Http http;

    public Tenancy(Http http) {
        this.http = http;
    }

    /** A name no other fixture of this run has, usable as slug and as group name ({@code prefix_…}). */
    public static String unique(String prefix) {
        return prefix + "_" + SEQUENCE.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A slug no other fixture of this run has. */
    public static String uniqueSlug(String prefix) {
        return unique(prefix).replace('_', '-');
    }

    /** An email no account has. */
    public static String uniqueEmail() {
        return "someone-" + UUID.randomUUID() + "@example.com";
    }

    /** A new organization owned by {@code owner}; returns its id. */
    public String anOrganization(Accounts.Account owner) {
        String slug = uniqueSlug("org");
        Http.Response response = http.bearer(owner.accessToken()).post("/api/v1/organizations",
                Http.json("slug", slug, "name", "Org " + slug));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.data().path("id").asText();
    }

    /**
     * Makes the account a member with the role the only way there is: {@code actor} invites its email
     * and the account accepts with its own session. Returns the member's user id.
     */
    public String addMember(Accounts.Account actor, String organizationId, Accounts.Account member, String role) {
        String invitation = invite(actor, organizationId, member.email(), role);
        ok("accepting " + invitation, http.bearer(member.accessToken())
                .post("/api/v1/auth/invitations/" + invitation + "/accept", null));
        return member.userId();
    }

    /** Invites the email into the organization with a role (202); returns the invitation's id. */
    public String invite(Accounts.Account actor, String organizationId, String email, String role) {
        Http.Response response = http.bearer(actor.accessToken()).post(
                "/api/v1/organizations/" + organizationId + "/members", Http.json("email", email, "role", role));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.data().path("status").asText()).isEqualTo("invited");
        return response.data().path("invitation_id").asText();
    }

    /** A new project in the organization: its id and its service key. */
    public Project aProject(Accounts.Account actor, String organizationId) {
        String name = uniqueSlug("project");
        Http.Response response = http.bearer(actor.accessToken()).post("/api/v1/projects",
                Http.json("organization_id", organizationId, "name", name));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return new Project(response.data().path("id").asText(), response.data().path("service_key").asText());
    }

    /** A new (non-public) group in the project; returns its id. */
    public String aGroup(Accounts.Account actor, String projectId) {
        Http.Response response = http.bearer(actor.accessToken()).post("/api/v1/groups",
                Http.json("project_id", projectId, "name", unique("group")));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.data().path("id").asText();
    }

    /** Creates a personal access token for the signed-in account. */
    public Pat aPat(Accounts.Account owner, List<String> scopes, String organizationId, Instant expiresAt) {
        Http.Response response = http.bearer(owner.accessToken()).post("/api/v1/auth/tokens",
                patRequest(scopes, organizationId, expiresAt));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.data().path("token").asText()).startsWith("bdb_pat_");
        return new Pat(response.data().path("id").asText(), response.data().path("token").asText());
    }

    public static ObjectNode patRequest(List<String> scopes, String organizationId, Instant expiresAt) {
        ObjectNode body = Http.json("name", unique("pat"), "scopes", scopes);
        if (organizationId != null) {
            body.put("organization_id", organizationId);
        }
        if (expiresAt != null) {
            body.put("expires_at", expiresAt.toString());
        }
        return body;
    }

    /** The number of events the event store holds for one aggregate. */
    public static long eventCount(String aggregateId) {
        return PhysicalSchema.count("select count(*) from domainevententry where aggregateidentifier = ?", aggregateId);
    }

    public record Project(String id, String serviceKey) {
    }

    public record Pat(String id, String token) {
    }

    /** The data of a successful answer, asserting it was one. */
    public static JsonNode ok(Http.Response response) {
        return ok("", response);
    }

    /** The data of a successful answer to {@code what} (named in the failure message), asserting it was one. */
    public static JsonNode ok(String what, Http.Response response) {
        String description = what.isEmpty() ? response.toString() : what + ": " + response;
        assertThat(response.status()).as(description).isBetween(200, 299);
        assertThat(response.body().path("success").asBoolean()).as(description).isTrue();
        return response.data();
    }
}
