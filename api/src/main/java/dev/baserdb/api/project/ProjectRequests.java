package dev.baserdb.api.project;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the project and group routes (API.md §5). */
final class ProjectRequests {

    static final String SLUG = "^[a-z0-9][a-z0-9-]{1,62}$";
    /** A group is a PostgreSQL schema: an identifier, lower case so it never needs quoting by users. */
    static final String GROUP_NAME = "^[a-z_][a-z0-9_]{0,62}$";

    private ProjectRequests() {
    }

    record CreateProject(@NotBlank String organizationId,
                         @NotBlank @Size(max = 200) String name,
                         @Pattern(regexp = SLUG, message = "must match " + SLUG) String slug) {
    }

    record RenameProject(@NotBlank @Size(max = 200) String name) {
    }

    record CreateGroup(@NotBlank String projectId,
                       @NotNull @Pattern(regexp = GROUP_NAME, message = "must match " + GROUP_NAME) String name) {
    }

    record RenameGroup(@NotNull @Pattern(regexp = GROUP_NAME, message = "must match " + GROUP_NAME) String name) {
    }
}
