package dev.baserdb.api.storage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a blob as an HTTP answer: {@code ETag} (its SHA-256), {@code Cache-Control}, the sniffed
 * {@code Content-Type}, {@code If-None-Match} (304), and one byte range (206, or 416 with
 * {@code Content-Range: bytes *}{@code /size} when it starts past the end). Several ranges, or a
 * malformed one, are answered with the whole blob, as RFC 9110 allows. The bytes are streamed.
 */
@Component
public class BlobDownloads {

    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
    private static final int BUFFER = 64 * 1024;

    private final BlobStore blobs;

    BlobDownloads(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** What to send and how: {@code disposition} null sends no {@code Content-Disposition}. */
    public record Blob(String sha256, long size, String contentType, String cacheControl, String disposition) {
    }

    public void send(HttpServletRequest request, HttpServletResponse response, Blob blob) throws IOException {
        String etag = "\"" + blob.sha256() + "\"";
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.CACHE_CONTROL, blob.cacheControl());
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(blob.contentType());
        if (blob.disposition() != null) {
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, blob.disposition());
        }
        long size = blob.size();
        long start = 0;
        long end = size - 1;
        String range = request.getHeader(HttpHeaders.RANGE);
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        Matcher matcher = range == null ? null : RANGE.matcher(range.trim());
        if (matcher != null && matcher.matches() && (ifRange == null || ifRange.trim().equals(etag))
                && !(matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            try {
                if (matcher.group(1).isEmpty()) {
                    long suffix = Long.parseLong(matcher.group(2));
                    start = Math.max(0, size - suffix);
                    if (suffix == 0) {
                        unsatisfiable(response, size);
                        return;
                    }
                } else {
                    start = Long.parseLong(matcher.group(1));
                    if (!matcher.group(2).isEmpty()) {
                        end = Math.min(end, Long.parseLong(matcher.group(2)));
                        if (end < start && start < size) {
                            // last < first is an invalid range: ignored, the whole blob follows
                            start = 0;
                            end = size - 1;
                            matcher = null;
                        }
                    }
                }
            } catch (NumberFormatException tooLong) {
                unsatisfiable(response, size);
                return;
            }
            if (start >= size) {
                unsatisfiable(response, size);
                return;
            }
            if (matcher != null) {
                response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
            }
        }
        long length = end - start + 1;
        response.setContentLengthLong(Math.max(0, length));
        if ("HEAD".equals(request.getMethod()) || length <= 0) {
            return;
        }
        try (InputStream in = blobs.open(blob.sha256(), start)) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static void unsatisfiable(HttpServletResponse response, long size) {
        response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
        response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
        response.setContentLength(0);
    }
}
