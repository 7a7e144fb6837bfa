package dev.baserdb.api.identity;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.baserdb.query.identity.SessionView;
import dev.baserdb.query.identity.UserView;

import java.time.Instant;
import java.util.List;

/** Response bodies of the platform authentication routes (API.md §3). */
final class AuthResponses {

    private AuthResponses() {
    }

    record User(String id, String email, String displayName, String locale, List<String> roles, String status,
                boolean emailVerified, boolean twoFactorEnabled, Instant createdAt, Instant updatedAt) {

        static User of(UserView view) {
            return new User(view.id(), view.email(), view.displayName(), view.locale(), view.platformRoles(),
                    view.status(), view.emailVerifiedAt() != null, view.totpEnabled(), view.createdAt(),
                    view.updatedAt());
        }
    }

    /** A sign-in that needs the second factor: {@code POST /auth/2fa/verify} with this token completes it. */
    record MfaRequired(boolean mfaRequired, String mfaToken, long expiresIn) {
    }

    /** Tokens, or {@link MfaRequired} when 2FA is on. */
    static Object signIn(AuthService.SignIn signIn) {
        return signIn.tokens() != null ? Tokens.of(signIn.tokens())
                : new MfaRequired(true, signIn.mfaToken(), AuthService.MFA_TOKEN_TTL.toSeconds());
    }

    @Schema(name = "TokenPair")
    record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn, User user) {

        static Tokens of(AuthService.IssuedTokens issued) {
            return new Tokens(issued.accessToken(), issued.refreshToken(), "Bearer",
                    issued.expiresIn().toSeconds(), User.of(issued.user()));
        }
    }

    record Membership(String organizationId, @Schema(allowableValues = {"owner", "admin", "developer", "auditor", "viewer"}) String role, List<String> permissions) {
    }

    @Schema(name = "CurrentUser")
    record Me(User user, List<Membership> memberships, List<String> permissions) {
    }

    record Session(String id, String device, String ip, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
                   boolean current) {

        static Session of(SessionView view, String currentSessionId) {
            return new Session(view.id(), view.userAgent(), view.ip(), view.createdAt(), view.lastUsedAt(),
                    view.expiresAt(), view.id().equals(currentSessionId));
        }
    }

    record LoggedOut(int sessionsRevoked) {
    }

    @Schema(name = "AccountErased")
    record Erased(String id, boolean erased) {
    }

    record PasswordChanged(boolean passwordChanged) {
    }
}
