package dev.baserdb.kernel.error;

import java.time.Duration;
import java.util.Map;

/**
 * A failure the client can act on: it carries the {@link ErrorCode} of API.md §1 and optional
 * per-field details. Thrown where the fact is known (aggregate, read service, controller) and
 * turned into the error envelope in one place by the API.
 */
public class BaserDbException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, String> details;
    private final Duration retryAfter;

    public BaserDbException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public BaserDbException(ErrorCode code, String message, Map<String, String> details) {
        this(code, message, details, null);
    }

    private BaserDbException(ErrorCode code, String message, Map<String, String> details, Duration retryAfter) {
        super(message, null, false, false);
        this.code = code;
        this.details = Map.copyOf(details);
        this.retryAfter = retryAfter;
    }

    /** The same failure, telling the client when to try again ({@code Retry-After}). */
    public BaserDbException retryAfter(Duration wait) {
        return new BaserDbException(code, getMessage(), details, wait);
    }

    /** When the client may try again, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, String> details() {
        return details;
    }

    public static BaserDbException notFound(String what) {
        return new BaserDbException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static BaserDbException conflict(String message) {
        return new BaserDbException(ErrorCode.CONFLICT, message);
    }

    public static BaserDbException invalid(String field, String problem) {
        return new BaserDbException(ErrorCode.VALIDATION_FAILED, "Request validation failed", Map.of(field, problem));
    }

    public static BaserDbException unauthorized(String message) {
        return new BaserDbException(ErrorCode.UNAUTHORIZED, message);
    }

    public static BaserDbException forbidden(String message) {
        return new BaserDbException(ErrorCode.FORBIDDEN, message);
    }
}
