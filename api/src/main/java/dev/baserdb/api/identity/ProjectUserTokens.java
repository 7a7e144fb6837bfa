package dev.baserdb.api.identity;

import dev.baserdb.api.platform.security.Secrets;
import org.springframework.stereotype.Component;

/**
 * Issues the tokens of the data login: role {@code authenticated}, subject the user's row id. A
 * token names the row's password hash by a fingerprint, so it dies when the password changes
 * ({@link ProjectUserRows} checks it on every request).
 */
@Component
public class ProjectUserTokens {

    private final AccessTokens tokens;

    ProjectUserTokens(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** A token for the row, which signed in with the password stored as {@code passwordHash}. */
    public String issue(String projectId, String tableId, String rowId, String passwordHash) {
        return tokens.issueProjectUser(projectId, tableId, rowId, fingerprint(passwordHash));
    }

    public long expiresInSeconds() {
        return tokens.ttl().toSeconds();
    }

    /**
     * A short digest of a stored password hash. The hash is salted, so any new password (even the
     * same one again) gets another fingerprint; the digest reveals nothing usable about the hash.
     */
    static String fingerprint(String passwordHash) {
        return Secrets.sha256("project-user-password:" + (passwordHash == null ? "" : passwordHash)).substring(0, 32);
    }
}
