package dev.baserdb.api.project;

import dev.baserdb.query.project.GroupView;
import dev.baserdb.query.project.ProjectView;

import java.time.Instant;

/** Response bodies of the project and group routes (API.md §5). */
final class ProjectResponses {

    private ProjectResponses() {
    }

    record Project(String id, String organizationId, String name, String slug, Instant createdAt, Instant updatedAt) {

        static Project of(ProjectView view) {
            return new Project(view.id(), view.organizationId(), view.name(), view.slug(), view.createdAt(),
                    view.updatedAt());
        }
    }

    /** A project with its service key: only in the responses to create and rotate. */
    record ProjectWithKey(String id, String organizationId, String name, String slug, Instant createdAt,
                          Instant updatedAt, String serviceKey) {

        static ProjectWithKey of(ProjectView view, String serviceKey) {
            return new ProjectWithKey(view.id(), view.organizationId(), view.name(), view.slug(), view.createdAt(),
                    view.updatedAt(), serviceKey);
        }
    }

    record Group(String id, String projectId, String organizationId, String name, Instant createdAt,
                 Instant updatedAt) {

        static Group of(GroupView view) {
            return new Group(view.id(), view.projectId(), view.organizationId(), view.name(), view.createdAt(),
                    view.updatedAt());
        }
    }
}
