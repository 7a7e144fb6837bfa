package dev.baserdb.api.platform.web;

import dev.baserdb.kernel.error.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Answers the servlet container's error dispatch (errors raised before or outside Spring MVC)
 * with the envelope instead of an HTML page.
 */
@RestController
class EnvelopeErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Envelope> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Without an error dispatch (a client asking for /error itself) there is no error: no such route.
        ErrorCode errorCode = errorCode(status instanceof Integer i ? i : 404);
        return ResponseEntity.status(errorCode.status()).contentType(MediaType.APPLICATION_JSON)
                .body(Envelope.failure(errorCode, message(errorCode), Map.of()));
    }

    static ErrorCode errorCode(int status) {
        return switch (status) {
            case 400 -> ErrorCode.BAD_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }

    static String message(ErrorCode code) {
        return switch (code) {
            case INTERNAL_ERROR -> "An internal error occurred";
            case NOT_FOUND -> "No such route";
            default -> "Request failed";
        };
    }
}
