package dev.baserdb.api.platform.web;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.kernel.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The first thing every request meets: request id in and out, security headers, the request
 * context (IP, user agent) for command metadata, and the body size limit (413 before a handler
 * reads a byte, also for chunked bodies).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class EdgeFilter extends OncePerRequestFilter {

    static final String REQUEST_ID_HEADER = "X-Request-ID";
    private static final Pattern ACCEPTABLE_REQUEST_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    private final long maxBodyBytes;
    private final long maxUploadBytes;
    private final EnvelopeWriter writer;

    EdgeFilter(BaserDbProperties properties, EnvelopeWriter writer) {
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.maxUploadBytes = properties.maxUploadSize().toBytes();
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = requestId(request.getHeader(REQUEST_ID_HEADER));
        RequestContext.set(new RequestContext(requestId, request.getRemoteAddr(), request.getHeader("User-Agent"),
                "anonymous", null));
        MDC.put("request_id", requestId);
        response.setHeader(REQUEST_ID_HEADER, requestId);
        securityHeaders(response);
        try {
            // File uploads are streamed to disk and bounded by the upload limit, then by the storage limits.
            long limit = UploadRoutes.isUpload(request) ? maxUploadBytes : maxBodyBytes;
            if (request.getContentLengthLong() > limit) {
                writer.write(response, ErrorCode.PAYLOAD_TOO_LARGE,
                        "Request body is larger than " + limit + " bytes", Map.of());
                return;
            }
            chain.doFilter(new LimitedBodyRequest(request, limit), new OneWriteJson(response));
        } finally {
            RequestContext.clear();
            MDC.remove("request_id");
        }
    }

    /** The headers API.md §1 promises on every response. */
    static void securityHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    private static String requestId(String offered) {
        return offered != null && ACCEPTABLE_REQUEST_ID.matcher(offered).matches()
                ? offered
                : UUID.randomUUID().toString();
    }

    /** Counts body bytes as they are read and fails once the limit is passed. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedBodyRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws PayloadTooLargeException {
            read += n;
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(jakarta.servlet.ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }

    /** Thrown while reading a body past the limit; the exception handler turns it into 413. */
    static final class PayloadTooLargeException extends IOException {
        PayloadTooLargeException(long limit) {
            super("Request body is larger than " + limit + " bytes");
        }
    }
}
