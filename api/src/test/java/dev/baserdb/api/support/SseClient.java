package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client over real HTTP for tests: it reads the stream on its own thread and
 * keeps every event (and every comment line) it saw, in order, for the test to await and inspect.
 */
public final class SseClient implements AutoCloseable {

    /** One event: its id (null when none), name, and data parsed as JSON. */
    public record Event(String id, String name, JsonNode data) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final StringBuilder raw = new StringBuilder();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-client");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Opens a stream; {@code headers} alternate names and values. Answers the response either way. */
    public static SseClient open(int port, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream").GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return new SseClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Events seen so far, optionally only those named {@code name}. */
    public List<Event> events(String... names) {
        if (names.length == 0) {
            return List.copyOf(events);
        }
        List<String> wanted = List.of(names);
        return events.stream().filter(event -> wanted.contains(event.name())).toList();
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    public boolean ended() {
        return ended;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (response.statusCode() != 200) {
                    synchronized (raw) {
                        raw.append(line).append('\n');
                    }
                    continue;
                }
                if (line.isEmpty()) {
                    if (data.length() > 0 || name != null) {
                        events.add(new Event(id, name == null ? "message" : name, parse(data.toString())));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).trim());
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream, or the server ended it
        } finally {
            ended = true;
        }
    }

    private static JsonNode parse(String data) {
        try {
            return Http.JSON.readTree(data.isEmpty() ? "null" : data);
        } catch (IOException e) {
            return Http.JSON.getNodeFactory().textNode(data);
        }
    }

    /** The whole body of a non-stream answer (an error envelope), once read. */
    public JsonNode envelope() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(5));
        synchronized (raw) {
            return parse(raw.toString());
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
        reader.interrupt();
    }
}
