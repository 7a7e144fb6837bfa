package dev.baserdb.api.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1 for tests: it records every request (headers and the raw body)
 * and answers from a script — a status per request, or {@link #STALL} to hold the request open
 * until the test ends (a sender's timeout), then 200 once the script is spent.
 */
public final class WebhookReceiver implements AutoCloseable {

    public static final int STALL = -1;

    /** One request as it arrived. */
    public record Received(Map<String, List<String>> headers, byte[] body, int answered) {

        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .findFirst().map(entry -> entry.getValue().get(0)).orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private final CountDownLatch released = new CountDownLatch(1);

    public WebhookReceiver(Integer... script) {
        this.script.addAll(List.of(script));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        int status;
        synchronized (script) {
            status = script.isEmpty() ? 200 : script.poll();
        }
        received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status));
        if (status == STALL) {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = 200;
        }
        byte[] answer = ("{\"ok\":" + (status < 300) + ",\"padding\":\"" + "x".repeat(3000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        } catch (IOException gone) {
            // the sender gave up (its timeout)
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
