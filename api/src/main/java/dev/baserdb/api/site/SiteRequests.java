package dev.baserdb.api.site;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the site and deploy routes (API.md §12). */
final class SiteRequests {

    private SiteRequests() {
    }

    record NewSite(@NotBlank @Pattern(regexp = "^[a-z0-9][a-z0-9-]{1,62}$", message = "must match ^[a-z0-9][a-z0-9-]{1,62}$") String subdomain,
                   Boolean spaMode) {
    }

    record NewPendingDeploy(@Size(max = 200) String label) {
    }

    record RollbackTarget(@NotBlank String deployId) {
    }
}
