package dev.baserdb.api.platform.web;

import dev.baserdb.api.platform.crypto.MasterKey;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Principals;
import dev.baserdb.kernel.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.baserdb.kernel.readmodel.schema.Tables.IDEMPOTENCY_KEYS;

/**
 * {@code Idempotency-Key} on POST (API.md §1): the first successful response for a key (per caller)
 * is stored and replayed for 24 hours without running the request again; the same key with another
 * request is 422, and while the first is still running, 409. A failed request stores nothing, so it
 * can be corrected and retried under the same key. Stored bodies can hold secrets shown once (a
 * new service key, a token pair), so they are sealed under the master key.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";


    private final DSLContext db;
    private final EnvelopeWriter writer;
    private final MasterKey masterKey;

    IdempotencyFilter(DSLContext db, EnvelopeWriter writer, MasterKey masterKey) {
        this.db = db;
        this.writer = writer;
        this.masterKey = masterKey;
    }

    /**
     * A credential reveal is never answered from the store: every reveal is an audited decision of its
     * own (API.md §8), and its answer (a plaintext secret) is not kept anywhere.
     */
    private static final Pattern NOT_REPLAYED = Pattern.compile("^/api/v1/credentials/[^/]+/reveal/?$");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || NOT_REPLAYED.matcher(request.getRequestURI()).matches()
                // A file body is never read into memory to be kept: uploads are content-addressed instead.
                || UploadRoutes.isUpload(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key.isBlank() || key.length() > 255) {
            writer.write(response, ErrorCode.VALIDATION_FAILED, "Request validation failed",
                    Map.of(HEADER, "must be 1 to 255 characters"));
            return;
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (EdgeFilter.PayloadTooLargeException e) {
            writer.write(response, ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage(), Map.of());
            return;
        }
        String scope = scope(request);
        String hash = hash(request, body);
        db.deleteFrom(IDEMPOTENCY_KEYS).where(IDEMPOTENCY_KEYS.SCOPE.eq(scope)).and(IDEMPOTENCY_KEYS.IDEM_KEY.eq(key))
                .and(IDEMPOTENCY_KEYS.CREATED_AT.lt(OffsetDateTime.now(ZoneOffset.UTC).minusHours(24))).execute();
        int claimed = db.insertInto(IDEMPOTENCY_KEYS).set(IDEMPOTENCY_KEYS.SCOPE,
                scope).set(IDEMPOTENCY_KEYS.IDEM_KEY, key).set(IDEMPOTENCY_KEYS.REQUEST_HASH, hash)
                .onConflictDoNothing().execute();
        if (claimed == 0) {
            answerFromStore(scope, key, hash, response);
            return;
        }
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean stored = false;
        try {
            chain.doFilter(new CachedBodyRequest(request, body), recorded);
            if (recorded.getStatus() >= 200 && recorded.getStatus() < 300) {
                db.update(IDEMPOTENCY_KEYS)
                        .set(IDEMPOTENCY_KEYS.STATUS, recorded.getStatus())
                        .set(IDEMPOTENCY_KEYS.CONTENT_TYPE, recorded.getContentType())
                        .set(IDEMPOTENCY_KEYS.LOCATION, recorded.getHeader(HttpHeaders.LOCATION))
                        .set(IDEMPOTENCY_KEYS.ETAG, recorded.getHeader(HttpHeaders.ETAG))
                        .set(IDEMPOTENCY_KEYS.BODY, masterKey.seal(recorded.getContentAsByteArray(), sealContext(scope, key)))
                        .where(IDEMPOTENCY_KEYS.SCOPE.eq(scope)).and(IDEMPOTENCY_KEYS.IDEM_KEY.eq(key))
                        .execute();
                stored = true;
            }
        } finally {
            if (!stored) {
                db.deleteFrom(IDEMPOTENCY_KEYS).where(IDEMPOTENCY_KEYS.SCOPE.eq(scope))
                        .and(IDEMPOTENCY_KEYS.IDEM_KEY.eq(key)).execute();
            }
            recorded.copyBodyToResponse();
        }
    }

    private void answerFromStore(String scope, String key, String hash, HttpServletResponse response)
            throws IOException {
        Record stored = db.selectFrom(IDEMPOTENCY_KEYS).where(IDEMPOTENCY_KEYS.SCOPE.eq(scope))
                .and(IDEMPOTENCY_KEYS.IDEM_KEY.eq(key)).fetchOne();
        if (stored == null || stored.get(IDEMPOTENCY_KEYS.STATUS) == null) {
            writer.write(response, ErrorCode.CONFLICT, "A request with this Idempotency-Key is still in progress",
                    Map.of());
            return;
        }
        if (!hash.equals(stored.get(IDEMPOTENCY_KEYS.REQUEST_HASH))) {
            writer.write(response, ErrorCode.UNPROCESSABLE,
                    "This Idempotency-Key was used with a different request", Map.of());
            return;
        }
        response.setStatus(stored.get(IDEMPOTENCY_KEYS.STATUS));
        if (stored.get(IDEMPOTENCY_KEYS.CONTENT_TYPE) != null) {
            response.setContentType(stored.get(IDEMPOTENCY_KEYS.CONTENT_TYPE));
        }
        if (stored.get(IDEMPOTENCY_KEYS.LOCATION) != null) {
            response.setHeader(HttpHeaders.LOCATION, stored.get(IDEMPOTENCY_KEYS.LOCATION));
        }
        if (stored.get(IDEMPOTENCY_KEYS.ETAG) != null) {
            response.setHeader(HttpHeaders.ETAG, stored.get(IDEMPOTENCY_KEYS.ETAG));
        }
        response.setHeader("Idempotent-Replayed", "true");
        response.getOutputStream().write(masterKey.open(stored.get(IDEMPOTENCY_KEYS.BODY), sealContext(scope, key)));
    }

    private static String sealContext(String scope, String key) {
        return "idempotency:" + scope + ":" + key;
    }

    /**
     * Keys belong to the caller: the same key from two callers is two keys. A caller is a user (by
     * session), one personal access token, a project's service key, one project user (row) of a
     * project, or, without credentials, a client address.
     */
    static String scope(HttpServletRequest request) {
        Principal principal = Principals.of(request);
        if (principal == null) {
            return "anonymous:" + request.getRemoteAddr();
        }
        return switch (principal.kind()) {
            case SESSION -> "user:" + principal.userId();
            case PERSONAL_ACCESS_TOKEN -> "pat:" + principal.tokenId();
            case SERVICE_KEY -> "service_key:" + principal.projectId();
            case PROJECT_USER -> "project_user:" + principal.projectId() + ":" + principal.dataUserId();
        };
    }

    private static String hash(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod() + " " + request.getRequestURI() + "?"
                    + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves the body the filter already read to whatever reads the request next. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
