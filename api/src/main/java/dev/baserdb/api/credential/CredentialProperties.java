package dev.baserdb.api.credential;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Credentials ({@code baserdb.credentials.*}).
 *
 * @param sqlPublicHost    the host a read-only credential's URI names ({@code BASERDB_SQL_PUBLIC_HOST});
 *                         empty: the host of the database URL
 * @param sqlPublicPort    its port ({@code BASERDB_SQL_PUBLIC_PORT}); empty: the port of the database URL
 * @param statementTimeout the statement timeout of every read-only credential's role
 *                         ({@code BASERDB_CREDENTIAL_STATEMENT_TIMEOUT}; read by {@code CredentialRoles})
 */
@ConfigurationProperties("baserdb.credentials")
record CredentialProperties(@DefaultValue("") String sqlPublicHost,
                            @DefaultValue("") String sqlPublicPort,
                            @DefaultValue("30s") Duration statementTimeout) {
}
