package dev.baserdb.api.platform;

import dev.baserdb.api.BaserDbApplication;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.data.DatabaseRoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A managed database: no superuser for BaserDB. An administrator runs {@code docs/sql/roles.sql}
 * with psql (as the README says), and the platform then runs as the owner it created, with the
 * authenticator and role manager from configuration — and serves the data API with row-level
 * security as usual. Without those settings it refuses to start with one clear sentence.
 */
class ManagedDatabaseModeTest {

    private final String database = "baserdb_test_managed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final DatabaseRoles roles = DatabaseRoles.forDatabase(database);
    private ConfigurableApplicationContext running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        TestDatabase.drop(database);
    }

    @Test
    void givenTheRolesScript_whenThePlatformRunsAsTheOwner_thenItServesTheDataApiWithoutASuperuser() throws Exception {
        runRolesScript();
        assertThat(superuser(roles.owner())).isFalse();

        running = start("--baserdb.database.authenticator-password=authenticator secret",
                "--baserdb.database.role-manager-password=role manager secret");
        Http http = new Http(((WebServerApplicationContext) running).getWebServer().getPort());
        Accounts.Account owner = new Accounts(http).anAccount();
        Tenancy tenancy = new Tenancy(http);
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        Http operator = http.bearer(owner.accessToken());
        String table = ok(operator.post("/api/v1/tables", Http.json("project_id", project.id(), "name", "notes",
                "columns", List.of(Http.json("name", "title", "type", "TEXT"), Http.json("name", "published",
                        "type", "BOOLEAN"))))).path("id").asText();
        ok(operator.put("/api/v1/tables/" + table + "/policies", Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", true, "constraint_sql", "published = true")));
        Http service = http.with("X-API-Key", project.serviceKey());
        ok(service.post("/api/v1/data/" + project.id() + "/notes", Http.json("title", "public", "published", true)));
        ok(service.post("/api/v1/data/" + project.id() + "/notes", Http.json("title", "draft", "published", false)));

        Http.Response anonymous = http.get("/api/v1/data/" + project.id() + "/notes");
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(200);
        assertThat(anonymous.data()).hasSize(1);
        assertThat(anonymous.data().get(0).path("title").asText()).isEqualTo("public");
        assertThat(sessionUsers()).isNotEmpty().allMatch(user -> user.equals(roles.owner())
                || user.equals(roles.authenticator()) || user.equals(roles.roleManager()));
    }

    @Test
    void givenNoAuthenticatorPassword_whenStartedAsANonSuperuser_thenItRefusesToStartSayingWhatIsMissing()
            throws Exception {
        runRolesScript();

        Throwable failure = null;
        try {
            running = start();
        } catch (RuntimeException e) {
            failure = e;
        }

        assertThat(failure).isNotNull();
        Throwable root = failure;
        StringBuilder messages = new StringBuilder();
        while (root != null) {
            messages.append(root.getMessage()).append('\n');
            root = root.getCause();
        }
        assertThat(messages.toString()).contains("BASERDB_DATABASE_AUTHENTICATOR_PASSWORD").contains("docs/sql/roles.sql");
    }

    private void runRolesScript() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/sql/roles.sql");
        Path output = Files.createTempFile("roles-sql", ".log");
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", "5432", "-U", TestDatabase.USER,
                "-d", "postgres", "-v", "database=" + database, "-v", "tag=" + roles.tag(),
                "-v", "owner_password=owner secret", "-v", "authenticator_password=authenticator secret",
                "-v", "role_manager_password=role manager secret", "-f", script.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as(Files.readString(output, StandardCharsets.UTF_8)).isZero();
    }

    private ConfigurableApplicationContext start(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + TestDatabase.SERVER + database,
                "--spring.datasource.username=" + roles.owner(),
                "--spring.datasource.password=owner secret",
                "--baserdb.master-key=" + TestDatabase.MASTER_KEY,
                "--baserdb.data-dir=" + Files.createTempDirectory("baserdb-managed")));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(BaserDbApplication.class).run(args.toArray(String[]::new));
    }

    private boolean superuser(String role) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.SERVER + "postgres", TestDatabase.USER,
                TestDatabase.PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = '" + role + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getBoolean(1);
        }
    }

    private List<String> sessionUsers() throws SQLException {
        List<String> users = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestDatabase.SERVER + "postgres", TestDatabase.USER,
                TestDatabase.PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = '"
                     + database + "' AND usename IS NOT NULL")) {
            while (rs.next()) {
                users.add(rs.getString(1));
            }
        }
        return users;
    }
}
