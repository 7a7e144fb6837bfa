package dev.baserdb.api.platform;

import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@ApiTest
class HealthHttpTest {

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void healthz_reports_database_and_event_store_ok_in_the_envelope() {
        Http.Response response = http.with("X-Request-ID", "health-check-1").get("/api/healthz");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("success").asBoolean()).isTrue();
        assertThat(response.data().path("status").asText()).isEqualTo("ok");
        assertThat(response.data().path("database").asText()).isEqualTo("ok");
        assertThat(response.data().path("event_store").asText()).isEqualTo("ok");
        assertThat(response.data().path("version").asText()).isNotBlank();
        assertThat(response.body().path("meta").path("request_id").asText()).isEqualTo("health-check-1");
        assertThat(response.header("X-Request-ID")).isEqualTo("health-check-1");
        assertThat(response.body().has("error")).isTrue();
        assertThat(response.body().path("error").isNull()).isTrue();
    }
}
