package dev.baserdb.kernel.error;

/** The error codes of API.md §1 with the HTTP status each one answers with. */
public enum ErrorCode {
    BAD_REQUEST(400),
    VALIDATION_FAILED(400),
    INVALID_FILTER(400),
    INVALID_SORT(400),
    UNAUTHORIZED(401),
    TOKEN_EXPIRED(401),
    EXPIRED_KEY(401),
    INVALID_CREDENTIALS(401),
    MFA_REQUIRED(401),
    FORBIDDEN(403),
    INVALID_SCOPE(403),
    TENANT_MISMATCH(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    PRECONDITION_FAILED(412),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    UNPROCESSABLE(422),
    ACCOUNT_LOCKED(423),
    RATE_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    MAINTENANCE(503),
    SERVICE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
