package dev.baserdb.api.settings;

import dev.baserdb.api.platform.database.NotificationChannel;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.InProcessNode;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.baserdb.api.support.InProcessNode.port;
import static dev.baserdb.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one database: a settings change made through node A holds on node B's next request.
 * Node B keeps the settings in memory; the change's transaction notifies, and PostgreSQL delivers
 * that to B's listener at commit, which drops B's copy. Delivery is asynchronous (milliseconds), so
 * the tests wait for it, and only for it: until B holds no copy ({@link #DELIVERY}, short), then
 * assert B's very next request. While B's listener is down, B reads the row on every request.
 */
class PlatformSettingsTwoNodeTest {

    /** How long a notification may take to reach the other node on a busy machine (normally ms). */
    private static final Duration DELIVERY = Duration.ofSeconds(2);
    private static final String SETTINGS = "/api/v1/admin/settings";
    private static final String ADMIN_EMAIL = "settings-two-nodes@example.com";
    private static final String ADMIN_PASSWORD = "two nodes admin password";

    private final String database = TestDatabase.createExtra("settings");
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void given_node_b_holding_the_settings_when_node_a_changes_them_then_b_applies_them_on_its_next_request()
            throws Exception {
        Http a = new Http(port(start()));
        ConfigurableApplicationContext nodeB = start();
        Http b = new Http(port(nodeB));
        PlatformSettingsService settingsB = nodeB.getBean(PlatformSettingsService.class);
        Http admin = a.bearer(new Accounts(a).login(ADMIN_EMAIL, ADMIN_PASSWORD).accessToken());
        Http user = b.bearer(new Accounts(b).anAccount().accessToken());
        holdsCopy(settingsB);

        ok(admin.patch(SETTINGS, json("maintenance_mode", true)));
        delivered(settingsB);
        Http.Response write = user.post("/api/v1/organizations", json("slug", Tenancy.uniqueSlug("org"), "name", "B"));

        assertThat(write.status()).as(write.toString()).isEqualTo(503);
        assertThat(write.errorCode()).isEqualTo("MAINTENANCE");

        holdsCopy(settingsB);
        ok(admin.patch(SETTINGS, json("maintenance_mode", false, "registration_open", false)));
        delivered(settingsB);
        Http.Response register = register(b);

        assertThat(register.status()).as(register.toString()).isEqualTo(403);
        assertThat(user.post("/api/v1/organizations", json("slug", Tenancy.uniqueSlug("org"), "name", "Open"))
                .status()).isEqualTo(201);
    }

    @Test
    void given_node_b_holding_the_settings_then_it_trusts_them_only_while_its_listener_is_connected()
            throws Exception {
        Http a = new Http(port(start()));
        ConfigurableApplicationContext nodeB = start();
        Http b = new Http(port(nodeB));
        PlatformSettingsService settingsB = nodeB.getBean(PlatformSettingsService.class);
        Http admin = a.bearer(new Accounts(a).login(ADMIN_EMAIL, ADMIN_PASSWORD).accessToken());
        ok(admin.patch(SETTINGS, json("app_name", "Two nodes"))); // the read model has its row now
        holdsCopy(settingsB);

        // A change that bypasses the projection sends no notification: B keeps its copy (it has one).
        setRegistrationOpen(false);
        assertThat(register(b).status()).as("the copy is trusted while the listener is connected").isEqualTo(201);

        // What B's listener does when it loses its session: from then on B reads the row every time.
        NotificationChannel channel = nodeB.getBean("platformSettingsChannel", NotificationChannel.class);
        channel.listening().accept(false);
        assertThat(register(b).status()).as("read through: the unannounced change holds").isEqualTo(403);
        setRegistrationOpen(true);
        assertThat(register(b).status()).as("read through again, nothing was kept").isEqualTo(201);
        assertThat(settingsB.holdsCopy()).isFalse();
        channel.listening().accept(true);

        // A real loss: PostgreSQL ends both listeners' sessions; they reconnect and B follows A again.
        await("both listeners are connected").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> listeners().size() == 2);
        Set<Integer> lost = listeners();
        terminate(lost);
        await("both listeners are back, in new sessions").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> listeners().size() == 2 && Collections.disjoint(listeners(), lost));
        holdsCopy(settingsB);
        ok(admin.patch(SETTINGS, json("registration_open", false)));
        delivered(settingsB);
        assertThat(register(b).status()).isEqualTo(403);
    }

    /** Waits until B keeps a copy, so its next request does not read the row. */
    private static void holdsCopy(PlatformSettingsService settings) {
        await("node B keeps the settings").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> copyKept(settings));
    }

    private static boolean copyKept(PlatformSettingsService settings) {
        settings.current();
        return settings.holdsCopy();
    }

    /** Waits (briefly) for the change's notification to reach B: B drops its copy. */
    private static void delivered(PlatformSettingsService settings) {
        await("the notification reaches node B").atMost(DELIVERY).pollInterval(Duration.ofMillis(5))
                .until(() -> !settings.holdsCopy());
    }

    private static Http.Response register(Http http) {
        return http.post("/api/v1/auth/register", json("email", Tenancy.uniqueEmail(), "password", Accounts.PASSWORD));
    }

    private static void ok(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private void setRegistrationOpen(boolean open) throws SQLException {
        try (Connection c = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE platform_settings SET registration_open = " + open)).isEqualTo(1);
        }
    }

    private void terminate(Set<Integer> pids) throws SQLException {
        try (Connection c = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement s = c.createStatement()) {
            for (int pid : pids) {
                try (ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
                    assertThat(rs.next() && rs.getBoolean(1)).as("terminated " + pid).isTrue();
                }
            }
        }
    }

    /** The backends of the nodes' notification listeners. */
    private Set<Integer> listeners() throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND application_name = 'baserdb-listener'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    private ConfigurableApplicationContext start() throws Exception {
        ConfigurableApplicationContext context = InProcessNode.start(database,
                "--baserdb.admin.email=" + ADMIN_EMAIL,
                "--baserdb.admin.password=" + ADMIN_PASSWORD);
        running.add(context);
        return context;
    }

}
