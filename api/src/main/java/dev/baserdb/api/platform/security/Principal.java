package dev.baserdb.api.platform.security;

import java.util.List;
import java.util.Set;

/**
 * The authenticated caller of a request. A platform user signed in with a session, the same user
 * through a personal access token (scoped, maybe pinned to one organization), or a project's
 * service key.
 */
public record Principal(Kind kind,
                        String userId,
                        String sessionId,
                        List<String> platformRoles,
                        /* The PAT's scopes; null when every permission of the user applies. */
                        Set<String> scopes,
                        /* The organization a PAT is pinned to, or the service key's organization. */
                        String organizationId,
                        /* The project of a service key. */
                        String projectId,
                        /* The PAT's id. */
                        String tokenId,
                        /* A project user's row id (data login). */
                        String dataUserId,
                        /* The platform admin acting as this user (impersonation token's act claim), or null. */
                        String impersonatorId) {

    public enum Kind { SESSION, PERSONAL_ACCESS_TOKEN, SERVICE_KEY, PROJECT_USER }

    public static Principal session(String userId, String sessionId, List<String> platformRoles) {
        return new Principal(Kind.SESSION, userId, sessionId, platformRoles, null, null, null, null, null, null);
    }

    public static Principal personalAccessToken(String userId, String tokenId, List<String> platformRoles,
                                                Set<String> scopes, String pinnedOrganizationId) {
        return new Principal(Kind.PERSONAL_ACCESS_TOKEN, userId, null, platformRoles, Set.copyOf(scopes),
                pinnedOrganizationId, null, tokenId, null, null);
    }

    public static Principal serviceKey(String projectId, String organizationId) {
        return new Principal(Kind.SERVICE_KEY, null, null, List.of(), null, organizationId, projectId, null, null, null);
    }

    /** A row of a project's users table, signed in through the data login ({@code authenticated} role). */
    public static Principal projectUser(String projectId, String rowId) {
        return new Principal(Kind.PROJECT_USER, null, null, List.of(), null, null, projectId, null, rowId, null);
    }

    /** A session opened by a platform admin's impersonation (API.md §14): the admin is {@code impersonatorId}. */
    public static Principal impersonated(String userId, String sessionId, List<String> platformRoles,
                                         String impersonatorId) {
        return new Principal(Kind.SESSION, userId, sessionId, platformRoles, null, null, null, null, null,
                impersonatorId);
    }

    public boolean isImpersonated() {
        return impersonatorId != null;
    }

    public boolean isUser() {
        return userId != null;
    }

    public boolean isPlatformAdmin() {
        return platformRoles.contains("platform_admin") && (scopes == null || scopes.contains("admin"));
    }

    /** The actor recorded in command metadata: type and id. */
    public String actorType() {
        return switch (kind) {
            case SERVICE_KEY -> "service_key";
            case PROJECT_USER -> "project_user";
            default -> "user";
        };
    }

    public String actorId() {
        return switch (kind) {
            case SERVICE_KEY -> projectId;
            case PROJECT_USER -> dataUserId;
            default -> userId;
        };
    }
}
