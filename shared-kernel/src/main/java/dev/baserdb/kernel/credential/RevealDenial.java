package dev.baserdb.kernel.credential;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.baserdb.kernel.error.ErrorCode;

import java.util.Locale;

/** Why a reveal was refused: recorded in {@code CredentialRevealDenied}, answered with its error code. */
public enum RevealDenial {
    /** The caller's role may not reveal credentials, or the credential's policy does not list it. */
    ROLE_NOT_ALLOWED(ErrorCode.FORBIDDEN, "Your role may not reveal this credential"),
    /** The personal access token lacks the {@code credentials:reveal} scope. */
    SCOPE_MISSING(ErrorCode.INVALID_SCOPE, "This token lacks the scope 'credentials:reveal'"),
    /** The policy requires a reason and none was given. */
    REASON_REQUIRED(ErrorCode.VALIDATION_FAILED, "A reason is required to reveal this credential"),
    /** The policy requires a fresh second factor the request did not prove. */
    MFA_REQUIRED(ErrorCode.MFA_REQUIRED, "Revealing this credential needs your current second-factor code");

    private final ErrorCode code;
    private final String message;

    RevealDenial(ErrorCode code, String message) {
        this.code = code;
        this.message = message;
    }

    public ErrorCode code() {
        return code;
    }

    public String message() {
        return message;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RevealDenial of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
