package dev.baserdb.api.credential;

import dev.baserdb.kernel.error.BaserDbException;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URIs of credentials: what a read-only credential's URI is made of (its role, its password,
 * the platform's public SQL host and port, the database), how any URI is shown masked, and which
 * external URIs are accepted. Messages about a refused URI never quote it: it may hold a secret.
 */
@Component
class CredentialUris {

    static final String MASK = "••••";
    static final int MAX_LENGTH = 2048;
    private static final Pattern JDBC_URL = Pattern.compile("^jdbc:postgresql://([^/:,?]+)(?::(\\d+))?/([^?]+).*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*$");

    private final String host;
    private final String port;
    private final String database;

    CredentialUris(CredentialProperties properties, DataSourceProperties dataSource) {
        Matcher url = JDBC_URL.matcher(dataSource.determineUrl());
        if (!url.matches()) {
            throw new IllegalStateException("BASERDB_DATABASE_URL must look like jdbc:postgresql://host:port/database");
        }
        this.host = properties.sqlPublicHost().isBlank() ? url.group(1) : properties.sqlPublicHost().trim();
        this.port = properties.sqlPublicPort().isBlank() ? (url.group(2) == null ? "5432" : url.group(2))
                : properties.sqlPublicPort().trim();
        this.database = url.group(3);
    }

    /** The URI {@code psql} connects with as a read-only credential's role. */
    String readOnly(String loginRole, String password) {
        return "postgresql://" + loginRole + ":" + password + "@" + host + ":" + port + "/" + database;
    }

    String readOnlyMasked(String loginRole) {
        return readOnly(loginRole, MASK);
    }

    /**
     * An external URI is accepted when it is {@code scheme://[user[:password]@]host[:port][/path][?query]}
     * and at most {@value #MAX_LENGTH} characters; the answer is its masked form.
     */
    static String checkedExternal(String uri) {
        String problem = "must be a URI such as postgresql://user:password@host:5432/database";
        if (uri == null || uri.isBlank()) {
            throw BaserDbException.invalid("uri", "is required for kind external");
        }
        if (uri.length() > MAX_LENGTH) {
            throw BaserDbException.invalid("uri", "must be at most " + MAX_LENGTH + " characters");
        }
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw BaserDbException.invalid("uri", problem);
        }
        if (parsed.getScheme() == null || !SCHEME.matcher(parsed.getScheme()).matches() || parsed.isOpaque()
                || parsed.getHost() == null) {
            throw BaserDbException.invalid("uri", problem);
        }
        return masked(parsed);
    }

    /** Scheme, user, host, port and path; the password becomes ••••, query and fragment are left out. */
    private static String masked(URI uri) {
        StringBuilder masked = new StringBuilder(uri.getScheme()).append("://");
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            masked.append(colon < 0 ? userInfo : userInfo.substring(0, colon)).append(':').append(MASK).append('@');
        }
        masked.append(uri.getHost());
        if (uri.getPort() >= 0) {
            masked.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            masked.append(uri.getRawPath());
        }
        return masked.toString();
    }
}
