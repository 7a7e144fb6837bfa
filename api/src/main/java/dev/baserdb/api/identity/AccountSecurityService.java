package dev.baserdb.api.identity;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.api.platform.mail.Mailer;
import dev.baserdb.api.platform.security.Passwords;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.security.SecondFactors;
import dev.baserdb.api.settings.PlatformSettingsService;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.UserCommands.CompleteMfaChallenge;
import dev.baserdb.kernel.identity.UserCommands.DisableTotp;
import dev.baserdb.kernel.identity.UserCommands.EnableTotp;
import dev.baserdb.kernel.identity.UserCommands.RequestEmailVerification;
import dev.baserdb.kernel.identity.UserCommands.RequestMagicLink;
import dev.baserdb.kernel.identity.UserCommands.RequestPasswordReset;
import dev.baserdb.kernel.identity.UserCommands.ResetPassword;
import dev.baserdb.kernel.identity.UserCommands.SecondFactor;
import dev.baserdb.kernel.identity.UserCommands.StartTotpSetup;
import dev.baserdb.kernel.identity.UserCommands.UseMagicLink;
import dev.baserdb.kernel.identity.UserCommands.UseSecondFactor;
import dev.baserdb.kernel.identity.UserCommands.VerifyEmail;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.kernel.readmodel.IdentityTables.AccountTokens;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.identity.UserView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Account security (API.md §3): password reset, email verification, magic links and TOTP
 * two-factor with recovery codes. Every token is 256 random bits, mailed once and kept only as its
 * SHA-256; the User aggregate decides whether a token is still good (unused, within its hour) and
 * whether a second factor may be spent (a TOTP time step once, a recovery code once). This service
 * does what the aggregate may not: mail, clocks, the sealed secret.
 */
@Service
class AccountSecurityService implements SecondFactors {

    private static final Logger log = LoggerFactory.getLogger(AccountSecurityService.class);

    static final Duration TOKEN_TTL = Duration.ofHours(1);
    static final int RECOVERY_CODES = 10;
    /**
     * One reset or magic-link email per account and kind in this long: the unauthenticated routes
     * cannot be used to flood a mailbox. A request within it answers the same 202 and sends nothing.
     */
    static final Duration RESEND_INTERVAL = Duration.ofMinutes(1);
    private static final String RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthService auth;
    private final Commands commands;
    private final UserDirectory users;
    private final PersonalData personalData;
    private final Passwords passwords;
    private final Mailer mailer;
    private final PlatformSettingsService settings;
    private final Clock clock;
    /**
     * Emails leave on a thread of their own: the answer to forgot-password and magic-link takes
     * no longer for a known address than for an unknown one, and a slow mail server slows no request.
     */
    private final ExecutorService mail = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "account-mail");
        thread.setDaemon(true);
        return thread;
    });

    AccountSecurityService(AuthService auth, Commands commands, UserDirectory users, PersonalData personalData,
                           Passwords passwords, Mailer mailer, PlatformSettingsService settings, Clock clock) {
        this.auth = auth;
        this.commands = commands;
        this.users = users;
        this.personalData = personalData;
        this.passwords = passwords;
        this.mailer = mailer;
        this.settings = settings;
        this.clock = clock;
    }

    // --- password reset ---

    /** Mails a reset link when the email names an active account; says nothing either way. */
    void forgotPassword(String email) {
        activeUserByEmail(email).filter(user -> notRecentlySent(user.id(), AccountTokens.RESET)).ifPresent(user -> {
            AuthService.actAs(user.id());
            String token = Secrets.newToken();
            commands.send(new RequestPasswordReset(new UserId(user.id()), Secrets.sha256(token),
                    clock.instant().plus(TOKEN_TTL)));
            send(user.email(), "Reset your password",
                    "Someone asked to reset the password of your account. If it was you, open this link within "
                            + "one hour:\n\n" + link("reset-password", token)
                            + "\n\nIf it was not you, ignore this email: your password stays as it is.");
        });
    }

    /** Sets the new password, revokes every session, and signs in (2FA still applies). */
    AuthService.SignIn resetPassword(String token, String password) {
        String hash = Secrets.sha256(token);
        String userId = users.userForToken(hash, AccountTokens.RESET).orElseThrow(AccountSecurityService::badToken);
        AuthService.actAs(userId);
        commands.send(new ResetPassword(new UserId(userId), hash, passwords.hash(password), clock.instant()));
        auth.revokeAllSessions(userId, "password_reset");
        return auth.afterFirstFactor(activeUser(userId));
    }

    // --- email verification ---

    /** Mails a verification link to the user's address (best effort at registration). */
    void sendVerification(String userId) {
        UserView user = activeUser(userId);
        if (user.emailVerifiedAt() != null) {
            throw BaserDbException.conflict("The email address is already verified");
        }
        String token = Secrets.newToken();
        commands.send(new RequestEmailVerification(new UserId(userId), Secrets.sha256(token),
                clock.instant().plus(TOKEN_TTL)));
        send(user.email(), "Verify your email address",
                "Please confirm this address by opening this link within one hour:\n\n" + link("verify-email", token));
    }

    void verifyEmail(String token) {
        String hash = Secrets.sha256(token);
        String userId = users.userForToken(hash, AccountTokens.VERIFICATION)
                .orElseThrow(AccountSecurityService::badToken);
        AuthService.actAs(userId);
        commands.send(new VerifyEmail(new UserId(userId), hash, clock.instant()));
    }

    // --- magic links ---

    void requestMagicLink(String email) {
        activeUserByEmail(email).filter(user -> notRecentlySent(user.id(), AccountTokens.MAGIC_LINK)).ifPresent(user -> {
            AuthService.actAs(user.id());
            String token = Secrets.newToken();
            commands.send(new RequestMagicLink(new UserId(user.id()), Secrets.sha256(token),
                    clock.instant().plus(TOKEN_TTL)));
            send(user.email(), "Your sign-in link",
                    "Open this link within one hour to sign in (it works once):\n\n" + link("magic-link", token)
                            + "\n\nIf you did not ask for it, ignore this email.");
        });
    }

    AuthService.SignIn useMagicLink(String token) {
        String hash = Secrets.sha256(token);
        String userId = users.userForToken(hash, AccountTokens.MAGIC_LINK).orElseThrow(AccountSecurityService::badToken);
        UserView user = activeUser(userId);
        // A locked account keeps its link for later rather than spending it on a refusal.
        if (user.lockedAt(clock.instant())) {
            throw LoginLockout.locked(user.lockedUntil(), clock.instant());
        }
        AuthService.actAs(userId);
        commands.send(new UseMagicLink(new UserId(userId), hash, clock.instant()));
        return auth.afterFirstFactor(activeUser(userId));
    }

    // --- TOTP two-factor ---

    record TotpSetup(String secret, String otpauthUrl) {
    }

    TotpSetup setUpTotp(Principal principal) {
        UserView user = activeUser(principal.userId());
        if (user.totpEnabled()) {
            throw BaserDbException.conflict("Two-factor authentication is already on; disable it first");
        }
        String secret = Totp.newSecret();
        commands.send(new StartTotpSetup(new UserId(user.id()), personalData.seal(user.id(), secret)));
        return new TotpSetup(secret, Totp.otpauthUrl(appName(), user.email(), secret));
    }

    /** Turns TOTP on with a code of the pending secret; returns the 10 recovery codes, shown this once. */
    List<String> enableTotp(Principal principal, String code) {
        UserView user = activeUser(principal.userId());
        if (user.totpEnabled()) {
            throw BaserDbException.conflict("Two-factor authentication is already on");
        }
        if (user.totpPendingSecret() == null) {
            throw BaserDbException.conflict("Start the setup first (POST /auth/2fa/setup)");
        }
        String secret = open(user.totpPendingSecret());
        OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
        if (step.isEmpty()) {
            throw wrongCodeField();
        }
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String recovery = newRecoveryCode();
            codes.add(recovery);
            hashes.add(Secrets.sha256(recovery));
        }
        try {
            commands.send(new EnableTotp(new UserId(user.id()), step.getAsLong(), hashes));
        } catch (BaserDbException e) {
            throw e.code() == ErrorCode.INVALID_CREDENTIALS ? wrongCodeField() : e;
        }
        return codes;
    }

    /** Turns TOTP off, proved by a current code or a recovery code; a wrong one counts toward the lockout. */
    void disableTotp(Principal principal, String code) {
        UserView user = activeUser(principal.userId());
        if (!user.totpEnabled()) {
            throw BaserDbException.conflict("Two-factor authentication is off");
        }
        SecondFactor proof = proofOf(user, code);
        try {
            if (proof == null) {
                throw User2fa.wrong();
            }
            commands.send(new DisableTotp(new UserId(user.id()), proof));
        } catch (BaserDbException e) {
            if (e.code() != ErrorCode.INVALID_CREDENTIALS) {
                throw e;
            }
            throw auth.failedAttempt(user.id(), wrongCodeField());
        }
    }

    /** Completes a sign-in whose password (or link) was right, with a TOTP or recovery code. */
    AuthService.IssuedTokens verifyMfa(String mfaToken, String code) {
        String hash = Secrets.sha256(mfaToken);
        String userId = users.userForToken(hash, AccountTokens.MFA)
                .orElseThrow(() -> BaserDbException.unauthorized("The MFA token is invalid, used or expired; sign in again"));
        UserView user = activeUser(userId);
        AuthService.actAs(userId);
        if (user.lockedAt(clock.instant())) {
            throw LoginLockout.locked(user.lockedUntil(), clock.instant());
        }
        SecondFactor proof = proofOf(user, code);
        try {
            if (proof == null) {
                throw User2fa.wrong();
            }
            commands.sendDecidingOnLatest(new CompleteMfaChallenge(new UserId(userId), hash, proof, clock.instant()));
        } catch (BaserDbException e) {
            if (e.code() != ErrorCode.INVALID_CREDENTIALS) {
                throw e;
            }
            throw auth.failedAttempt(userId, e);
        }
        return auth.completeSignIn(activeUser(userId));
    }

    /**
     * The second factor a credential reveal under {@code require_mfa} asks for (API.md §8): true when
     * the code is the caller's current TOTP (or an unused recovery code), which is then used up. A
     * wrong code counts toward the lockout; a user without 2FA can never pass.
     */
    @Override
    public boolean prove(String userId, String code) {
        if (userId == null || code == null || code.isBlank()) {
            return false;
        }
        UserView user = users.findById(userId).filter(u -> "active".equals(u.status())).orElse(null);
        if (user == null || !user.totpEnabled()) {
            return false;
        }
        SecondFactor proof = proofOf(user, code);
        try {
            if (proof == null) {
                throw User2fa.wrong();
            }
            commands.sendDecidingOnLatest(new UseSecondFactor(new UserId(userId), proof));
            return true;
        } catch (BaserDbException e) {
            if (e.code() != ErrorCode.INVALID_CREDENTIALS) {
                throw e;
            }
            BaserDbException outcome = auth.failedAttempt(userId, e);
            if (outcome.code() == ErrorCode.ACCOUNT_LOCKED) {
                throw outcome;
            }
            return false;
        }
    }

    /** A six-digit code → the time step it matches now; anything else → a recovery code's hash; null when neither. */
    private SecondFactor proofOf(UserView user, String code) {
        if (code == null || code.isBlank() || code.length() > 64) {
            return null;
        }
        String trimmed = code.trim();
        if (trimmed.matches("\\d{" + Totp.DIGITS + "}")) {
            if (user.totpSecret() == null) {
                return null;
            }
            OptionalLong step = Totp.matchingStep(open(user.totpSecret()), trimmed, clock.instant());
            return step.isPresent() ? SecondFactor.totp(step.getAsLong()) : null;
        }
        return SecondFactor.recoveryCode(Secrets.sha256(trimmed.toLowerCase(Locale.ROOT)));
    }

    private String open(String sealed) {
        return personalData.open(sealed)
                .orElseThrow(() -> BaserDbException.conflict("The two-factor secret was erased with its data key"));
    }

    /** Four groups of four: 80 random bits, easy to copy by hand. */
    private static String newRecoveryCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(RECOVERY_ALPHABET.charAt(RANDOM.nextInt(RECOVERY_ALPHABET.length())));
        }
        return code.toString();
    }

    // --- helpers ---

    /** Whether the user's newest open token of this kind is older than {@link #RESEND_INTERVAL}. */
    private boolean notRecentlySent(String userId, String purpose) {
        return users.latestTokenExpiry(userId, purpose)
                .map(expiry -> !expiry.minus(TOKEN_TTL).plus(RESEND_INTERVAL).isAfter(clock.instant()))
                .orElse(true);
    }

    private java.util.Optional<UserView> activeUserByEmail(String email) {
        if (email == null) {
            return java.util.Optional.empty();
        }
        return users.findByEmail(AuthService.normalize(email)).filter(u -> "active".equals(u.status()));
    }

    /** The active account (a token of an erased or invited one is as good as none). */
    private UserView activeUser(String userId) {
        return users.findById(userId).filter(u -> "active".equals(u.status()))
                .orElseThrow(AccountSecurityService::badToken);
    }

    private String link(String path, String token) {
        String base = settings.current().appUrl();
        if (base == null || base.isBlank()) {
            base = "http://localhost:8080";
        }
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/" + path + "?token=" + token;
    }

    private String appName() {
        String name = settings.current().appName();
        return name == null || name.isBlank() ? "BaserDB" : name;
    }

    private void send(String to, String subject, String text) {
        String prefixed = "[" + appName() + "] " + subject;
        RequestContext context = RequestContext.current();
        String requestId = context == null ? null : context.requestId();
        mail.execute(() -> {
            try {
                mailer.send(to, prefixed, text);
            } catch (RuntimeException e) {
                log.warn("Account email (request {}) was not sent: {}", requestId, e.getMessage());
            }
        });
    }

    private static BaserDbException badToken() {
        return new BaserDbException(ErrorCode.BAD_REQUEST, "The token is invalid, used or expired");
    }

    private static BaserDbException wrongCodeField() {
        return BaserDbException.invalid("code", "is wrong or was already used");
    }

    /** The aggregate's answer to a wrong second factor, for a code that matched nothing here. */
    private static final class User2fa {
        static BaserDbException wrong() {
            return new BaserDbException(ErrorCode.INVALID_CREDENTIALS, "The code is wrong or was already used");
        }
    }
}
