package dev.baserdb.api.platform.web;

import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.kernel.error.ErrorCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response envelope of API.md §1: every JSON response, success or error, has exactly
 * {@code success}, {@code data}, {@code meta} and {@code error}.
 */
public record Envelope(boolean success, Object data, Map<String, Object> meta, Error error) {

    public record Error(String code, String message, Map<String, String> details) {
    }

    public static Envelope success(Object data) {
        return new Envelope(true, data, requestMeta(), null);
    }

    public static Envelope failure(ErrorCode code, String message, Map<String, String> details) {
        return new Envelope(false, null, requestMeta(), new Error(code.name(), message, details == null ? Map.of() : details));
    }

    public static ResponseEntity<Envelope> ok(Object data) {
        return ResponseEntity.ok(success(data));
    }

    public static ResponseEntity<Envelope> created(Object data) {
        return ResponseEntity.status(HttpStatus.CREATED).body(success(data));
    }

    /** A complete (unpaged) list: {@code meta.page} and {@code X-Total-Count} say it is all there is. */
    public static ResponseEntity<Envelope> list(List<?> items) {
        Envelope envelope = success(items).paged(items.size(), 0, (long) items.size(), false, null);
        return ResponseEntity.ok().header("X-Total-Count", Integer.toString(items.size())).body(envelope);
    }

    /** Puts {@code meta.page} (API.md §1) on this envelope; absent figures are null. */
    public Envelope paged(Integer limit, Integer offset, Long total, boolean hasMore, String nextCursor) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("limit", limit);
        page.put("offset", offset);
        page.put("total", total);
        page.put("has_more", hasMore);
        page.put("next_cursor", nextCursor);
        meta.put("page", page);
        return this;
    }

    private static Map<String, Object> requestMeta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        RequestContext context = RequestContext.current();
        meta.put("request_id", context == null ? null : context.requestId());
        return meta;
    }
}
