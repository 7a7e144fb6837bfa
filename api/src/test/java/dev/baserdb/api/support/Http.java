package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small real-HTTP client for API tests: JSON in, status + headers + parsed body out. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Http(int port) {
        this("http://localhost:" + port, Map.of());
    }

    private Http(String base, Map<String, String> headers) {
        this.base = base;
        this.headers.putAll(headers);
    }

    /** The same client with one more header on every request. */
    public Http with(String name, String value) {
        Http copy = new Http(base, headers);
        copy.headers.put(name, value);
        return copy;
    }

    public Http bearer(String token) {
        return with("Authorization", "Bearer " + token);
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body, "application/json");
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body, "application/json");
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body, "application/json");
    }

    /** Sends a body exactly as given (a String is sent raw, anything else as JSON). */
    public Response send(String method, String path, Object body, String contentType) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            headers.forEach(request::header);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            byte[] bytes = body == null ? null
                    : body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : body instanceof byte[] b ? b
                    : JSON.writeValueAsBytes(body);
            request.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(bytes));
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response, parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode json(Object... keyValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return node;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    /** A response: {@code body} is the parsed JSON (a text node when the body is not JSON). */
    public record Response(int status, HttpResponse<String> raw, JsonNode body) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public JsonNode data() {
            return body.path("data");
        }

        public String errorCode() {
            return body.path("error").path("code").asText(null);
        }

        public String text() {
            return raw.body();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }
}
