package dev.baserdb.api.platform.security;

import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.query.project.ProjectView;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.Set;

/**
 * The one permission check every controller uses. Order of the answers: a caller outside the
 * organization does not learn it exists (404); a token pinned elsewhere is 403 TENANT_MISMATCH; a
 * role without the permission is 403 FORBIDDEN; a token without the scope is 403 INVALID_SCOPE; a
 * change in an archived organization is 409 CONFLICT.
 */
@Component
public class Authorization {

    private final OrganizationDirectory organizations;
    private final DataCatalog catalog;

    public Authorization(OrganizationDirectory organizations, DataCatalog catalog) {
        this.organizations = organizations;
        this.catalog = catalog;
    }

    /** The caller's role in the organization; 404 when the caller is not a member. */
    public Role membership(Principal principal, String organizationId) {
        if (!principal.isUser()) {
            throw BaserDbException.notFound("Organization");
        }
        Role role = organizations.roleOf(organizationId, principal.userId()).flatMap(Role::fromWire)
                .orElseThrow(() -> BaserDbException.notFound("Organization"));
        if (principal.kind() == Principal.Kind.PERSONAL_ACCESS_TOKEN && principal.organizationId() != null
                && !principal.organizationId().equals(organizationId)) {
            throw new BaserDbException(ErrorCode.TENANT_MISMATCH, "This token is pinned to another organization");
        }
        return role;
    }

    /** Checks that the caller may do this in the organization; returns the caller's role. */
    public Role require(Principal principal, String organizationId, Permission permission) {
        Role role = membership(principal, organizationId);
        if (!RolePermissions.of(role).contains(permission)) {
            throw BaserDbException.forbidden("Your role (" + role.wireName() + ") may not " + describe(permission));
        }
        requireScope(principal, permission);
        if (permission.changes() && archived(organizationId)) {
            throw BaserDbException.conflict("The organization is archived; its data is kept read-only");
        }
        return role;
    }

    /**
     * Checks a permission on a project. A project's service key may do everything in its own project
     * that is not about the organization or the key itself; elsewhere it sees nothing.
     */
    public void requireProject(Principal principal, ProjectView project, Permission permission) {
        if (principal.kind() == Principal.Kind.PROJECT_USER) {
            throw BaserDbException.notFound("Project");
        }
        if (principal.kind() == Principal.Kind.SERVICE_KEY) {
            if (!project.id().equals(principal.projectId())) {
                throw BaserDbException.notFound("Project");
            }
            if (!SERVICE_KEY_PERMISSIONS.contains(permission)) {
                throw BaserDbException.forbidden("A service key may not " + describe(permission));
            }
            if (permission.changes() && archived(project.organizationId())) {
                throw BaserDbException.conflict("The organization is archived; its data is kept read-only");
            }
            return;
        }
        require(principal, project.organizationId(), permission);
    }

    /** The permissions the caller actually has in the organization (role ∩ token scopes). */
    public Set<Permission> effectivePermissions(Principal principal, Role role) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Permission permission : RolePermissions.of(role)) {
            if (hasScope(principal, permission)) {
                permissions.add(permission);
            }
        }
        return permissions;
    }

    /** Routes that manage the account itself (tokens, password, sessions) need a signed-in session. */
    public void requireSession(Principal principal) {
        if (principal.kind() != Principal.Kind.SESSION) {
            throw BaserDbException.forbidden("This route needs a signed-in session, not an API key");
        }
    }

    private static final Set<Permission> SERVICE_KEY_PERMISSIONS =
            EnumSet.of(Permission.READ_ORGANIZATION, Permission.WRITE_PROJECTS, Permission.DELETE_SCHEMA,
                    Permission.READ_DATA, Permission.WRITE_DATA, Permission.DELETE_DATA, Permission.READ_DATA_HISTORY);

    private static void requireScope(Principal principal, Permission permission) {
        if (!hasScope(principal, permission)) {
            throw new BaserDbException(ErrorCode.INVALID_SCOPE,
                    "This token lacks the scope '" + permission.scope() + "'");
        }
    }

    private static boolean hasScope(Principal principal, Permission permission) {
        Set<String> scopes = principal.scopes();
        return scopes == null || scopes.contains("admin") || scopes.contains(permission.scope());
    }

    private static String describe(Permission permission) {
        return permission.wireName().replace('_', ' ');
    }

    /**
     * Whether the organization is archived (its data read-only). Asked on every write, so kept in the
     * data catalog: the archive event's projection empties the catalog on every node at commit.
     */
    private boolean archived(String organizationId) {
        return catalog.remembered("archived:" + organizationId,
                () -> organizations.find(organizationId, null).map(o -> o.archived())).orElse(false);
    }
}
