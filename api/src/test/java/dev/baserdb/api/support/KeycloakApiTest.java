package dev.baserdb.api.support;

import dev.baserdb.api.BaserDbApplication;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An HTTP test of the whole application in identity mode keycloak, against the run's real
 * {@link KeycloakServer} (started once, shared by every class with this annotation, which also
 * share one application context). Its own database, so the group mirror sees only these tests'
 * organizations. Tagged {@code keycloak}: {@code mvn verify} runs it with everything else;
 * {@code -Dgroups=keycloak} runs only these, {@code -DexcludedGroups=keycloak} skips them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("keycloak")
@SpringBootTest(classes = BaserDbApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, KeycloakApiTest.KeycloakMode.class})
@AutoConfigureObservability(tracing = false)
@Import(TestClock.Configuration.class)
public @interface KeycloakApiTest {

    /** Runs after {@link TestDatabase}: its own database, and the realm of the running Keycloak. */
    class KeycloakMode implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        private static String database;

        public static synchronized String database() {
            if (database == null) {
                database = TestDatabase.createExtra("keycloak");
            }
            return database;
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            KeycloakServer keycloak = KeycloakServer.get();
            TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                    "spring.datasource.url=" + database(),
                    "baserdb.identity=keycloak",
                    "baserdb.keycloak.url=" + keycloak.url(),
                    "baserdb.keycloak.realm=" + KeycloakServer.REALM,
                    "baserdb.keycloak.client-id=" + KeycloakServer.CLIENT_ID,
                    "baserdb.keycloak.client-secret=" + KeycloakServer.CLIENT_SECRET,
                    // Forged tokens with unknown kids come seconds apart here; a rotation must still be seen at once.
                    "baserdb.keycloak.jwks-refresh-min-interval=1s");
        }
    }
}
