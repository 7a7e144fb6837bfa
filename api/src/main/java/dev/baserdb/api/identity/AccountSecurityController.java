package dev.baserdb.api.identity;

import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Account security (API.md §3): forgot/reset password, email verification, magic links and TOTP
 * two-factor. All under {@code /api/v1/auth}, so the identity mode's path rule covers them.
 */
@RestController
@RequestMapping(path = "/api/v1/auth", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "auth", description = "Platform authentication")
class AccountSecurityController {

    private final AccountSecurityService security;
    private final Authorization authorization;

    AccountSecurityController(AccountSecurityService security, Authorization authorization) {
        this.security = security;
        this.authorization = authorization;
    }

    /** {@code {email}}: the address of the account. */
    record EmailAddressBody(@NotBlank @Size(max = 254) String email) {
    }

    /** {@code {token, password}}: the token from the reset email and the new password. */
    record PasswordResetBody(@NotBlank @Size(max = 256) String token,
                             @NotNull @Pattern(regexp = AuthRequests.PASSWORD_LENGTH, message = "must be 8 to 128 characters")
                             String password) {
    }

    /** {@code {token}}: a single-use token from an email. */
    record EmailTokenBody(@NotBlank @Size(max = 256) String token) {
    }

    /** {@code {mfa_token, code}}: the login's challenge and a TOTP or recovery code. */
    record MfaVerificationBody(@NotBlank @Size(max = 256) String mfaToken, @NotBlank @Size(max = 64) String code) {
    }

    /** {@code {code}}: a TOTP code (or, to disable, a recovery code). */
    record TotpCodeBody(@NotBlank @Size(max = 64) String code) {
    }

    record AcceptedForDelivery(boolean accepted) {
    }

    record EmailVerified(boolean emailVerified) {
    }

    record TotpSetupResponse(String secret, String otpauthUrl) {
    }

    record RecoveryCodes(List<String> recoveryCodes) {
    }

    record TotpDisabled(boolean twoFactorEnabled) {
    }

    @Operation(operationId = "forgotPassword", summary = "Mail a password reset link; the same 202 whatever the email")
    @PostMapping(path = "/forgot-password", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> forgotPassword(@Valid @RequestBody EmailAddressBody body) {
        security.forgotPassword(body.email());
        return accepted();
    }

    @Operation(operationId = "resetPassword",
            summary = "Set a new password with the emailed token (single use, 1 h); every session is revoked")
    @PostMapping(path = "/reset-password", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> resetPassword(@Valid @RequestBody PasswordResetBody body) {
        return Envelope.ok(AuthResponses.signIn(security.resetPassword(body.token(), body.password())));
    }

    @Operation(operationId = "verifyEmail", summary = "Confirm the email address with the emailed token")
    @PostMapping(path = "/verify-email", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> verifyEmail(@Valid @RequestBody EmailTokenBody body) {
        security.verifyEmail(body.token());
        return Envelope.ok(new EmailVerified(true));
    }

    @Operation(operationId = "resendVerificationEmail", summary = "Mail a new email verification link")
    @PostMapping("/resend-verification")
    ResponseEntity<Envelope> resendVerificationEmail(Principal principal) {
        authorization.requireSession(principal);
        security.sendVerification(principal.userId());
        return accepted();
    }

    @Operation(operationId = "requestMagicLink", summary = "Mail a sign-in link; the same 202 whatever the email")
    @PostMapping(path = "/magic-link", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> requestMagicLink(@Valid @RequestBody EmailAddressBody body) {
        security.requestMagicLink(body.email());
        return accepted();
    }

    @Operation(operationId = "verifyMagicLink", summary = "Sign in with the emailed link's token (single use, 1 h)")
    @PostMapping(path = "/magic-link/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> verifyMagicLink(@Valid @RequestBody EmailTokenBody body) {
        return Envelope.ok(AuthResponses.signIn(security.useMagicLink(body.token())));
    }

    @Operation(operationId = "verifyTwoFactor", summary = "Complete a sign-in with 2FA: the mfa_token and a TOTP or recovery code")
    @PostMapping(path = "/2fa/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> verifyTwoFactor(@Valid @RequestBody MfaVerificationBody body) {
        return Envelope.ok(AuthResponses.Tokens.of(security.verifyMfa(body.mfaToken(), body.code())));
    }

    @Operation(operationId = "setUpTwoFactor", summary = "Start TOTP setup: a new secret and its otpauth URL")
    @PostMapping("/2fa/setup")
    ResponseEntity<Envelope> setUpTwoFactor(Principal principal) {
        requireOwnSession(principal);
        AccountSecurityService.TotpSetup setup = security.setUpTotp(principal);
        return Envelope.ok(new TotpSetupResponse(setup.secret(), setup.otpauthUrl()));
    }

    @Operation(operationId = "enableTwoFactor", summary = "Turn TOTP on with a current code; returns 10 single-use recovery codes")
    @PostMapping(path = "/2fa/enable", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> enableTwoFactor(Principal principal, @Valid @RequestBody TotpCodeBody body) {
        requireOwnSession(principal);
        return Envelope.ok(new RecoveryCodes(security.enableTotp(principal, body.code())));
    }

    @Operation(operationId = "disableTwoFactor", summary = "Turn TOTP off with a current or recovery code")
    @DeleteMapping(path = "/2fa", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> disableTwoFactor(Principal principal, @Valid @RequestBody TotpCodeBody body) {
        requireOwnSession(principal);
        security.disableTotp(principal, body.code());
        return Envelope.ok(new TotpDisabled(false));
    }

    /** The account's own second factor is changed by its owner only: not by a token, not by an impersonating admin. */
    private void requireOwnSession(Principal principal) {
        authorization.requireSession(principal);
        if (principal.isImpersonated()) {
            throw BaserDbException.forbidden("An impersonation session cannot change the account's second factor");
        }
    }

    private static ResponseEntity<Envelope> accepted() {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Envelope.success(new AcceptedForDelivery(true)));
    }
}
