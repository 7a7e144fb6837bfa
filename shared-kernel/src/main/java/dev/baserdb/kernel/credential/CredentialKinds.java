package dev.baserdb.kernel.credential;

import dev.baserdb.kernel.id.CredentialId;

import java.util.List;

/**
 * The kinds of credential (API.md §8) and the PostgreSQL names a {@code postgres_readonly} one
 * lives under: its login role and the project's schema of platform views ({@code audit_events}).
 */
public final class CredentialKinds {

    public static final String POSTGRES_READONLY = "postgres_readonly";
    public static final String EXTERNAL = "external";
    public static final List<String> ALL = List.of(POSTGRES_READONLY, EXTERNAL);

    /** The view of the project's own audit entries a read-only credential sees. */
    public static final String AUDIT_VIEW = "audit_events";

    private CredentialKinds() {
    }

    /**
     * The login role of a read-only credential: {@code ro_} and the credential id's 32 hex digits
     * (35 characters). Unique because the id is, and cluster-wide safe without the database's tag
     * (the id is random); test clean-up finds them as members of the run's reader roles.
     */
    public static String loginRole(CredentialId credentialId) {
        return "ro_" + credentialId.hex();
    }

    /** The project's schema of platform views: {@code p_} and the project id's hex digits. */
    public static String viewSchema(String projectId) {
        return "p_" + projectId.substring(projectId.indexOf('_') + 1);
    }
}
