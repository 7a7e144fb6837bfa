package dev.baserdb.api.identity;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.SessionId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.SessionCommands.PurgeSession;
import dev.baserdb.kernel.identity.SessionCommands.StartSession;
import dev.baserdb.kernel.identity.UserCommands.SetPlatformRoles;
import dev.baserdb.kernel.identity.UserCommands.StartImpersonation;
import dev.baserdb.query.identity.SessionDirectory;
import dev.baserdb.query.identity.SessionView;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.identity.UserView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Platform administration of accounts and sessions (API.md §14): users with search, platform
 * roles, erasure, impersonation; every active session, revoking one, purging expired ones. Only
 * platform admins, and never through an impersonation token.
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin")
class AdminUserController {

    static final String PLATFORM_ADMIN = "platform_admin";
    private static final Set<String> PLATFORM_ROLES = Set.of(PLATFORM_ADMIN);
    static final Duration IMPERSONATION_TTL = Duration.ofMinutes(15);
    /** Sessions one purge call removes at most (the rest go with the next call). */
    static final int PURGE_BATCH = 500;

    private final AuthService auth;
    private final Commands commands;
    private final UserDirectory users;
    private final SessionDirectory sessions;
    private final AccessTokens accessTokens;
    private final Clock clock;

    AdminUserController(AuthService auth, Commands commands, UserDirectory users, SessionDirectory sessions,
                        AccessTokens accessTokens, Clock clock) {
        this.auth = auth;
        this.commands = commands;
        this.users = users;
        this.sessions = sessions;
        this.accessTokens = accessTokens;
        this.clock = clock;
    }

    /** {@code {roles: ["platform_admin"]}} — the user's platform roles, replaced as a whole. */
    record PlatformRolesBody(@NotNull @Size(max = 10) List<String> roles) {
    }

    record AdminSession(String id, String userId, String device, String ip, Instant createdAt, Instant lastUsedAt,
                        Instant expiresAt) {

        static AdminSession of(SessionView view) {
            return new AdminSession(view.id(), view.userId(), view.userAgent(), view.ip(), view.createdAt(),
                    view.lastUsedAt(), view.expiresAt());
        }
    }

    record SessionRevoked(String id, boolean revoked) {
    }

    record SessionsPurged(int purged) {
    }

    record ImpersonationTokens(String accessToken, String tokenType, long expiresIn, AuthResponses.User user) {
    }

    @Operation(operationId = "listAdminUsers", summary = "Every account; ?search= matches email or display name")
    @GetMapping("/users")
    ResponseEntity<Envelope> listAdminUsers(Principal principal, @RequestParam(required = false) String search,
                                            @RequestParam(required = false) Integer limit,
                                            @RequestParam(required = false) Integer offset) {
        requireAdmin(principal);
        if (search != null && search.length() > 254) {
            throw BaserDbException.invalid("search", "must be at most 254 characters");
        }
        return Responses.page(users.search(search, Responses.pageRequest(limit, offset)), null, AuthResponses.User::of);
    }

    @Operation(operationId = "setUserPlatformRoles", summary = "Replace a user's platform roles (from their next request)")
    @PatchMapping(path = "/users/{id}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> setUserPlatformRoles(Principal principal, @PathVariable String id,
                                                  @Valid @RequestBody PlatformRolesBody body) {
        requireAdmin(principal);
        Set<String> roles = new LinkedHashSet<>();
        for (String role : body.roles()) {
            if (role == null || !PLATFORM_ROLES.contains(role)) {
                throw BaserDbException.invalid("roles", "may hold only platform_admin");
            }
            roles.add(role);
        }
        UserView user = activeUser(id);
        if (user.isPlatformAdmin() && !roles.contains(PLATFORM_ADMIN) && users.countWithRole(PLATFORM_ADMIN) <= 1) {
            throw BaserDbException.conflict("This is the last platform admin; make another one first");
        }
        commands.send(new SetPlatformRoles(new UserId(id), roles));
        return Envelope.ok(AuthResponses.User.of(activeUser(id)));
    }

    @Operation(operationId = "eraseAdminUser",
            summary = "Erase an account: sessions revoked, memberships ended, personal data crypto-shredded")
    @DeleteMapping("/users/{id}")
    ResponseEntity<Envelope> eraseAdminUser(Principal principal, @PathVariable String id) {
        requireAdmin(principal);
        auth.erase(id);
        return Envelope.ok(new AuthResponses.Erased(id, true));
    }

    @Operation(operationId = "impersonateUser",
            summary = "A 15-minute token acting as the user (act claim names the admin); refused for platform admins")
    @PostMapping("/users/{id}/impersonate")
    ResponseEntity<Envelope> impersonateUser(Principal principal, @PathVariable String id) {
        requireAdmin(principal);
        UserView user = activeUser(id);
        if (user.isPlatformAdmin()) {
            throw BaserDbException.forbidden("Platform admins cannot be impersonated");
        }
        Instant expiresAt = clock.instant().plus(IMPERSONATION_TTL);
        SessionId sessionId = SessionId.generate();
        // The session has a refresh token nobody ever sees: an impersonation ends with its 15 minutes.
        commands.inOneTransaction(() -> {
            commands.send(new StartImpersonation(new UserId(id), new UserId(principal.userId()), sessionId.value(),
                    expiresAt));
            return commands.send(new StartSession(sessionId, new UserId(id), Secrets.sha256(Secrets.newToken()),
                    expiresAt, null, null));
        });
        String token = accessTokens.issueImpersonation(id, sessionId.value(), principal.userId(), IMPERSONATION_TTL);
        return Envelope.ok(new ImpersonationTokens(token, "Bearer", IMPERSONATION_TTL.toSeconds(),
                AuthResponses.User.of(user)));
    }

    @Operation(operationId = "listAdminSessions", summary = "Active sessions of every user, or of one (?user_id=)")
    @GetMapping("/sessions")
    ResponseEntity<Envelope> listAdminSessions(Principal principal,
                                               @RequestParam(name = "user_id", required = false) String userId,
                                               @RequestParam(required = false) Integer limit,
                                               @RequestParam(required = false) Integer offset) {
        requireAdmin(principal);
        return Responses.page(sessions.activeSessions(userId, clock.instant(), Responses.pageRequest(limit, offset)),
                null, AdminSession::of);
    }

    @Operation(operationId = "getAdminSession", summary = "One session")
    @GetMapping("/sessions/{id}")
    ResponseEntity<Envelope> getAdminSession(Principal principal, @PathVariable String id) {
        requireAdmin(principal);
        return Envelope.ok(AdminSession.of(sessions.findById(id).orElseThrow(() -> BaserDbException.notFound("Session"))));
    }

    @Operation(operationId = "revokeAdminSession", summary = "Revoke a session: its access tokens stop at once")
    @DeleteMapping("/sessions/{id}")
    ResponseEntity<Envelope> revokeAdminSession(Principal principal, @PathVariable String id) {
        requireAdmin(principal);
        SessionView session = sessions.findById(id).orElseThrow(() -> BaserDbException.notFound("Session"));
        auth.revoke(session.id(), session.userId(), "revoked_by_admin");
        return Envelope.ok(new SessionRevoked(id, true));
    }

    @Operation(operationId = "purgeExpiredSessions", summary = "Remove expired sessions from the sessions read model")
    @PostMapping("/sessions/purge")
    ResponseEntity<Envelope> purgeExpiredSessions(Principal principal) {
        requireAdmin(principal);
        Instant now = clock.instant();
        int purged = 0;
        for (String sessionId : sessions.expiredSessionIds(now, PURGE_BATCH)) {
            commands.send(new PurgeSession(new SessionId(sessionId), now));
            purged++;
        }
        return Envelope.ok(new SessionsPurged(purged));
    }

    private UserView activeUser(String id) {
        return users.findById(id).filter(u -> "active".equals(u.status()))
                .orElseThrow(() -> BaserDbException.notFound("User"));
    }

    static void requireAdmin(Principal principal) {
        if (!principal.isPlatformAdmin() || principal.isImpersonated()) {
            throw BaserDbException.forbidden("Only platform admins administer the platform");
        }
    }
}
