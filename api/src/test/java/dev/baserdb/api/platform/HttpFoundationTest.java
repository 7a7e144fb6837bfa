package dev.baserdb.api.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP conventions of API.md §1 and the platform routes of §2, checked from the outside over
 * real HTTP: the envelope on every answer (JSON, never HTML), error codes, body limits, request
 * ids, security headers, metrics, the OpenAPI document, the docs page and health.
 */
@ApiTest
class HttpFoundationTest {

    private static final int ONE_MIB = 1024 * 1024;
    private static final Set<String> ENVELOPE_KEYS = Set.of("success", "data", "meta", "error");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    // --- unknown routes ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/api", "/api/v1", "/api/v1/nope", "/api/v1/organizations-that-do-not-exist/42",
            "/api/v2/auth/login", "/api/v1/auth/login/extra", "/api/v1/auth/logins", "/.well-known/nope",
            "/index.html", "/favicon.ico"})
    void given_an_unknown_route_when_requested_then_404_NOT_FOUND_envelope(String path) {
        Http.Response response = http.get(path);

        assertError(response, 404, "NOT_FOUND");
    }

    @Test
    void given_a_browser_asking_for_html_when_the_route_is_unknown_then_the_answer_is_still_the_json_envelope() {
        Http.Response response = http.with("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").get("/api/v1/nope");

        assertError(response, 404, "NOT_FOUND");
    }

    @Test
    void given_a_client_accepting_only_html_when_the_route_is_unknown_then_the_answer_is_still_the_json_envelope() {
        Http.Response response = http.with("Accept", "text/html").get("/api/v1/nope");

        assertError(response, 404, "NOT_FOUND");
    }

    @Test
    void given_a_client_accepting_only_html_when_a_json_route_is_read_then_406_as_the_json_envelope() {
        Http.Response response = http.with("Accept", "text/html").get("/api/healthz");

        assertError(response, 406, "NOT_ACCEPTABLE");
    }

    @Test
    void given_a_post_only_route_when_its_neighbour_is_read_then_404_NOT_FOUND() {
        Http.Response response = http.get("/api/v1/auth/register/now");

        assertError(response, 404, "NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/%zz", "/api/v1/a%2Fb", "/api/v1/%", "/api/v1/%00"})
    void given_a_malformed_url_when_requested_then_400_BAD_REQUEST_envelope_not_a_container_html_page(String rawPath)
            throws IOException {
        RawResponse response = rawGet(rawPath);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("content-type")).as(response.toString()).startsWith("application/json");
        assertThat(response.body()).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat");
        JsonNode body = Http.JSON.readTree(response.body());
        Set<String> keys = new TreeSet<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isEqualTo(new TreeSet<>(ENVELOPE_KEYS));
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("error").path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(response.header("x-request-id")).isNotBlank().isEqualTo(body.path("meta").path("request_id").asText());
        assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(response.header("strict-transport-security")).startsWith("max-age=");
    }

    // --- wrong method --------------------------------------------------------------------------

    @Test
    void given_a_post_only_route_when_called_with_get_then_405_with_allow_post() {
        Http.Response response = http.get("/api/v1/auth/login");

        assertError(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(allowedMethods(response)).contains("POST").doesNotContain("GET");
    }

    @Test
    void given_a_get_only_route_when_called_with_delete_then_405_with_allow_get() {
        Http.Response response = http.delete("/api/healthz");

        assertError(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(allowedMethods(response)).contains("GET").doesNotContain("DELETE");
    }

    @Test
    void given_a_get_only_route_when_called_with_post_then_405_with_allow_get() {
        Http.Response response = http.post("/api/healthz", Http.json("x", 1));

        assertError(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(allowedMethods(response)).contains("GET").doesNotContain("POST");
    }

    // --- bad bodies ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"{\"email\": \"a@example.com\", \"password\": ", "{\"email\" \"a@example.com\"}",
            "not json at all", "{\"email\": \"a@example.com\", \"password\": \"x\"}}", "{'email': 'a@example.com'}"})
    void given_malformed_json_when_posted_then_400_BAD_REQUEST(String body) {
        Http.Response response = http.send("POST", "/api/v1/auth/login", body, "application/json");

        assertError(response, 400, "BAD_REQUEST");
    }

    @Test
    void given_an_empty_body_when_posted_to_a_json_route_then_400_BAD_REQUEST() {
        Http.Response response = http.send("POST", "/api/v1/auth/login", "", "application/json");

        assertError(response, 400, "BAD_REQUEST");
    }

    @Test
    void given_a_text_plain_body_when_posted_to_a_json_route_then_415_UNSUPPORTED_MEDIA_TYPE() {
        Http.Response response = http.send("POST", "/api/v1/auth/login",
                "{\"email\":\"a@example.com\",\"password\":\"x\"}", "text/plain");

        assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void given_a_body_without_content_type_when_posted_to_a_json_route_then_415_UNSUPPORTED_MEDIA_TYPE() {
        Http.Response response = http.send("POST", "/api/v1/auth/login",
                "{\"email\":\"a@example.com\",\"password\":\"x\"}", null);

        assertThat(response.raw().request().headers().firstValue("Content-Type")).isEmpty();
        assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    // --- body size -----------------------------------------------------------------------------

    @Test
    void given_a_body_over_one_mib_with_content_length_when_posted_then_413_PAYLOAD_TOO_LARGE() {
        byte[] body = loginBodyOfSize(ONE_MIB + ONE_MIB / 2);

        Http.Response response = http.send("POST", "/api/v1/auth/login", body, "application/json");

        assertThat(response.raw().request().bodyPublisher().orElseThrow().contentLength()).isEqualTo(body.length);
        assertError(response, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void given_a_chunked_valid_json_body_over_one_mib_when_posted_then_413_PAYLOAD_TOO_LARGE() throws Exception {
        byte[] body = loginBodyOfSize(2 * ONE_MIB);
        assertThat(Http.JSON.readTree(body).path("email").asText()).hasSizeGreaterThan(ONE_MIB);
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        assertThat(chunked.contentLength()).as("unknown length: sent with Transfer-Encoding: chunked").isNegative();
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Request-ID", "chunked-too-large")
                .POST(chunked)
                .build();

        HttpResponse<String> raw = http11.send(request, HttpResponse.BodyHandlers.ofString());

        Http.Response response = new Http.Response(raw.statusCode(), raw, parse(raw.body()));
        assertError(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(response.header("X-Request-ID")).isEqualTo("chunked-too-large");
    }

    @Test
    void given_a_body_of_exactly_one_mib_when_posted_then_it_is_not_refused_as_too_large() {
        byte[] body = loginBodyOfSize(ONE_MIB);

        Http.Response response = http.send("POST", "/api/v1/auth/login", body, "application/json");

        assertThat(body).hasSize(ONE_MIB);
        assertEnvelope(response);
        assertThat(response.status()).as(response.errorCode()).isNotEqualTo(413);
        assertThat(response.errorCode()).isIn("VALIDATION_FAILED", "INVALID_CREDENTIALS");
    }

    // --- request id ----------------------------------------------------------------------------

    @Test
    void given_a_request_id_when_the_request_succeeds_then_it_is_echoed_in_header_and_meta() {
        Http.Response response = http.with("X-Request-ID", "req-ok_1.2:3").get("/api/healthz");

        assertThat(response.status()).isEqualTo(200);
        assertEnvelope(response);
        assertThat(response.header("X-Request-ID")).isEqualTo("req-ok_1.2:3");
        assertThat(response.body().path("meta").path("request_id").asText()).isEqualTo("req-ok_1.2:3");
    }

    @Test
    void given_a_request_id_when_the_request_fails_then_it_is_echoed_in_header_and_meta() {
        Http.Response response = http.with("X-Request-ID", "req-failing-7").get("/api/v1/nope");

        assertError(response, 404, "NOT_FOUND");
        assertThat(response.header("X-Request-ID")).isEqualTo("req-failing-7");
        assertThat(response.body().path("meta").path("request_id").asText()).isEqualTo("req-failing-7");
    }

    @Test
    void given_no_request_id_when_requested_then_a_fresh_one_is_generated_per_request() {
        Http.Response first = http.get("/api/healthz");
        Http.Response second = http.get("/api/v1/nope");

        assertEnvelope(first);
        assertEnvelope(second);
        assertThat(first.header("X-Request-ID")).isNotBlank()
                .isEqualTo(first.body().path("meta").path("request_id").asText());
        assertThat(second.header("X-Request-ID")).isNotBlank()
                .isEqualTo(second.body().path("meta").path("request_id").asText())
                .isNotEqualTo(first.header("X-Request-ID"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"has spaces in it", "semi;colon", "<script>alert(1)</script>", "a/b", "comma,separated"})
    void given_an_unacceptable_request_id_when_requested_then_it_is_replaced_by_a_generated_one(String offered) {
        Http.Response response = http.with("X-Request-ID", offered).get("/api/healthz");

        assertRequestIdReplaced(response, offered);
    }

    @Test
    void given_a_request_id_of_500_characters_when_requested_then_it_is_replaced_by_a_generated_one() {
        String offered = "a".repeat(500);

        Http.Response response = http.with("X-Request-ID", offered).get("/api/v1/nope");

        assertThat(response.status()).isEqualTo(404);
        assertRequestIdReplaced(response, offered);
    }

    // --- security headers, envelope shape, no leaks ----------------------------------------------

    @Test
    void given_a_successful_request_when_answered_then_security_headers_are_set() {
        Http.Response health = http.get("/api/healthz");
        Http.Response openApi = http.get("/api/v1/openapi.json");

        assertThat(health.status()).isEqualTo(200);
        assertThat(openApi.status()).isEqualTo(200);
        assertSecurityHeaders(health);
        assertSecurityHeaders(openApi);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/healthz", "/api/v1/nope", "/api/v1/organizations"})
    void given_a_json_answer_that_fits_the_response_buffer_when_sent_then_it_has_a_length_and_is_not_chunked(String path)
            throws IOException {
        RawResponse response = rawHttp11Get(path);

        assertThat(response.header("transfer-encoding")).isNull();
        assertThat(response.header("content-length"))
                .isEqualTo(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(parse(response.body()).has("success")).isTrue();
    }

    @Test
    void given_failing_requests_when_answered_then_security_headers_are_set_on_every_error() {
        List<Http.Response> failures = List.of(
                http.get("/api/v1/nope"),
                http.delete("/api/healthz"),
                http.send("POST", "/api/v1/auth/login", "{", "application/json"),
                http.send("POST", "/api/v1/auth/login", "{}", "text/plain"),
                http.send("POST", "/api/v1/auth/login", loginBodyOfSize(ONE_MIB + 1), "application/json"));

        assertThat(failures).extracting(Http.Response::status).containsExactly(404, 405, 400, 415, 413);
        failures.forEach(HttpFoundationTest::assertSecurityHeaders);
    }

    @Test
    void given_a_variety_of_bad_requests_when_answered_then_no_body_leaks_a_stack_trace_or_class_name() {
        List<Http.Response> failures = List.of(
                http.get("/api/v1/nope"),
                http.get("/api/v1/auth/login"),
                http.send("POST", "/api/v1/auth/login", "{\"email\": [1, 2", "application/json"),
                http.send("POST", "/api/v1/auth/login", "{\"email\": {\"nested\": true}, \"password\": 5}",
                        "application/json"),
                http.send("POST", "/api/v1/auth/login", "{\"email\": \"a@example.com\"}", "application/json"),
                http.send("POST", "/api/v1/auth/login", "{}", "application/x-www-form-urlencoded"),
                http.send("POST", "/api/v1/auth/login", new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1}, "application/json"),
                http.with("Accept", "application/xml").post("/api/v1/auth/login", Http.json("email", "x")),
                http.bearer("not-a-token").get("/api/v1/auth/me"),
                http.get("/api/v1/auth/me"));

        for (Http.Response failure : failures) {
            assertThat(failure.status()).as(failure.toString()).isBetween(400, 499);
            assertEnvelope(failure);
            assertNoLeak(failure);
        }
    }

    // --- metrics, OpenAPI, docs -----------------------------------------------------------------

    @Test
    void given_a_request_was_served_when_metrics_are_scraped_then_prometheus_text_has_jvm_and_http_metrics() {
        assertThat(http.get("/api/healthz").status()).isEqualTo(200);

        Http.Response response = http.get("/metrics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.text())
                .contains("# TYPE ")
                .contains("jvm_memory_used_bytes")
                .containsPattern("(?m)^jvm_\\w+")
                .containsPattern("(?m)^http_server_requests_seconds_count\\{.*uri=\"/api/healthz\".*} \\d");
    }

    @Test
    void given_the_openapi_document_when_fetched_then_it_is_openapi_3_1() {
        Http.Response response = http.get("/api/v1/openapi.json");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.body().path("openapi").asText()).startsWith("3.1");
        assertThat(response.body().path("info").path("title").asText()).isNotBlank();
    }

    @Test
    void given_the_served_routes_when_the_openapi_document_is_fetched_then_it_documents_every_one() {
        Set<String> served = servedApiRoutes();
        assertThat(served).as("routes under /api/ and /.well-known/")
                .contains("GET /api/healthz", "POST /api/v1/auth/login", "GET /.well-known/jwks.json");

        JsonNode paths = http.get("/api/v1/openapi.json").body().path("paths");

        Set<String> documented = new TreeSet<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(documented).containsAll(served);
    }

    @Test
    void given_a_browser_when_it_opens_docs_then_swagger_ui_is_served() throws Exception {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> page = following.send(HttpRequest.newBuilder(uri("/docs"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("swagger-ui").contains("<html");
        HttpResponse<String> initializer = following.send(HttpRequest.newBuilder(page.uri().resolve("swagger-initializer.js"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(initializer.statusCode()).isEqualTo(200);
        assertThat(initializer.body()).contains("SwaggerUIBundle");
        Http.Response config = http.get("/api/v1/openapi.json/swagger-config");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body().path("url").asText()).isEqualTo("/api/v1/openapi.json");
    }

    // --- health when the database is down -------------------------------------------------------

    @Test
    void given_the_database_refuses_connections_when_health_is_asked_then_503_with_database_down() throws Exception {
        String database;
        try (Connection own = TestDatabase.connect(); Statement s = own.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            database = rs.getString(1);
        }
        assertThat(database).startsWith("baserdb_test_");
        assertThat(http.get("/api/healthz").status()).isEqualTo(200);

        try (Connection admin = DriverManager.getConnection(TestDatabase.SERVER + "postgres", TestDatabase.USER,
                TestDatabase.PASSWORD); Statement s = admin.createStatement()) {
            try {
                s.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid()");

                Http.Response response = http.get("/api/healthz");

                assertThat(response.status()).as(response.toString()).isEqualTo(503);
                assertEnvelope(response);
                assertNoLeak(response);
                assertSecurityHeaders(response);
                assertThat(response.body().path("success").asBoolean(true)).isFalse();
                assertThat(response.data().path("database").asText()).isEqualTo("down");
                assertThat(response.data().path("status").asText()).isNotEqualTo("ok");
                assertThat(response.body().path("error").path("code").asText()).isNotBlank();
            } finally {
                s.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
                await("health back to 200 after the database accepts connections again")
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> http.get("/api/healthz").status() == 200);
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Every route the application serves under /api/ and /.well-known/, as "METHOD /path". */
    private Set<String> servedApiRoutes() {
        Set<String> routes = new TreeSet<>();
        handlerMapping.getHandlerMethods().forEach((RequestMappingInfo info, HandlerMethod handler) -> {
            String owner = handler.getBeanType().getName();
            if (owner.startsWith("org.springdoc.") || owner.endsWith(".EnvelopeErrorController")) {
                return;
            }
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/") && !pattern.startsWith("/.well-known/")) {
                    continue;
                }
                String path = pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
                if (methods.isEmpty()) {
                    routes.add("GET " + path);
                }
                methods.forEach(method -> routes.add(method.name() + " " + path));
            }
        });
        return routes;
    }

    private static void assertError(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertEnvelope(response);
        assertNoLeak(response);
        assertSecurityHeaders(response);
        assertThat(response.body().path("success").asBoolean(true)).isFalse();
        assertThat(response.body().path("data").isNull()).as("data is null").isTrue();
        assertThat(response.body().path("error").path("code").asText()).isEqualTo(code);
        assertThat(response.body().path("error").path("message").asText()).isNotBlank();
        assertThat(response.header("X-Request-ID")).isNotBlank()
                .isEqualTo(response.body().path("meta").path("request_id").asText());
    }

    /** A JSON answer whose body is an object with exactly success, data, meta and error. */
    private static void assertEnvelope(Http.Response response) {
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/json");
        assertThat(response.text()).as("never HTML").doesNotContainIgnoringCase("<html");
        assertThat(response.body().isObject()).as(response.toString()).isTrue();
        Set<String> keys = new TreeSet<>();
        response.body().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as(response.toString()).isEqualTo(new TreeSet<>(ENVELOPE_KEYS));
        assertThat(response.body().path("success").isBoolean()).isTrue();
        assertThat(response.body().path("meta").isObject()).isTrue();
    }

    private static void assertNoLeak(Http.Response response) {
        assertThat(response.text()).as(response.toString())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContainPattern("\\bat [a-z]+\\.[a-zA-Z.$]+\\(")
                .doesNotContainPattern("\\b(java|javax|jakarta|org|com|dev)\\.[a-z]+\\.[A-Za-z.]+")
                .doesNotContainIgnoringCase("stack")
                .doesNotContain("\"trace\"");
    }

    private static void assertSecurityHeaders(Http.Response response) {
        assertThat(response.header("X-Content-Type-Options")).as(response.toString()).isEqualTo("nosniff");
        assertThat(response.header("Strict-Transport-Security")).as(response.toString()).startsWith("max-age=");
    }

    private static void assertRequestIdReplaced(Http.Response response, String offered) {
        assertEnvelope(response);
        String generated = response.header("X-Request-ID");
        assertThat(generated).isNotBlank().isNotEqualTo(offered).doesNotContain(" ").hasSizeLessThanOrEqualTo(128);
        assertThat(response.body().path("meta").path("request_id").asText()).isEqualTo(generated);
    }

    private static Set<String> allowedMethods(Http.Response response) {
        Set<String> methods = new TreeSet<>();
        for (String value : response.raw().headers().allValues("Allow")) {
            for (String method : value.split(",")) {
                if (!method.isBlank()) {
                    methods.add(method.trim());
                }
            }
        }
        assertThat(methods).as("Allow header").isNotEmpty();
        return methods;
    }

    /** A valid JSON login body of exactly {@code size} bytes: {"email":"aaa…","password":"x"}. */
    private static byte[] loginBodyOfSize(int size) {
        String prefix = "{\"email\":\"";
        String suffix = "\",\"password\":\"x\"}";
        return (prefix + "a".repeat(size - prefix.length() - suffix.length()) + suffix).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A GET written straight to the socket, for request lines no URI class would build. HTTP/1.0:
     * the server closes the connection after the response and never chunks it.
     */
    private RawResponse rawGet(String rawPath) throws IOException {
        return rawRequest("GET " + rawPath + " HTTP/1.0\r\nHost: localhost\r\n\r\n");
    }

    /** A GET over HTTP/1.1, where the server may chunk its answer; the connection is closed after it. */
    private RawResponse rawHttp11Get(String path) throws IOException {
        return rawRequest("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    private RawResponse rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return RawResponse.parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {

        /** A whole response as received: status line, headers (names in lower case) and body. */
        static RawResponse parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as(text).isPositive();
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? Http.JSON.missingNode() : Http.JSON.readTree(body);
        } catch (IOException e) {
            return Http.JSON.getNodeFactory().textNode(body);
        }
    }
}
