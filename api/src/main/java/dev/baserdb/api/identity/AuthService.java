package dev.baserdb.api.identity;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.api.platform.security.Passwords;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.identity.SessionCommands.RefreshOutcome;
import dev.baserdb.kernel.identity.SessionCommands.RefreshSession;
import dev.baserdb.kernel.identity.SessionCommands.RevokeSession;
import dev.baserdb.kernel.identity.SessionCommands.StartSession;
import dev.baserdb.kernel.id.SessionId;
import dev.baserdb.kernel.identity.UserCommands.AcceptInvitation;
import dev.baserdb.kernel.identity.UserCommands.ChangePassword;
import dev.baserdb.kernel.identity.UserCommands.EraseUser;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.organization.OrganizationCommands.RemoveMember;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.kernel.identity.UserCommands.LoginFailureOutcome;
import dev.baserdb.kernel.identity.UserCommands.RecordFailedLogin;
import dev.baserdb.kernel.identity.UserCommands.RecordSuccessfulLogin;
import dev.baserdb.kernel.identity.UserCommands.RegisterUser;
import dev.baserdb.kernel.identity.UserCommands.StartMfaChallenge;
import dev.baserdb.api.settings.PlatformSettingsService;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.query.identity.ApiTokenDirectory;
import dev.baserdb.query.identity.SessionDirectory;
import dev.baserdb.query.identity.SessionView;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.identity.UserView;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Platform authentication as a sequence of commands: it checks what only the read side can know
 * (does this email exist, does the password match), then lets the User and Session aggregates
 * decide and record.
 */
@Service
class AuthService {

    /** A pair of tokens for a user, the refresh token in clear for the one response that shows it. */
    record IssuedTokens(String accessToken, String refreshToken, Duration expiresIn, UserView user) {
    }

    /**
     * The end of a first sign-in step (password, magic link, reset): tokens, or, with 2FA on, the
     * single-use token of the challenge that {@code POST /auth/2fa/verify} completes.
     */
    record SignIn(IssuedTokens tokens, String mfaToken) {

        static SignIn of(IssuedTokens tokens) {
            return new SignIn(tokens, null);
        }

        static SignIn mfa(String mfaToken) {
            return new SignIn(null, mfaToken);
        }
    }

    /** How long the MFA token of a password-checked sign-in lasts. */
    static final Duration MFA_TOKEN_TTL = Duration.ofMinutes(5);

    /** The lockout realm of sign-in attempts with emails of no active account. */
    private static final String UNKNOWN_EMAILS = "platform:unknown-email";

    private final Commands commands;
    private final UserDirectory users;
    private final SessionDirectory sessions;
    private final ApiTokenDirectory apiTokens;
    private final OrganizationDirectory organizations;
    private final PersonalData personalData;
    private final Passwords passwords;
    private final AccessTokens accessTokens;
    private final SessionGuard sessionGuard;
    private final AuthProperties properties;
    private final PlatformSettingsService settings;
    private final LoginLockout unknownEmails;
    private final Clock clock;

    AuthService(Commands commands, UserDirectory users, SessionDirectory sessions, ApiTokenDirectory apiTokens,
                OrganizationDirectory organizations, PersonalData personalData, Passwords passwords,
                AccessTokens accessTokens, SessionGuard sessionGuard, AuthProperties properties,
                PlatformSettingsService settings, LoginLockout unknownEmails, Clock clock) {
        this.settings = settings;
        this.commands = commands;
        this.users = users;
        this.sessions = sessions;
        this.apiTokens = apiTokens;
        this.organizations = organizations;
        this.personalData = personalData;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.sessionGuard = sessionGuard;
        this.properties = properties;
        this.unknownEmails = unknownEmails;
        this.clock = clock;
    }

    UserId register(String email, String password, String displayName, String locale, Set<String> platformRoles) {
        String normalized = normalize(email);
        if (users.emailTaken(normalized)) {
            throw BaserDbException.conflict("An account with this email already exists");
        }
        UserId userId = UserId.generate();
        actAs(userId.value());
        commands.send(new RegisterUser(userId, personalData.seal(userId.value(), normalized), passwords.hash(password),
                personalData.seal(userId.value(), displayName), locale == null ? "en" : locale, platformRoles));
        return userId;
    }

    IssuedTokens registerAndSignIn(String email, String password, String displayName, String locale) {
        if (!settings.current().registrationOpen()) {
            throw BaserDbException.forbidden("Registration is closed");
        }
        UserId userId = register(email, password, displayName, locale, Set.of());
        return startSession(users.findById(userId.value()).orElseThrow());
    }

    SignIn login(String email, String password) {
        String normalized = normalize(email);
        UserView user = users.findByEmail(normalized).orElse(null);
        if (user == null || !"active".equals(user.status())) {
            // An unknown email costs the same Argon2 work and locks out after as many failures as a
            // known one, so neither the answers nor their count tell whether the account exists.
            String subject = "email:" + Secrets.sha256(normalized);
            unknownEmails.requireOpen(UNKNOWN_EMAILS, subject);
            passwords.spendTimeOnUnknownAccount(password);
            if (unknownEmails.recordFailure(UNKNOWN_EMAILS, subject) == LoginLockout.Outcome.ALREADY_LOCKED) {
                throw unknownEmails.lockedError(UNKNOWN_EMAILS, subject);
            }
            throw invalidCredentials();
        }
        Instant now = clock.instant();
        if (user.lockedAt(now)) {
            throw locked(user.lockedUntil(), now);
        }
        actAs(user.id());
        if (!passwords.matches(password, user.passwordHash())) {
            // The User aggregate decides whether this failure counts, locks, or meets a lock already
            // there: the read model above may lag behind parallel guesses.
            throw failedAttempt(user.id(), invalidCredentials());
        }
        return afterFirstFactor(user);
    }

    /**
     * Counts a failed sign-in step (a wrong password, a wrong second factor) toward the lockout:
     * returns {@code otherwise}, or ACCOUNT_LOCKED when the account was already locked.
     */
    BaserDbException failedAttempt(String userId, BaserDbException otherwise) {
        // The User aggregate decides whether this failure counts, locks, or meets a lock already
        // there: the read model may lag behind parallel guesses.
        LoginFailureOutcome outcome = commands.sendDecidingOnLatest(new RecordFailedLogin(new UserId(userId),
                settings.lockoutMaxAttempts(), settings.lockoutDuration()));
        if (outcome.result() == LoginFailureOutcome.Result.ALREADY_LOCKED) {
            return locked(outcome.lockedUntil(), clock.instant());
        }
        return otherwise;
    }

    /**
     * The first factor was proved (password, magic link, reset link): with 2FA on, a short-lived
     * single-use challenge; otherwise the run of failures ends and a session starts.
     */
    SignIn afterFirstFactor(UserView user) {
        actAs(user.id());
        if (user.totpEnabled()) {
            String mfaToken = Secrets.newToken();
            commands.sendDecidingOnLatest(new StartMfaChallenge(new UserId(user.id()), Secrets.sha256(mfaToken),
                    clock.instant().plus(MFA_TOKEN_TTL)));
            return SignIn.mfa(mfaToken);
        }
        return SignIn.of(completeSignIn(user));
    }

    /** Ends the run of failed logins (refused while locked) and starts a session. */
    IssuedTokens completeSignIn(UserView user) {
        // Refused with ACCOUNT_LOCKED when a parallel guess locked the account after the checks.
        commands.sendDecidingOnLatest(new RecordSuccessfulLogin(new UserId(user.id())));
        return startSession(user);
    }

    IssuedTokens acceptInvitation(String token, String password, String displayName) {
        String hash = Secrets.sha256(token);
        String userId = apiTokens.invitedUserFor(hash)
                .orElseThrow(() -> BaserDbException.notFound("Invitation"));
        actAs(userId);
        commands.send(new AcceptInvitation(new UserId(userId), hash, passwords.hash(password),
                displayName == null || displayName.isBlank() ? null : personalData.seal(userId, displayName.trim())));
        return startSession(users.findById(userId).orElseThrow());
    }

    IssuedTokens refresh(String refreshToken) {
        String presented = Secrets.sha256(refreshToken);
        String sessionId = sessions.sessionIdForRefreshTokenHash(presented)
                .orElseThrow(() -> BaserDbException.unauthorized("Invalid refresh token"));
        SessionView session = sessions.findById(sessionId).orElseThrow();
        actAs(session.userId());
        String next = Secrets.newToken();
        RefreshOutcome outcome = commands.send(new RefreshSession(new SessionId(sessionId), presented,
                Secrets.sha256(next), clock.instant().plus(properties.refreshTokenTtl())));
        if (outcome != RefreshOutcome.ROTATED) {
            sessionGuard.forget(sessionId, session.userId());
            throw BaserDbException.unauthorized(outcome == RefreshOutcome.REUSE_DETECTED
                    ? "Refresh token was already used; the session has been revoked"
                    : "Invalid refresh token");
        }
        UserView user = users.findById(session.userId())
                .filter(u -> "active".equals(u.status()))
                .orElseThrow(() -> BaserDbException.unauthorized("Account is not active"));
        return new IssuedTokens(accessTokens.issue(user.id(), sessionId), next, accessTokens.ttl(), user);
    }

    void logout(Principal principal) {
        revoke(principal.sessionId(), principal.userId(), "logout");
    }

    int logoutAll(Principal principal) {
        var active = sessions.activeSessionsOf(principal.userId());
        active.forEach(session -> revoke(session.id(), principal.userId(), "logout_all"));
        return active.size();
    }

    void changePassword(Principal principal, String currentPassword, String newPassword) {
        UserView user = users.findById(principal.userId()).orElseThrow(() -> BaserDbException.notFound("User"));
        if (!passwords.matches(currentPassword, user.passwordHash())) {
            throw new BaserDbException(ErrorCode.INVALID_CREDENTIALS, "Current password is wrong");
        }
        commands.send(new ChangePassword(new UserId(user.id()), passwords.hash(newPassword)));
        sessions.activeSessionsOf(user.id()).stream()
                .filter(session -> !session.id().equals(principal.sessionId()))
                .forEach(session -> revoke(session.id(), user.id(), "password_changed"));
    }

    /**
     * Erases an account: its sessions end, it leaves its organizations, an erasure event is recorded,
     * and its data key is destroyed, which shreds its personal data in every event. An account that
     * is the last owner of an organization must hand the organization over first (409).
     */
    void erase(String userId) {
        UserView user = users.findById(userId).filter(u -> !"erased".equals(u.status()))
                .orElseThrow(() -> BaserDbException.notFound("User"));
        var memberships = organizations.membershipsOf(userId);
        for (var membership : memberships) {
            if ("owner".equals(membership.role()) && organizations.ownerCount(membership.organizationId()) == 1) {
                throw BaserDbException.conflict("The account is the last owner of organization "
                        + membership.organizationId() + "; transfer ownership first");
            }
        }
        commands.inOneTransaction(() -> {
            sessions.activeSessionsOf(userId).forEach(session -> revoke(session.id(), userId, "account_erased"));
            memberships.forEach(membership -> commands.send(new RemoveMember(
                    new OrganizationId(membership.organizationId()), new UserId(userId), new UserId(userId), null)));
            return commands.send(new EraseUser(new UserId(user.id())));
        });
        personalData.destroyKey(userId);
    }

    void eraseOwnAccount(Principal principal, String password) {
        UserView user = users.findById(principal.userId()).orElseThrow(() -> BaserDbException.notFound("User"));
        if (!passwords.matches(password, user.passwordHash())) {
            throw new BaserDbException(ErrorCode.INVALID_CREDENTIALS, "Password is wrong");
        }
        erase(user.id());
    }

    /**
     * Starts a session for the user. In single-session mode (API.md §14) the user's other sessions
     * are revoked once the new one exists.
     */
    IssuedTokens startSession(UserView user) {
        SessionId sessionId = SessionId.generate();
        String refreshToken = Secrets.newToken();
        RequestContext context = RequestContext.current();
        commands.send(new StartSession(sessionId, new UserId(user.id()), Secrets.sha256(refreshToken),
                clock.instant().plus(properties.refreshTokenTtl()),
                context == null ? null : personalData.seal(user.id(), truncate(context.userAgent(), 512)),
                context == null ? null : personalData.seal(user.id(), context.ip())));
        if (settings.current().singleSessionMode()) {
            sessions.activeSessionsOf(user.id()).stream()
                    .filter(session -> !session.id().equals(sessionId.value()))
                    .forEach(session -> revoke(session.id(), user.id(), "single_session_mode"));
        }
        return new IssuedTokens(accessTokens.issue(user.id(), sessionId.value()), refreshToken,
                accessTokens.ttl(), user);
    }

    /** Revokes every active session of the user (password reset, admin action); returns how many. */
    int revokeAllSessions(String userId, String reason) {
        var active = sessions.activeSessionsOf(userId);
        active.forEach(session -> revoke(session.id(), userId, reason));
        return active.size();
    }

    void revoke(String sessionId, String userId, String reason) {
        commands.send(new RevokeSession(new SessionId(sessionId), reason));
        sessionGuard.forget(sessionId, userId);
    }

    /** Requests without a token act for the user they concern (register, login, refresh). */
    static void actAs(String userId) {
        RequestContext context = RequestContext.current();
        if (context != null && context.actorId() == null) {
            context.actor("user", userId);
        }
    }

    static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    static BaserDbException invalidCredentials() {
        return new BaserDbException(ErrorCode.INVALID_CREDENTIALS, "Invalid email or password");
    }

    private static BaserDbException locked(Instant until, Instant now) {
        return LoginLockout.locked(until, now);
    }
}
