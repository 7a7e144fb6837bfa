package dev.baserdb.api.audit;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.SseClient;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit stream over real HTTP: new entries of the organization arrive as they are written, with
 * their chain sequence as id; a client resuming with Last-Event-ID gets exactly the entries after
 * it; other organizations' entries never appear; only those who may read the audit may listen.
 */
@ApiTest
class AuditStreamHttpTest {

    private static final Duration AUDIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Test
    void given_an_auditor_stream_when_the_organization_changes_then_its_entries_arrive_and_resume_exactly() {
        Http http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        Accounts.Account owner = accounts.anAccount();
        String organization = tenancy.anOrganization(owner);
        Accounts.Account other = accounts.anAccount();
        String otherOrganization = tenancy.anOrganization(other);
        String path = "/api/v1/audit/stream?organization_id=" + organization;
        String bearer = "Bearer " + owner.accessToken();

        String last;
        try (SseClient stream = SseClient.open(port, path, "Authorization", bearer)) {
            assertThat(stream.status()).isEqualTo(200);
            await().atMost(AUDIT).until(() -> !stream.events("ready").isEmpty());
            tenancy.aProject(owner, organization);
            tenancy.aProject(other, otherOrganization);
            tenancy.aProject(owner, organization);
            await("two project entries").atMost(AUDIT).until(() -> actions(stream).stream()
                    .filter("project.created"::equals).count() == 2);
            assertThat(stream.events("audit.entry")).allSatisfy(event ->
                    assertThat(event.data().path("organization_id").asText()).isEqualTo(organization));
            List<Long> ids = stream.events("audit.entry").stream().map(event -> Long.parseLong(event.id())).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
            last = stream.events("audit.entry").get(0).id();
        }
        try (SseClient resumed = SseClient.open(port, path, "Authorization", bearer, "Last-Event-ID", last)) {
            await("resumed after the first entry").atMost(AUDIT).until(() -> actions(resumed).stream()
                    .filter("project.created"::equals).count() >= 1);
            assertThat(resumed.events("audit.entry")).allSatisfy(event ->
                    assertThat(Long.parseLong(event.id())).isGreaterThan(Long.parseLong(last)));
        }

        assertThat(status(path, "Authorization", "Bearer " + other.accessToken())).isIn(403, 404);
        assertThat(status("/api/v1/audit/stream", "Authorization", bearer)).isEqualTo(400);
        assertThat(status(path)).isEqualTo(401);
        assertThat(status(path, "Authorization", bearer, "Last-Event-ID", "x")).isEqualTo(400);
    }

    private static List<String> actions(SseClient stream) {
        return stream.events("audit.entry").stream().map(event -> event.data().path("action").asText()).toList();
    }

    private int status(String path, String... headers) {
        try (SseClient client = SseClient.open(port, path, headers)) {
            return client.status();
        }
    }
}
