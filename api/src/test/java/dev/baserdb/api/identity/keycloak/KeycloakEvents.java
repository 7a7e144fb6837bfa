package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.support.KeycloakApiTest;

import java.sql.DriverManager;
import java.sql.SQLException;

import static dev.baserdb.api.support.TestDatabase.PASSWORD;
import static dev.baserdb.api.support.TestDatabase.USER;

/** Reads the keycloak-mode test database's event store directly, to check what was recorded. */
final class KeycloakEvents {

    private KeycloakEvents() {
    }

    /** How many UserLinkedToIdentityProvider events name this realm user (its {@code sub}). */
    static long linksOf(String subject) {
        try (var connection = DriverManager.getConnection(KeycloakApiTest.KeycloakMode.database(), USER, PASSWORD);
             var statement = connection.prepareStatement("select count(*) from domainevententry "
                     + "where payloadtype like '%UserLinkedToIdentityProvider' "
                     + "and convert_from(payload, 'UTF8')::jsonb ->> 'subject' = ?")) {
            statement.setString(1, subject);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
