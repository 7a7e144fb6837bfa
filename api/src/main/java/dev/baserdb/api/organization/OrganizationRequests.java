package dev.baserdb.api.organization;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the organization and member routes (API.md §4). */
final class OrganizationRequests {

    static final String SLUG = "^[a-z0-9][a-z0-9-]{1,62}$";
    static final String ROLE = "^(owner|admin|developer|auditor|viewer)$";
    static final String ROLE_MESSAGE = "must be one of owner, admin, developer, auditor, viewer";

    private OrganizationRequests() {
    }

    record NewOrganization(@NotNull @Pattern(regexp = SLUG, message = "must match " + SLUG) String slug,
                  @NotBlank @Size(max = 200) String name) {
    }

    record RenameOrganization(@NotBlank @Size(max = 200) String name) {
    }

    record AddMember(@NotBlank @Email @Size(max = 254) String email,
                     @Schema(allowableValues = {"owner", "admin", "developer", "auditor", "viewer"}) @NotNull @Pattern(regexp = ROLE, message = ROLE_MESSAGE) String role) {
    }

    record ChangeRole(@Schema(allowableValues = {"owner", "admin", "developer", "auditor", "viewer"}) @NotNull @Pattern(regexp = ROLE, message = ROLE_MESSAGE) String role) {
    }

    record InviteUser(@NotBlank @Email @Size(max = 254) String email,
                      @Size(max = 200) String displayName,
                      @Pattern(regexp = "^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$", message = "must be a language tag such as en or de-CH")
                      String locale,
                      @NotBlank String organizationId,
                      @Schema(allowableValues = {"owner", "admin", "developer", "auditor", "viewer"}) @NotNull @Pattern(regexp = ROLE, message = ROLE_MESSAGE) String role) {
    }
}
