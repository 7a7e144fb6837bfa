package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.platform.eventstore.InlineReadModelRebuilder;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.KeycloakApiTest;
import dev.baserdb.api.support.RealmUsers;
import dev.baserdb.api.support.RealmUsers.RealmUser;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity links are a read model like the others: dropped and rebuilt from the events alone, they are the same. */
@KeycloakApiTest
class KeycloakLinksRebuildTest {

    @LocalServerPort
    int port;

    @Autowired
    InlineReadModelRebuilder rebuilder;

    @Test
    void given_linked_accounts_when_the_users_read_model_is_rebuilt_then_links_and_users_are_the_same() throws Exception {
        Http http = new Http(port);
        RealmUsers realm = new RealmUsers();
        RealmUser ada = realm.aRealmUser();
        RealmUser bob = realm.aRealmUser();
        assertThat(http.bearer(realm.token(ada.username())).get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(http.bearer(realm.token(bob.username())).get("/api/v1/auth/me").status()).isEqualTo(200);
        List<String> before = dump();
        assertThat(before).anyMatch(row -> row.startsWith("identity_links") && row.contains(ada.id()));

        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE identity_links");
        }
        assertThat(dump()).isNotEqualTo(before);
        rebuilder.rebuild("users");

        assertThat(dump()).isEqualTo(before);
        assertThat(http.bearer(realm.token(ada.username())).get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(KeycloakEvents.linksOf(ada.id())).isEqualTo(1);
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(KeycloakApiTest.KeycloakMode.database(), TestDatabase.USER, TestDatabase.PASSWORD);
    }

    private static List<String> dump() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String table : List.of("users", "identity_links", "invitations")) {
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
