package dev.baserdb.api.credential;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Request bodies of the credential routes (API.md §8). */
final class CredentialRequests {

    static final String ROLE = "^(owner|admin|developer|auditor|viewer)$";
    static final String KIND = "^(postgres_readonly|external)$";

    private CredentialRequests() {
    }

    record CreateCredential(@NotBlank String projectId,
                            @NotBlank @Size(max = 200) String name,
                            @Schema(allowableValues = {"postgres_readonly", "external"}) @NotNull @Pattern(regexp = KIND, message = "must be postgres_readonly or external") String kind,
                            String uri,
                            @Valid RevealPolicy revealPolicy) {
    }

    /** Absent fields take the default of API.md §8 ({@code owner, admin}; no MFA; a reason required). */
    record RevealPolicy(@NotEmpty @Size(max = 5)
                        @ArraySchema(schema = @Schema(allowableValues = {"owner", "admin", "developer", "auditor", "viewer"}))
                        List<@NotNull @Pattern(regexp = ROLE, message = "must be one of owner, admin, developer, auditor, viewer") String> roles,
                        Boolean requireMfa,
                        Boolean requireReason) {
    }

    @Schema(name = "RevealRequest")
    record Reveal(@Size(max = 500) String reason, String mfaCode) {
    }

    /** An external credential's new URI; a read-only credential's rotation takes no body. */
    @Schema(name = "RotateCredential")
    record Rotate(String uri) {
    }
}
