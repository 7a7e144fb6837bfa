package dev.baserdb.api.identity;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the platform authentication routes (API.md §3). */
final class AuthRequests {

    private AuthRequests() {
    }

    record Register(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
            @Size(max = 200) String displayName,
            @Pattern(regexp = "^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$", message = "must be a language tag such as en or de-CH")
            String locale) {
    }

    record Login(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 1024) String password) {
    }

    record Refresh(@NotBlank @Size(max = 256) String refreshToken) {
    }

    record ChangePassword(
            @NotNull @Size(max = 1024) String currentPassword,
            @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String newPassword) {
    }
}
