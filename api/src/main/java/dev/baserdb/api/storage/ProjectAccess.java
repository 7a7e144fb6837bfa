package dev.baserdb.api.storage;

import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import org.springframework.stereotype.Component;

/** The project of a storage or site route, checked for the caller: another tenant's is 404. */
@Component
public class ProjectAccess {

    private final ProjectDirectory projects;
    private final Authorization authorization;

    ProjectAccess(ProjectDirectory projects, Authorization authorization) {
        this.projects = projects;
        this.authorization = authorization;
    }

    public ProjectView require(Principal principal, String projectId, Permission permission) {
        ProjectView project = find(projectId);
        authorization.requireProject(principal, project, permission);
        return project;
    }

    /** The current project, unchecked (public downloads and served sites need no caller). */
    public ProjectView find(String projectId) {
        if (!Ids.hasShape(projectId, ProjectId.PREFIX)) {
            throw BaserDbException.notFound("Project");
        }
        return projects.find(projectId, null).orElseThrow(() -> BaserDbException.notFound("Project"));
    }
}
