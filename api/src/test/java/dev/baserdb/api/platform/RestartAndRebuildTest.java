package dev.baserdb.api.platform;

import dev.baserdb.api.platform.eventstore.InlineReadModelRebuilder;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.InProcessNode;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.InProcessNode.port;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform restarts on the same database: tokens issued before still verify (the signing key
 * persisted, sealed under the master key), and the identity read models, dropped and rebuilt from
 * the event store alone, equal the ones that were live.
 */
class RestartAndRebuildTest {

    private static final List<String> IDENTITY_TABLES = List.of("users", "sessions", "refresh_tokens");

    private final String database = TestDatabase.createExtra("restart");
    private ConfigurableApplicationContext running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void given_tokens_and_read_models_before_a_restart_when_restarted_and_rebuilt_then_both_survive() throws Exception {
        running = start();
        Http http = new Http(port(running));
        Accounts accounts = new Accounts(http);
        Accounts.Account alice = accounts.anAccount();
        Accounts.Account bob = accounts.anAccount();
        Accounts.Account bobAgain = accounts.login(bob.email(), Accounts.PASSWORD);
        http.post("/api/v1/auth/login", Http.json("email", alice.email(), "password", "wrong password"));
        Http.Response refreshed = http.post("/api/v1/auth/refresh", Http.json("refresh_token", bob.refreshToken()));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(http.bearer(bobAgain.accessToken()).post("/api/v1/auth/logout", null).status()).isEqualTo(200);
        List<String> before = dump();
        running.close();
        // what a crash between a data-plane rebuild's commit and its drop of the replaced schemas leaves
        String owner = TestDatabase.roles(database).owner();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA retired_g_leftover_1 AUTHORIZATION \"" + owner + "\"");
            s.execute("CREATE TABLE retired_g_leftover_1.notes (body text)");
            s.execute("ALTER TABLE retired_g_leftover_1.notes OWNER TO \"" + owner + "\"");
        }

        running = start();
        http = new Http(port(running));
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'retired\\_%'")) {
            assertThat(rs.next() && rs.getLong(1) == 0).as("replaced schemas left behind are dropped at start").isTrue();
        }

        Http.Response me = http.bearer(alice.accessToken()).get("/api/v1/auth/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("user").path("id").asText()).isEqualTo(alice.userId());
        assertThat(http.bearer(bobAgain.accessToken()).get("/api/v1/auth/me").status()).isEqualTo(401);

        clearIdentityTables();
        assertThat(dump()).isNotEqualTo(before);
        InlineReadModelRebuilder rebuilder = running.getBean(InlineReadModelRebuilder.class);
        assertThat(rebuilder.rebuild("users")).isPositive();
        assertThat(rebuilder.rebuild("sessions")).isPositive();

        assertThat(dump()).isEqualTo(before);
        assertThat(http.post("/api/v1/auth/login", Http.json("email", alice.email(), "password", Accounts.PASSWORD))
                .status()).isEqualTo(200);
    }

    private ConfigurableApplicationContext start() throws Exception {
        // Command-line arguments: they take precedence over application.yml, unlike default properties.
        return InProcessNode.start(database);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
    }

    private void clearIdentityTables() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", IDENTITY_TABLES));
        }
    }

    /** Every row of every identity table, as text, in a stable order. */
    private List<String> dump() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String table : IDENTITY_TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY t::text")) {
                    while (rs.next()) {
                        rows.add(table + ": " + rs.getString(1));
                    }
                }
            }
        }
        return rows;
    }
}
