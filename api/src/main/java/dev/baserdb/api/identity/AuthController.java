package dev.baserdb.api.identity;

import dev.baserdb.api.platform.openapi.Returns;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.identity.SessionDirectory;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.kernel.organization.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;

/** Platform authentication (API.md §3): register, login, refresh, logout, me, password, sessions. */
@RestController
@RequestMapping(path = "/api/v1/auth", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "auth", description = "Platform authentication")
class AuthController {

    private final AuthService auth;
    private final UserDirectory users;
    private final SessionDirectory sessions;
    private final OrganizationDirectory organizations;
    private final Authorization authorization;
    private final AccountSecurityService security;

    AuthController(AuthService auth, UserDirectory users, SessionDirectory sessions,
                   OrganizationDirectory organizations, Authorization authorization, AccountSecurityService security) {
        this.security = security;
        this.auth = auth;
        this.users = users;
        this.sessions = sessions;
        this.organizations = organizations;
        this.authorization = authorization;
    }

    @Operation(operationId = "register", summary = "Create an account and sign in")
    @Returns(value = AuthResponses.Tokens.class, status = 201)
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: registration is closed")
    @ApiResponse(responseCode = "409", description = "CONFLICT: the email is taken")
    @PostMapping(path = "/register", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> register(@Valid @RequestBody AuthRequests.Register request) {
        AuthService.IssuedTokens tokens = auth.registerAndSignIn(
                request.email(), request.password(), request.displayName(), request.locale());
        security.sendVerification(tokens.user().id());
        return Envelope.created(AuthResponses.Tokens.of(tokens));
    }

    @Operation(operationId = "login", summary = "Sign in with email and password")
    @Returns(value = AuthResponses.Tokens.class)
    @ApiResponse(responseCode = "401", description = "INVALID_CREDENTIALS: wrong email or password")
    @ApiResponse(responseCode = "423", description = "ACCOUNT_LOCKED: too many failed logins; Retry-After set")
    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> login(@Valid @RequestBody AuthRequests.Login request) {
        return Envelope.ok(AuthResponses.signIn(auth.login(request.email(), request.password())));
    }

    @Operation(operationId = "refreshTokens", summary = "Exchange a refresh token for a new pair; the old one dies")
    @Returns(value = AuthResponses.Tokens.class)
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED: unknown, used or expired refresh token")
    @PostMapping(path = "/refresh", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> refresh(@Valid @RequestBody AuthRequests.Refresh request) {
        return Envelope.ok(AuthResponses.Tokens.of(auth.refresh(request.refreshToken())));
    }

    @Operation(operationId = "logout", summary = "Revoke the current session")
    @Returns(value = AuthResponses.LoggedOut.class)
    @PostMapping("/logout")
    ResponseEntity<Envelope> logout(Principal principal) {
        authorization.requireSession(principal);
        auth.logout(principal);
        return Envelope.ok(new AuthResponses.LoggedOut(1));
    }

    @Operation(operationId = "logoutAll", summary = "Revoke every session of the current user")
    @Returns(value = AuthResponses.LoggedOut.class)
    @PostMapping("/logout-all")
    ResponseEntity<Envelope> logoutAll(Principal principal) {
        authorization.requireSession(principal);
        return Envelope.ok(new AuthResponses.LoggedOut(auth.logoutAll(principal)));
    }

    @Operation(operationId = "getCurrentUser", summary = "The current user, memberships and effective permissions")
    @Returns(value = AuthResponses.Me.class)
    @GetMapping("/me")
    ResponseEntity<Envelope> me(Principal principal) {
        if (!principal.isUser()) {
            throw BaserDbException.forbidden("A service key has no user");
        }
        var user = users.findById(principal.userId()).orElseThrow(() -> BaserDbException.notFound("User"));
        List<AuthResponses.Membership> memberships = organizations.membershipsOf(user.id()).stream()
                .filter(m -> principal.organizationId() == null || principal.organizationId().equals(m.organizationId()))
                .map(m -> {
                    Role role = Role.fromWire(m.role()).orElseThrow();
                    return new AuthResponses.Membership(m.organizationId(), m.role(),
                            authorization.effectivePermissions(principal, role).stream()
                                    .map(Permission::wireName).sorted().toList());
                })
                .toList();
        List<String> permissions = new ArrayList<>();
        if (principal.isPlatformAdmin()) {
            permissions.add("platform_admin");
        }
        return Envelope.ok(new AuthResponses.Me(AuthResponses.User.of(user), memberships, permissions));
    }

    @Operation(operationId = "changePassword", summary = "Change the password; other sessions are revoked")
    @Returns(value = AuthResponses.PasswordChanged.class)
    @PatchMapping(path = "/password", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> changePassword(Principal principal, @Valid @RequestBody AuthRequests.ChangePassword request) {
        authorization.requireSession(principal);
        refuseImpersonation(principal);
        auth.changePassword(principal, request.currentPassword(), request.newPassword());
        return Envelope.ok(new AuthResponses.PasswordChanged(true));
    }

    @Operation(operationId = "deleteAccount", summary = "Delete the account: sessions revoked, personal data erased (crypto-shredded)")
    @Returns(value = AuthResponses.Erased.class)
    @DeleteMapping(path = "/me", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> deleteAccount(Principal principal, @Valid @RequestBody AuthRequests.DeleteAccount request) {
        authorization.requireSession(principal);
        refuseImpersonation(principal);
        auth.eraseOwnAccount(principal, request.password());
        return Envelope.ok(new AuthResponses.Erased(principal.userId(), true));
    }

    @Operation(operationId = "listSessions", summary = "The current user's active sessions")
    @Returns(value = AuthResponses.Session.class, list = true)
    @GetMapping("/sessions")
    ResponseEntity<Envelope> sessions(Principal principal) {
        authorization.requireSession(principal);
        return Envelope.list(sessions.activeSessionsOf(principal.userId()).stream()
                .map(session -> AuthResponses.Session.of(session, principal.sessionId()))
                .toList());
    }

    /** What only the account's owner may do: an admin acting as the user may not. */
    private static void refuseImpersonation(Principal principal) {
        if (principal.isImpersonated()) {
            throw BaserDbException.forbidden("An impersonation session cannot do this for the user");
        }
    }
}
