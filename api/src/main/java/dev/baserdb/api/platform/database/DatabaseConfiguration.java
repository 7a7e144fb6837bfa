package dev.baserdb.api.platform.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.baserdb.api.platform.crypto.MasterKey;
import dev.baserdb.kernel.data.DatabaseRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's three ways into PostgreSQL, none of them a superuser (ARCHITECTURE.md, Security):
 * the owner's pool (commands, projections, queries, Flyway), the authenticator's pool (data-API
 * reads of {@code anon} and project users, checks of tenant expressions) and the role manager's
 * small pool (DDL of roles only). When the configured user ({@code BASERDB_DATABASE_USER}) is a
 * superuser, it is used once, here, to create those roles; when it is not, it is the owner and the
 * other two roles come from configuration (created by {@code docs/sql/roles.sql}).
 */
@Configuration
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);
    private static final Pattern DATABASE = Pattern.compile("^jdbc:postgresql://[^/]*/([^?]+)(\\?.*)?$");

    /** Who the platform connects as, decided (and, with a superuser, prepared) before any pool opens. */
    record Logins(DatabaseRoles roles, String owner, String ownerPassword, String authenticator,
                  String authenticatorPassword, String roleManager, String roleManagerPassword) {
    }

    @Bean
    Logins databaseLogins(DataSourceProperties dataSource, DatabaseProperties settings, MasterKey masterKey) {
        String url = dataSource.determineUrl();
        Matcher m = DATABASE.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("BASERDB_DATABASE_URL must look like jdbc:postgresql://host:port/database");
        }
        String database = m.group(1);
        DatabaseRoles roles = DatabaseRoles.forDatabase(database);
        String user = dataSource.determineUsername();
        String password = dataSource.determinePassword() == null ? "" : dataSource.determinePassword();
        String authenticator = orElse(settings.authenticatorUser(), roles.authenticator());
        String roleManager = orElse(settings.roleManagerUser(), roles.roleManager());
        try (Connection c = DriverManager.getConnection(url, credentials(user, password))) {
            if (RoleBootstrap.isSuperuser(c)) {
                RoleBootstrap.Login owner = login(roles.owner(), settings.ownerPassword(), masterKey);
                RoleBootstrap.Login reader = login(authenticator, settings.authenticatorPassword(), masterKey);
                RoleBootstrap.Login manager = login(roleManager, settings.roleManagerPassword(), masterKey);
                RoleBootstrap.run(c, database, owner, reader, manager);
                log.info("Database roles ready: the platform serves as {}, data reads as {}, role DDL as {};"
                        + " the superuser {} is not used again", owner.name(), authenticator, roleManager, user);
                return new Logins(roles, owner.name(), owner.password(), authenticator, reader.password(),
                        roleManager, manager.password());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the database roles as " + user + ": " + e.getMessage(), e);
        }
        if (settings.authenticatorPassword().isBlank() || settings.roleManagerPassword().isBlank()) {
            throw new IllegalStateException(user + " is not a superuser, so BaserDB runs as it (the owner) and needs the"
                    + " authenticator and role-manager roles made by docs/sql/roles.sql: set"
                    + " BASERDB_DATABASE_AUTHENTICATOR_PASSWORD and BASERDB_DATABASE_ROLE_MANAGER_PASSWORD");
        }
        return new Logins(roles, user, password, authenticator, settings.authenticatorPassword(), roleManager,
                settings.roleManagerPassword());
    }

    @Bean
    DatabaseRoles databaseRoles(Logins logins) {
        return logins.roles().withLogins(logins.owner(), logins.authenticator(), logins.roleManager());
    }

    /** The owner's pool: Spring Boot's {@code spring.datasource.hikari.*} settings apply to it. */
    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties, Logins logins) {
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class)
                .username(logins.owner()).password(logins.ownerPassword()).build();
        pool.setPoolName("owner");
        return pool;
    }

    /**
     * The authenticator's pool. Every session starts with the data plane's statement timeout, and a
     * tenant expression has no way to change it (set_config is not theirs).
     */
    @Bean(name = DatabaseRoles.AUTHENTICATOR_POOL, defaultCandidate = false)
    HikariDataSource authenticatorDataSource(DataSourceProperties properties, Logins logins,
                                             DatabaseProperties settings) {
        return pool(properties, "authenticator", logins.authenticator(), logins.authenticatorPassword(),
                settings.dataPoolSize(), Math.min(2, settings.dataPoolSize()), settings.statementTimeout());
    }

    /** The owner's connections for operators' data reads, each session under the statement timeout. */
    @Bean(name = DatabaseRoles.OPERATOR_READ_POOL, defaultCandidate = false)
    HikariDataSource operatorReadDataSource(DataSourceProperties properties, Logins logins, DatabaseProperties settings) {
        return pool(properties, "operator-reads", logins.owner(), logins.ownerPassword(), settings.dataPoolSize(),
                Math.min(2, settings.dataPoolSize()), settings.statementTimeout());
    }

    @Bean(name = DatabaseRoles.ROLE_MANAGER_POOL, defaultCandidate = false)
    HikariDataSource roleManagerDataSource(DataSourceProperties properties, Logins logins) {
        // used now and then (roles of a new project or credential): no idle connections kept
        return pool(properties, "role-manager", logins.roleManager(), logins.roleManagerPassword(), 2, 0, null);
    }

    /** A pool of the platform's own besides the owner's main one; {@code statementTimeout} null: none set. */
    private static HikariDataSource pool(DataSourceProperties properties, String name, String user, String password,
                                         int size, int minimumIdle, Duration statementTimeout) {
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class)
                .username(user).password(password).build();
        pool.setPoolName(name);
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(minimumIdle);
        pool.setConnectionTimeout(10_000);
        if (statementTimeout != null) {
            pool.setConnectionInitSql("SET statement_timeout = " + statementTimeout.toMillis());
        }
        return pool;
    }

    /** A configured password, or one derived from the master key (the same on every node). */
    private static RoleBootstrap.Login login(String role, String configured, MasterKey masterKey) {
        return new RoleBootstrap.Login(role, orElse(configured, masterKey.derive("database role " + role)));
    }

    private static Properties credentials(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
