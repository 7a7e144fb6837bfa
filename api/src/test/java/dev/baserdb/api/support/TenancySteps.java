package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Builds organizations and projects for tests through the public API, and reads the event store. */
public final class TenancySteps {

    private final Http http;

    public TenancySteps(Http http) {
        this.http = http;
    }

    /** A slug nobody else uses: {@code prefix-} and ten hex characters. */
    public static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** A fresh organization owned by the account; returns its {@code data}. */
    public JsonNode organization(Accounts.Account owner) {
        return organization(owner, uniqueSlug("org"), "Test Org");
    }

    public JsonNode organization(Accounts.Account owner, String slug, String name) {
        Http.Response created = http.bearer(owner.accessToken())
                .post("/api/v1/organizations", Http.json("slug", slug, "name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.data();
    }

    /** A fresh project in the organization; returns its {@code data} (with the service key). */
    public JsonNode project(Accounts.Account owner, String organizationId, String name) {
        Http.Response created = http.bearer(owner.accessToken())
                .post("/api/v1/projects", Http.json("organization_id", organizationId, "name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.data();
    }

    /** Makes an existing account a member with the role: invited by {@code owner}, accepted by the account. */
    public void addMember(Accounts.Account owner, String organizationId, Accounts.Account member, String role) {
        new Tenancy(http).addMember(owner, organizationId, member, role);
    }

    /** Invites the email into the organization (202); returns the invitation's id. */
    public String invite(Accounts.Account owner, String organizationId, String email, String role) {
        return new Tenancy(http).invite(owner, organizationId, email, role);
    }

    /**
     * Read models keep instants to the millisecond. Returns the current instant truncated to the
     * millisecond, after waiting until the clock is at least 2 ms past it: an event recorded after
     * this call is stored strictly after the returned instant, and every event recorded before it
     * at or before it.
     */
    public static Instant instantBetweenEvents() {
        Instant mark = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> !Instant.now().isBefore(mark.plusMillis(2)));
        return mark;
    }

    /** How many events of this type (simple class name) the event store holds for the aggregate. */
    public static int eventCount(String aggregateId, String payloadTypeSuffix) {
        return (int) PhysicalSchema.count("select count(*) from domainevententry "
                + "where aggregateidentifier = ? and payloadtype like ?", aggregateId, "%" + payloadTypeSuffix);
    }

    /** How many events of any type the event store holds for the aggregate. */
    public static int eventCount(String aggregateId) {
        return eventCount(aggregateId, "");
    }
}
