package dev.baserdb.api.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import jakarta.validation.ConstraintViolationException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place that turns exceptions into the error envelope and status of API.md §1. Nothing
 * from a stack trace reaches the client; unexpected failures are logged here with the request id.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final String UNIQUE_VIOLATION = "23505";

    @ExceptionHandler(BaserDbException.class)
    ResponseEntity<Envelope> baserDb(BaserDbException e) {
        ResponseEntity<Envelope> response = respond(e.code(), e.getMessage(), e.details());
        if (e.retryAfter() == null) {
            return response;
        }
        long seconds = Math.max(1, e.retryAfter().toSeconds() + (e.retryAfter().toNanosPart() > 0 ? 1 : 0));
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(response.getBody());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Envelope> invalid(MethodArgumentNotValidException e) {
        Map<String, String> details = new LinkedHashMap<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            details.putIfAbsent(JsonNames.snakeCase(error.getField()), error.getDefaultMessage());
        }
        e.getBindingResult().getGlobalErrors()
                .forEach(error -> details.putIfAbsent(error.getObjectName(), error.getDefaultMessage()));
        return respond(ErrorCode.VALIDATION_FAILED, "Request validation failed", details);
    }

    @ExceptionHandler({ConstraintViolationException.class})
    ResponseEntity<Envelope> invalid(ConstraintViolationException e) {
        Map<String, String> details = e.getConstraintViolations().stream().collect(Collectors.toMap(
                v -> JsonNames.snakeCase(lastNode(v.getPropertyPath().toString())), v -> v.getMessage(), (a, b) -> a,
                LinkedHashMap::new));
        return respond(ErrorCode.VALIDATION_FAILED, "Request validation failed", details);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Envelope> invalid(HandlerMethodValidationException e) {
        Map<String, String> details = new LinkedHashMap<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(error -> details.putIfAbsent(
                    JsonNames.snakeCase(name == null ? "parameter" : name), error.getDefaultMessage()));
        });
        return respond(ErrorCode.VALIDATION_FAILED, "Request validation failed", details);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Envelope> unreadable(HttpMessageNotReadableException e) {
        if (hasCause(e, EdgeFilter.PayloadTooLargeException.class)) {
            return respond(ErrorCode.PAYLOAD_TOO_LARGE, "Request body is too large", Map.of());
        }
        MismatchedInputException mismatch = findCause(e, MismatchedInputException.class);
        if (mismatch != null && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String expected = mismatch.getTargetType() == null ? "another type" : JsonNames.typeName(mismatch.getTargetType());
            return respond(ErrorCode.VALIDATION_FAILED, "Request validation failed",
                    Map.of(field, mismatch instanceof NulFreeStrings.NulCharacter ? NulFreeStrings.NulCharacter.PROBLEM
                            : "must be " + expected));
        }
        if (findCause(e, JsonMappingException.class) == null && findCause(e, JsonProcessingException.class) != null) {
            return respond(ErrorCode.BAD_REQUEST, "Malformed JSON in request body", Map.of());
        }
        return respond(ErrorCode.BAD_REQUEST, "Request body is missing or not readable", Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Envelope> unsupported(HttpMediaTypeNotSupportedException e) {
        return respond(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Content type " + (e.getContentType() == null ? "(none)" : e.getContentType()) + " is not accepted; send application/json",
                Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Envelope> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(ErrorCode.NOT_ACCEPTABLE, "This resource is available as application/json only", Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Envelope> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(ErrorCode.METHOD_NOT_ALLOWED.status())
                .contentType(MediaType.APPLICATION_JSON);
        if (e.getSupportedHttpMethods() != null) {
            builder.allow(e.getSupportedHttpMethods().toArray(org.springframework.http.HttpMethod[]::new));
        }
        return builder.body(Envelope.failure(ErrorCode.METHOD_NOT_ALLOWED,
                "Method " + e.getMethod() + " is not allowed here", Map.of()));
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<Envelope> noRoute(Exception e) {
        return respond(ErrorCode.NOT_FOUND, "No such route", Map.of());
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MissingRequestHeaderException.class,
            MethodArgumentTypeMismatchException.class})
    ResponseEntity<Envelope> badParameter(Exception e) {
        String name = e instanceof MissingServletRequestParameterException m ? m.getParameterName()
                : e instanceof MissingRequestHeaderException h ? h.getHeaderName()
                : ((MethodArgumentTypeMismatchException) e).getName();
        String problem = e instanceof MethodArgumentTypeMismatchException ? "has the wrong type" : "is required";
        return respond(ErrorCode.VALIDATION_FAILED, "Request validation failed", Map.of(name, problem));
    }

    /** A multipart body over {@code BASERDB_MAX_UPLOAD_SIZE}, found while Tomcat streams it to disk. */
    @ExceptionHandler(org.springframework.web.multipart.MaxUploadSizeExceededException.class)
    ResponseEntity<Envelope> uploadTooLarge(Exception e) {
        return respond(ErrorCode.PAYLOAD_TOO_LARGE, "The upload is larger than the platform accepts", Map.of());
    }

    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ResponseEntity<Envelope> badMultipart(Exception e) {
        if (hasCause(e, EdgeFilter.PayloadTooLargeException.class)) {
            return respond(ErrorCode.PAYLOAD_TOO_LARGE, "The upload is larger than the platform accepts", Map.of());
        }
        return respond(ErrorCode.BAD_REQUEST, "The multipart body is malformed", Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Envelope> unexpected(Exception e) {
        BaserDbException domain = findCause(e, BaserDbException.class);
        if (domain != null) {
            return baserDb(domain);
        }
        SQLException sql = findCause(e, SQLException.class);
        if (sql != null && sql.getSQLState() != null) {
            switch (sql.getSQLState()) {
                case UNIQUE_VIOLATION:
                    return respond(ErrorCode.CONFLICT, "A resource with the same unique value already exists", Map.of());
                case "23502":
                    return respond(ErrorCode.VALIDATION_FAILED, "A required value is missing (NOT NULL)",
                            column(sql, "is required (NOT NULL)"));
                case "23514", "22P02", "22003", "22001", "22007", "22008":
                    return respond(ErrorCode.VALIDATION_FAILED, "A value does not fit its column", Map.of());
                // A NUL character in a query parameter or path that reached PostgreSQL: refused by the
                // driver (22023) or the server (22021, 22P05). Bodies are checked before (NulFreeStrings).
                case "22021", "22P05", "22023":
                    return respond(ErrorCode.VALIDATION_FAILED, "A value is not valid text (it must not contain "
                            + "the NUL character)", Map.of());
                case "42501":
                    return respond(ErrorCode.FORBIDDEN, "The table's policies do not allow this", Map.of());
                case "57014":
                    // statement_timeout of the data plane (BASERDB_DATA_STATEMENT_TIMEOUT)
                    return baserDb(new BaserDbException(ErrorCode.SERVICE_UNAVAILABLE,
                            "The request took longer than the data plane's statement timeout")
                            .retryAfter(java.time.Duration.ofSeconds(1)));
                default:
                    break;
            }
        }
        if (findCause(e, AggregateNotFoundException.class) != null) {
            return respond(ErrorCode.NOT_FOUND, "Resource not found", Map.of());
        }
        if (findCause(e, ConflictingAggregateVersionException.class) != null) {
            return respond(ErrorCode.PRECONDITION_FAILED, "The resource has changed since the version given in If-Match",
                    Map.of());
        }
        if (findCause(e, ConcurrencyException.class) != null) {
            return respond(ErrorCode.CONFLICT, "The resource was changed concurrently; retry", Map.of());
        }
        log.error("Unhandled exception", e);
        return respond(ErrorCode.INTERNAL_ERROR, "An internal error occurred", Map.of());
    }

    /**
     * The content type is set here, not negotiated: an error is always the JSON envelope, also for
     * a client whose Accept header leaves JSON out (otherwise Spring answers 406 with no body).
     */
    static ResponseEntity<Envelope> respond(ErrorCode code, String message, Map<String, String> details) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_JSON);
        if (code == ErrorCode.UNAUTHORIZED || code == ErrorCode.TOKEN_EXPIRED || code == ErrorCode.EXPIRED_KEY) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"baserdb\"");
        }
        return builder.body(Envelope.failure(code, message, details));
    }

    /** The column PostgreSQL names in a constraint error, when the driver tells it. */
    private static Map<String, String> column(SQLException sql, String problem) {
        if (sql instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getColumn() != null) {
            return Map.of(psql.getServerErrorMessage().getColumn(), problem);
        }
        return Map.of();
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        return findCause(e, type) != null;
    }

    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
