package dev.baserdb.api.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the committed contract, {@code api/openapi/openapi.json}, equal to the document the server
 * serves. The build generates the Java client of {@link GeneratedClientWalkthroughTest} from that
 * committed file (openapi-generator-maven-plugin, which also validates it), so a route that drifts
 * from the document fails here, and a document that no longer matches what the server does fails
 * the walkthrough. After an intended change to the API, refresh the file with
 * {@code mvn -B verify -pl api -am -Dtest=OpenApiSnapshotTest -Dbaserdb.openapi.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false} and commit it with the change.
 */
@ApiTest
class OpenApiSnapshotTest {

    static final Path SNAPSHOT = Path.of("openapi", "openapi.json");

    @LocalServerPort
    int port;

    @Test
    void given_the_committed_contract_when_the_served_document_is_fetched_then_they_are_the_same() throws IOException {
        String served = canonical(new Http(port).get("/api/v1/openapi.json").body());
        if (Boolean.getBoolean("baserdb.openapi.write")) {
            Files.createDirectories(SNAPSHOT.getParent());
            Files.writeString(SNAPSHOT, served, StandardCharsets.UTF_8);
        }
        // for a diff against the committed file when they differ
        Files.writeString(Path.of("target", "openapi-served.json"), served, StandardCharsets.UTF_8);

        assertThat(Files.readString(SNAPSHOT, StandardCharsets.UTF_8))
                .as("api/openapi/openapi.json is the committed contract and the served document (target/openapi-served.json) "
                        + "differs from it. If the change is intended, rewrite it with -Dbaserdb.openapi.write=true (see this "
                        + "test's javadoc)")
                .isEqualTo(served);
    }

    /** The document with a stable layout; the build version (dev in tests) is not part of the contract. */
    static String canonical(JsonNode document) throws IOException {
        ObjectNode copy = document.deepCopy();
        ((ObjectNode) copy.path("info")).put("version", "1");
        return Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writeValueAsString(Http.JSON.treeToValue(copy, Object.class)) + "\n";
    }
}
