package dev.baserdb.api.platform.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The database roles and the limits of the data plane ({@code baserdb.database.*}, environment
 * {@code BASERDB_DATABASE_*} and {@code BASERDB_DATA_*}, see docs/operations.md and the README).
 *
 * @param authenticatorUser     login of the authenticator role; empty: {@code <tag>_authenticator}
 * @param authenticatorPassword its password; empty: derived from the master key (when BaserDB creates the role)
 * @param roleManagerUser       login of the role manager ({@code CREATEROLE}); empty: {@code <tag>_role_manager}
 * @param roleManagerPassword   its password; empty: derived from the master key
 * @param ownerPassword         the owner role's password when BaserDB creates it; empty: derived from the master key
 * @param dataPoolSize          connections of the authenticator pool (data-API reads of anon and project users)
 * @param statementTimeout      bound of every statement of a data request ({@code BASERDB_DATA_STATEMENT_TIMEOUT})
 * @param projectConcurrency    data requests of one project served at once, per node ({@code BASERDB_DATA_PROJECT_CONCURRENCY})
 * @param projectQueueWait      how long a request beyond that bound waits for its turn before 503
 */
@ConfigurationProperties("baserdb.database")
public record DatabaseProperties(
        @DefaultValue("") String authenticatorUser,
        @DefaultValue("") String authenticatorPassword,
        @DefaultValue("") String roleManagerUser,
        @DefaultValue("") String roleManagerPassword,
        @DefaultValue("") String ownerPassword,
        @DefaultValue("10") int dataPoolSize,
        @DefaultValue("5s") Duration statementTimeout,
        @DefaultValue("8") int projectConcurrency,
        @DefaultValue("2s") Duration projectQueueWait) {
}
