package dev.baserdb.api.platform.web;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The conventions of API.md §1 that controllers share: pages ({@code meta.page},
 * {@code X-Total-Count}, {@code Link}), single resources with {@code ETag} / {@code If-None-Match},
 * {@code If-Match} preconditions, and {@code as_of} time travel ({@code meta.as_of}).
 */
public final class Responses {

    private Responses() {
    }

    /** Reads {@code limit} and {@code offset} (defaults 50 and 0); out of range is 400. */
    public static PageRequest pageRequest(Integer limit, Integer offset) {
        int l = limit == null ? PageRequest.DEFAULT_LIMIT : limit;
        int o = offset == null ? 0 : offset;
        if (l < 1 || l > PageRequest.MAX_LIMIT) {
            throw BaserDbException.invalid("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
        }
        if (o < 0) {
            throw BaserDbException.invalid("offset", "must not be negative");
        }
        return new PageRequest(l, o);
    }

    /** Parses {@code as_of} (RFC 3339); {@code null} when absent. A future instant reads as now. */
    public static Instant asOf(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw BaserDbException.invalid("as_of", "must be an RFC 3339 instant such as 2026-11-22T10:15:30Z");
        }
    }

    public static <T> ResponseEntity<Envelope> page(Page<T> page, Instant asOf, Function<T, ?> mapper) {
        Envelope envelope = Envelope.success(page.items().stream().map(mapper).toList())
                .paged(page.limit(), page.offset(), page.total(), page.hasMore(), null);
        if (asOf != null) {
            envelope.meta().put("as_of", asOf);
        }
        ResponseEntity.BodyBuilder builder = ResponseEntity.ok().header("X-Total-Count", Long.toString(page.total()));
        if (page.hasMore()) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("offset", page.offset() + page.limit())
                    .replaceQueryParam("limit", page.limit())
                    .build().toUriString();
            builder.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return builder.body(envelope);
    }

    /**
     * A single resource with its {@code ETag} (the aggregate version); 304 when the client's
     * {@code If-None-Match} already names it.
     */
    public static ResponseEntity<Envelope> resource(HttpServletRequest request, long version, Instant asOf, Object data) {
        String etag = etag(version);
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        Envelope envelope = Envelope.success(data);
        if (asOf != null) {
            envelope.meta().put("as_of", asOf);
        }
        return ResponseEntity.ok().eTag(etag).body(envelope);
    }

    public static ResponseEntity<Envelope> created(long version, Object data) {
        return ResponseEntity.status(HttpStatus.CREATED).eTag(etag(version)).body(Envelope.success(data));
    }

    /**
     * The version an {@code If-Match} header expects ({@code null} when absent), checked against
     * the current one: a stale version is 412 and nothing changes.
     */
    public static Long ifMatch(HttpServletRequest request, long currentVersion) {
        String header = request.getHeader(HttpHeaders.IF_MATCH);
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        if (!matches(header, etag(currentVersion))) {
            throw new BaserDbException(dev.baserdb.kernel.error.ErrorCode.PRECONDITION_FAILED,
                    "The resource has changed: its version is " + etag(currentVersion));
        }
        return currentVersion;
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    private static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag) || tag.equals("*")) {
                return true;
            }
        }
        return false;
    }
}
