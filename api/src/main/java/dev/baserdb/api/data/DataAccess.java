package dev.baserdb.api.data;

import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Principals;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * Who a data-API caller is to a project's tables (API.md §6–7): nobody ({@code anon}), a project
 * user from the data login ({@code authenticated}), or someone who bypasses the policies — the
 * project's service key, or a member whose role has the data permission (reading members read,
 * writing members write). Refused credentials are 401, another project's key or token 404.
 */
@Component
public class DataAccess {

    /** The table a request addresses and the row-level security the request runs under. */
    record Target(ProjectView project, DataTable table, DataCaller caller) {
    }

    private final ProjectDirectory projects;
    private final DataCatalog tables;
    private final Authorization authorization;
    private final ProjectShare share;

    DataAccess(ProjectDirectory projects, DataCatalog tables, Authorization authorization, ProjectShare share) {
        this.projects = projects;
        this.tables = tables;
        this.authorization = authorization;
        this.share = share;
    }

    Target read(HttpServletRequest request, String projectId, String tablePath) {
        return target(request, projectId, tablePath, Permission.READ_DATA);
    }

    Target write(HttpServletRequest request, String projectId, String tablePath) {
        return target(request, projectId, tablePath, Permission.WRITE_DATA);
    }

    Target delete(HttpServletRequest request, String projectId, String tablePath) {
        return target(request, projectId, tablePath, Permission.DELETE_DATA);
    }

    /** Row history: operators whose role may read history (owner, admin, auditor), and the service key. */
    Target history(HttpServletRequest request, String projectId, String tablePath) {
        return target(request, projectId, tablePath, Permission.READ_DATA_HISTORY);
    }

    /** Operations only a caller who bypasses the policies may use (history, restore, deleted rows). */
    static void requireBypass(DataCaller caller, String what) {
        if (!caller.bypasses()) {
            throw BaserDbException.forbidden(what + " is for the project's operators and its service key");
        }
    }

    ProjectView project(HttpServletRequest request, String projectId) {
        ProjectView project = project(projectId);
        caller(request, project, Permission.READ_DATA);
        return project;
    }

    /** The project of a data request, from memory when the catalog holds it. */
    public ProjectView project(String projectId) {
        return tables.remembered("project:" + projectId, () -> projects.find(projectId, null))
                .orElseThrow(() -> BaserDbException.notFound("Project"));
    }

    /** A table of the project by path ({@code table} in the public group, or {@code group.table}). */
    DataTable table(ProjectView project, String tablePath) {
        return tables.table(project.id(), tablePath).orElseThrow(() -> BaserDbException.notFound("Table " + tablePath));
    }

    private Target target(HttpServletRequest request, String projectId, String tablePath, Permission permission) {
        ProjectView project = project(projectId);
        DataCaller caller = caller(request, project, permission);
        return new Target(project, table(project, tablePath), caller);
    }

    /**
     * The caller as the policies see it. Operators (members, service key) need {@code permission}
     * (read, write, delete or history of data); anon and project users are left to the policies.
     */
    DataCaller caller(HttpServletRequest request, ProjectView project, Permission permission) {
        DataCaller caller = callerOf(request, project, permission);
        share.enter(request, project.id());
        RequestContext context = RequestContext.current();
        if (context != null && !caller.bypasses()) {
            context.dataRole(caller.role(), caller.userId());
        }
        return caller;
    }

    /**
     * The caller as the policies see it, without taking one of the project's turns: for requests
     * that hold no connection while they last (a change stream).
     */
    public DataCaller callerOf(HttpServletRequest request, ProjectView project, Permission permission) {
        Object failure = request.getAttribute(Principals.FAILURE);
        if (failure instanceof BaserDbException refused) {
            throw refused;
        }
        Principal principal = Principals.of(request);
        DataCaller caller;
        if (principal == null) {
            caller = new DataCaller("anon", null);
        } else if (principal.kind() == Principal.Kind.PROJECT_USER) {
            if (!principal.projectId().equals(project.id())) {
                throw BaserDbException.notFound("Project");
            }
            caller = new DataCaller("authenticated", principal.dataUserId());
        } else {
            authorization.requireProject(principal, project, permission);
            caller = DataCaller.BYPASS;
        }
        return caller;
    }
}
