package dev.baserdb.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.api.support.WebhookReceiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks over real HTTP (API.md §13) with a receiver on 127.0.0.1 (the tests allow loopback, and
 * only loopback): the resource and its bad input, deliveries signed as §13 says and checked by the
 * receiver, retries after a 500 and after a timeout until success, the delivery log, and refusal
 * of private, link-local, metadata and multicast targets in every notation at creation.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookHttpTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    private Http http;
    private Http owner;
    private Http serviceKey;
    private String project;
    private String table;
    private Http stranger;

    @BeforeAll
    void setUp() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        Accounts.Account account = accounts.anAccount();
        owner = http.bearer(account.accessToken());
        Tenancy.Project created = tenancy.aProject(account, tenancy.anOrganization(account));
        project = created.id();
        serviceKey = http.with("X-API-Key", created.serviceKey());
        table = new TableFixtures(http).aTable(account, project, column("title", "TEXT"), column("secret", "PASSWORD"))
                .path("name").asText();
        stranger = http.bearer(accounts.anAccount().accessToken());
    }

    private JsonNode aWebhook(String url, List<String> events, String secret) {
        Http.Response created = owner.post("/api/v1/projects/" + project + "/webhooks", secret == null
                ? Http.json("url", url, "events", events) : Http.json("url", url, "events", events, "secret", secret));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.data();
    }

    /** The events of a webhook's delivery rows, as the outbox wrote them. */
    private static List<String> deliveryEvents(String webhookId) throws SQLException {
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement("select event from webhook_deliveries where webhook_id = ? order by position")) {
            s.setString(1, webhookId);
            List<String> events = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(r.getString(1));
                }
            }
            return events;
        }
    }

    private String insert(String title) {
        return TableFixtures.insert(serviceKey, project, table, Http.json("title", title, "secret", "hunter22"))
                .path("id").asText();
    }

    @Test
    void given_a_webhook_when_a_row_is_inserted_then_the_receiver_gets_one_post_whose_signature_it_verifies()
            throws Exception {
        String secret = "a-very-secret-signing-key";
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonNode webhook = aWebhook(receiver.url(), List.of("row.inserted"), secret);
            assertThat(webhook.path("secret").asText()).isEqualTo(secret);
            String rowId = insert("signed");

            await("delivery").atMost(DELIVERY).until(() -> receiver.received().size() == 1);
            WebhookReceiver.Received post = receiver.received().get(0);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(post.header("X-BaserDB-Signature"))
                    .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(post.body())));
            JsonNode body = Http.JSON.readTree(post.body());
            assertThat(post.header("X-BaserDB-Event")).isEqualTo("row.inserted");
            assertThat(post.header("X-BaserDB-Delivery")).isEqualTo(body.path("delivery_id").asText());
            assertThat(body.path("event").asText()).isEqualTo("row.inserted");
            assertThat(body.path("project_id").asText()).isEqualTo(project);
            assertThat(body.path("event_id").asText()).isNotBlank();
            assertThat(body.path("occurred_at").asText()).isNotBlank();
            assertThat(body.path("data").path("id").asText()).isEqualTo(rowId);
            assertThat(body.path("data").path("title").asText()).isEqualTo("signed");
            assertThat(body.path("data").path("secret").isNull()).as("password columns never leave").isTrue();
            assertThat(post.text()).doesNotContain("hunter22");

            String id = webhook.path("id").asText();
            await("logged").atMost(DELIVERY).until(() -> ok(owner.get("/api/v1/webhooks/" + id + "/deliveries")).size() == 1);
            JsonNode attempt = ok(owner.get("/api/v1/webhooks/" + id + "/deliveries")).get(0);
            assertThat(attempt.path("id").asText()).isEqualTo(body.path("delivery_id").asText());
            assertThat(attempt.path("event").asText()).isEqualTo("row.inserted");
            assertThat(attempt.path("event_id").asText()).isEqualTo(body.path("event_id").asText());
            assertThat(attempt.path("attempt").asInt()).isEqualTo(1);
            assertThat(attempt.path("status_code").asInt()).isEqualTo(200);
            assertThat(attempt.path("next_attempt_at").isNull()).isTrue();
        }
    }

    @Test
    void given_a_webhook_of_row_updates_only_when_a_row_is_inserted_and_updated_then_only_the_update_is_posted()
            throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String webhookId = aWebhook(receiver.url(), List.of("row.updated"), null).path("id").asText();
            String rowId = insert("first");
            Http.Response updated = serviceKey.patch("/api/v1/data/" + project + "/" + table + "/" + rowId,
                    Http.json("title", "second"));
            assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

            await("delivery").atMost(DELIVERY).until(() -> !receiver.received().isEmpty());
            assertThat(receiver.received().get(0).header("X-BaserDB-Event")).isEqualTo("row.updated");
            assertThat(Http.JSON.readTree(receiver.received().get(0).body()).path("data").path("title").asText())
                    .isEqualTo("second");
            assertThat(deliveryEvents(webhookId)).as("the insert, earlier in the stream, made no delivery")
                    .containsExactly("row.updated");
        }
    }

    @Test
    void given_a_receiver_that_fails_with_500_then_times_out_when_delivering_then_it_retries_until_success()
            throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(500, WebhookReceiver.STALL, 200)) {
            String id = aWebhook(receiver.url(), List.of("row.inserted"), null).path("id").asText();
            insert("retried");

            await("three attempts").atMost(DELIVERY).until(() -> receiver.received().size() == 3
                    && ok(owner.get("/api/v1/webhooks/" + id + "/deliveries")).size() == 3);
            List<WebhookReceiver.Received> posts = receiver.received();
            assertThat(posts).extracting(WebhookReceiver.Received::text).containsOnly(posts.get(0).text());
            assertThat(posts).extracting(post -> post.header("X-BaserDB-Delivery")).containsOnly(
                    posts.get(0).header("X-BaserDB-Delivery"));
            JsonNode log = ok(owner.get("/api/v1/webhooks/" + id + "/deliveries"));
            assertThat(log.get(0).path("attempt").asInt()).isEqualTo(3);
            assertThat(log.get(0).path("status_code").asInt()).isEqualTo(200);
            assertThat(log.get(1).path("attempt").asInt()).isEqualTo(2);
            assertThat(log.get(1).path("status_code").isNull()).isTrue();
            assertThat(log.get(1).path("error").asText()).startsWith("timeout");
            assertThat(log.get(1).path("next_attempt_at").isNull()).isFalse();
            assertThat(log.get(2).path("attempt").asInt()).isEqualTo(1);
            assertThat(log.get(2).path("status_code").asInt()).isEqualTo(500);
            assertThat(log.get(2).path("error").asText()).isEqualTo("HTTP 500");
            Duration firstWait = Duration.between(java.time.Instant.parse(log.get(2).path("at").asText()),
                    java.time.Instant.parse(log.get(2).path("next_attempt_at").asText()));
            Duration secondWait = Duration.between(java.time.Instant.parse(log.get(1).path("at").asText()),
                    java.time.Instant.parse(log.get(1).path("next_attempt_at").asText()));
            assertThat(secondWait).as("exponential backoff").isEqualTo(firstWait.multipliedBy(2));
        }
    }

    @Test
    void given_a_receiver_that_always_fails_then_it_stops_after_the_maximum_attempts() {
        try (WebhookReceiver receiver = new WebhookReceiver(500, 500, 500, 500, 500, 500)) {
            String id = aWebhook(receiver.url(), List.of("row.inserted"), null).path("id").asText();
            insert("doomed");
            await("four attempts").atMost(DELIVERY).until(() -> ok(owner.get("/api/v1/webhooks/" + id + "/deliveries")).size() == 4);
            await("no fifth").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.received().size() == 4);
            assertThat(ok(owner.get("/api/v1/webhooks/" + id + "/deliveries")).get(0).path("next_attempt_at").isNull())
                    .isTrue();
        }
    }

    @Test
    void given_a_new_webhook_without_secret_then_one_is_generated_shown_once_and_never_again() {
        JsonNode created = aWebhook("http://127.0.0.1:9/hook", List.of("row.inserted", "table.created"), null);
        assertThat(created.path("secret").asText()).startsWith("whsec_").hasSizeGreaterThan(30);
        Http.Response read = owner.get("/api/v1/webhooks/" + created.path("id").asText());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.data().has("secret")).isFalse();
        assertThat(read.header("ETag")).isEqualTo("\"0\"");
        assertThat(read.text()).doesNotContain(created.path("secret").asText());
        JsonNode listed = ok(owner.get("/api/v1/projects/" + project + "/webhooks"));
        assertThat(listed.toString()).contains(created.path("id").asText()).doesNotContain(created.path("secret").asText());
    }

    @Test
    void given_a_webhook_when_patched_and_deleted_then_it_changes_and_is_gone() {
        String id = aWebhook("http://127.0.0.1:9/hook", List.of("row.inserted"), null).path("id").asText();
        Http.Response stale = owner.with("If-Match", "\"7\"").patch("/api/v1/webhooks/" + id, Http.json("active", false));
        assertThat(stale.status()).isEqualTo(412);
        Http.Response patched = owner.with("If-Match", "\"0\"").patch("/api/v1/webhooks/" + id,
                Http.json("active", false, "events", List.of("row.deleted")));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.data().path("active").asBoolean()).isFalse();
        assertThat(patched.data().path("events").get(0).asText()).isEqualTo("row.deleted");
        Http.Response badTarget = owner.patch("/api/v1/webhooks/" + id, Http.json("url", "http://10.1.2.3/"));
        assertThat(badTarget.status()).isEqualTo(400);
        assertThat(owner.delete("/api/v1/webhooks/" + id).status()).isEqualTo(200);
        assertThat(owner.get("/api/v1/webhooks/" + id).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(owner.delete("/api/v1/webhooks/" + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
            "http://167772161/", "http://012.0.0.1/", "http://0x0a.0.0.1/", "http://10.1/", "http://0xa9fea9fe/",
            "http://[::ffff:10.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[fd00:ec2::254]/", "http://[fe80::1]/",
            "http://[ff02::1]/", "http://224.0.0.1/", "http://0.0.0.0/", "http://[::]/", "http://100.100.100.200/",
            "http://255.255.255.255/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::1]/",
            "ftp://example.com/", "file:///etc/passwd", "http://user:pw@127.0.0.1/", "not a url", "http://0400.0.0.1/"})
    void given_a_refused_target_when_creating_then_400_and_nothing_is_created(String url) {
        int before = ok(owner.get("/api/v1/projects/" + project + "/webhooks")).size();
        Http.Response refused = owner.post("/api/v1/projects/" + project + "/webhooks",
                Http.json("url", url, "events", List.of("row.inserted")));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(refused.body().path("error").path("details").has("url")).isTrue();
        assertThat(ok(owner.get("/api/v1/projects/" + project + "/webhooks"))).hasSize(before);
    }

    @Test
    void given_bad_input_then_the_error_envelope_and_nothing_created() {
        String path = "/api/v1/projects/" + project + "/webhooks";
        int before = ok(owner.get(path)).size();
        assertThat(owner.post(path, Http.json("url", "http://127.0.0.1:9/", "events", List.of("row.exploded"))).status())
                .isEqualTo(400);
        assertThat(owner.post(path, Http.json("url", "http://127.0.0.1:9/", "events", List.of())).status()).isEqualTo(400);
        assertThat(owner.post(path, Http.json("url", "http://127.0.0.1:9/", "events", "row.inserted")).status()).isEqualTo(400);
        assertThat(owner.post(path, Http.json("url", "http://127.0.0.1:9/", "events", List.of("row.inserted"),
                "secret", "short")).status()).isEqualTo(400);
        Http.Response malformed = owner.send("POST", path, "{\"url\":", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("success").asBoolean()).isFalse();
        assertThat(ok(owner.get(path))).hasSize(before);
    }

    @Test
    void given_another_tenant_or_no_credentials_then_404_or_401() {
        String id = aWebhook("http://127.0.0.1:9/hook", List.of("row.inserted"), null).path("id").asText();
        assertThat(stranger.get("/api/v1/webhooks/" + id).status()).isIn(403, 404);
        assertThat(stranger.get("/api/v1/projects/" + project + "/webhooks").status()).isIn(403, 404);
        assertThat(stranger.post("/api/v1/projects/" + project + "/webhooks",
                Http.json("url", "http://127.0.0.1:9/", "events", List.of("row.inserted"))).status()).isIn(403, 404);
        assertThat(stranger.delete("/api/v1/webhooks/" + id).status()).isIn(403, 404);
        assertThat(http.get("/api/v1/webhooks/" + id).status()).isEqualTo(401);
        assertThat(owner.get("/api/v1/webhooks/whk_nope").status()).isEqualTo(404);
        assertThat(owner.get("/api/v1/webhooks/" + id).status()).isEqualTo(200);
    }
}
