// Load generator of bench/realtime.sh (run as a single-file program: java bench/RealtimeBench.java MODE ...).
// No dependencies beyond the JDK. Modes:
//   fanout URL PROJECT KEY TABLE CLIENTS RATE SECONDS   CLIENTS SSE streams on TABLE, RATE single-row inserts/s
//                                                        for SECONDS; latency = arrival at a client - occurred_at
//   resume URL PROJECT KEY TABLE SINCE EXPECTED          one stream from position SINCE until EXPECTED row events
//   webhook URL PROJECT KEY TABLE AUTH ROWS              a local receiver, a webhook on row.inserted, ROWS rows in
//                                                        batches of 500; deliveries/s until the last one arrives
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class RealtimeBench {

    static final Pattern OCCURRED = Pattern.compile("\"occurred_at\":\"([^\"]+)\"");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(8)).build();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fanout" -> fanout(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), Integer.parseInt(args[7]));
            case "resume" -> resume(args[1], args[2], args[3], args[4], Long.parseLong(args[5]), Integer.parseInt(args[6]));
            case "webhook" -> webhook(args[1], args[2], args[3], args[4], args[5], Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    /** Opens a stream on its own thread; calls back per row event line with the arrival time (epoch micros). */
    interface OnEvent {
        void event(String data, long arrivedMicros);
    }

    static Thread stream(String url, String key, OnEvent onEvent, CountDownLatch ready) {
        Thread thread = new Thread(() -> {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key)
                        .header("Accept", "text/event-stream").GET().build();
                HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    System.err.println("stream answered " + response.statusCode() + ": "
                            + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
                    ready.countDown();
                    return;
                }
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String event = null;
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("event:")) {
                            event = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                            if ("ready".equals(event)) {
                                ready.countDown();
                            } else if (event != null && event.startsWith("row.")) {
                                onEvent.event(line, nowMicros());
                            } else if ("dropped".equals(event)) {
                                System.err.println("stream dropped: " + line);
                            }
                        } else if (line.isEmpty()) {
                            event = null;
                        }
                    }
                }
            } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                    System.err.println("stream failed: " + e);
                }
            }
        }, "sse");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    static long micros(String instant) {
        Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }

    static void fanout(String base, String project, String key, String table, int clients, int rate, int seconds)
            throws Exception {
        String url = base + "/api/v1/realtime/" + project + "?tables=" + table + "&events=row.inserted";
        CountDownLatch ready = new CountDownLatch(clients);
        long[][] latencies = new long[clients][];
        AtomicInteger[] counts = new AtomicInteger[clients];
        int capacity = rate * seconds + 1000;
        for (int c = 0; c < clients; c++) {
            int client = c;
            latencies[c] = new long[capacity];
            counts[c] = new AtomicInteger();
            stream(url, key, (data, arrived) -> {
                Matcher m = OCCURRED.matcher(data);
                if (m.find()) {
                    int i = counts[client].getAndIncrement();
                    if (i < capacity) {
                        latencies[client][i] = arrived - micros(m.group(1));
                    }
                }
            }, ready);
        }
        if (!ready.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("streams not ready: " + ready.getCount() + " missing");
        }
        // Single-row inserts at RATE per second, paced, at most 64 in flight.
        String insert = base + "/api/v1/data/" + project + "/" + table;
        Semaphore inFlight = new Semaphore(64);
        AtomicInteger inserted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(insert)).header("X-API-Key", key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"row " + i + "\",\"n\":" + i + "}")).build();
            HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() == 201) {
                    inserted.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(64);
        double insertSeconds = (System.nanoTime() - start) / 1e9;
        // Let the streams drain: until every client has every row, or 60 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && Arrays.stream(counts).anyMatch(n -> n.get() < inserted.get())) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        List<Long> all = new ArrayList<>();
        long delivered = 0;
        int complete = 0;
        for (int c = 0; c < clients; c++) {
            int n = Math.min(counts[c].get(), capacity);
            delivered += counts[c].get();
            if (counts[c].get() >= inserted.get()) {
                complete++;
            }
            for (int i = 0; i < n; i++) {
                all.add(latencies[c][i]);
            }
        }
        all.sort(Long::compare);
        System.out.printf("fanout clients=%d inserts=%d failed=%d achieved_rate=%.0f/s deliveries=%d complete_clients=%d "
                        + "latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f%n",
                clients, inserted.get(), failed.get(), inserted.get() / insertSeconds, delivered, complete,
                pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.isEmpty() ? 0 : all.get(all.size() - 1) / 1000.0);
    }

    static double pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1000.0;
    }

    static void resume(String base, String project, String key, String table, long since, int expected) throws Exception {
        String url = base + "/api/v1/realtime/" + project + "?tables=" + table + "&since=" + since;
        AtomicLong received = new AtomicLong();
        AtomicLong last = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(1);
        long start = System.nanoTime();
        stream(url, key, (data, arrived) -> {
            received.incrementAndGet();
            last.set(System.nanoTime());
        }, ready);
        long deadline = start + TimeUnit.SECONDS.toNanos(600);
        while (received.get() < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        double seconds = (last.get() - start) / 1e9;
        System.out.printf("resume behind=%d received=%d seconds=%.2f events_per_s=%.0f%n",
                expected, received.get(), seconds, received.get() / seconds);
    }

    static void webhook(String base, String project, String key, String table, String auth, int rows) throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong last = new AtomicLong();
        ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        Pattern eventId = Pattern.compile("\"event_id\":\"([^\"]+)\"");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = eventId.matcher(body);
            if (m.find() && seen.putIfAbsent(m.group(1), true) != null) {
                duplicates.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            received.incrementAndGet();
            last.set(System.nanoTime());
        });
        server.start();
        String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/projects/" + project + "/webhooks"))
                .header("Authorization", auth.replaceFirst("^Authorization: ", "")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + hook + "\",\"events\":[\"row.inserted\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("webhook: " + created.statusCode() + " " + created.body());
        }
        long start = System.nanoTime();
        for (int i = 0; i < rows; i += 500) {
            StringBuilder batch = new StringBuilder("{\"rows\":[");
            for (int j = i; j < Math.min(rows, i + 500); j++) {
                batch.append(j == i ? "" : ",").append("{\"title\":\"hook ").append(j).append("\",\"n\":").append(j).append('}');
            }
            batch.append("]}");
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/data/" + project + "/" + table + "/batch"))
                    .header("X-API-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("batch: " + response.statusCode() + " " + response.body());
            }
        }
        double loaded = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(900);
        while (received.get() < rows && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        double seconds = (last.get() - start) / 1e9;
        System.out.printf("webhook rows=%d loaded_in=%.2fs delivered=%d duplicates=%d seconds=%.2f deliveries_per_s=%.0f%n",
                rows, loaded, received.get(), duplicates.get(), seconds, received.get() / seconds);
        server.stop(0);
    }
}
