package dev.baserdb.api.identity;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the platform authentication routes (API.md §3). */
final class AuthRequests {

    /**
     * 8 to 128 characters counted as Unicode code points (as NIST SP 800-63B asks), not as the
     * UTF-16 units {@code @Size} would count: a regex {@code .} matches one code point.
     */
    static final String PASSWORD_LENGTH = "(?s).{8,128}";

    private AuthRequests() {
    }

    record Register(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Pattern(regexp = PASSWORD_LENGTH, message = "must be 8 to 128 characters") String password,
            @Size(max = 200) String displayName,
            @Pattern(regexp = "^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$", message = "must be a language tag such as en or de-CH")
            String locale) {
    }

    record Login(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 1024) String password) {
    }

    record DeleteAccount(@NotNull @Size(max = 1024) String password) {
    }

    record Refresh(@NotBlank @Size(max = 256) String refreshToken) {
    }

    record ChangePassword(
            @NotNull @Size(max = 1024) String currentPassword,
            @NotNull @Pattern(regexp = PASSWORD_LENGTH, message = "must be 8 to 128 characters") String newPassword) {
    }
}
