package dev.baserdb.api.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every operation of the served OpenAPI document keeps, whoever wrote the route: it says
 * who may call it and what errors it answers, and its names read as the API, not as Java.
 */
@ApiTest
class OpenApiContractTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final List<String> JAVA_PACKAGES = List.of("java.lang.", "java.util.", "java.time.", "java.io.",
            "com.fasterxml.jackson.databind.", "com.fasterxml.jackson.databind.node.", "org.springframework.util.",
            "org.springframework.http.", "org.springframework.core.io.",
            "org.springframework.web.servlet.mvc.method.annotation.");
    private static final Set<String> LEAKED = Set.of("Create", "Request", "Response", "Rename", "Get", "List",
            "MultiValueMapStringString", "StreamingResponseBody", "ResponseEntity");

    @LocalServerPort
    int port;

    private JsonNode document;

    @BeforeEach
    void document() {
        document = new Http(port).get("/api/v1/openapi.json").body();
    }

    @Test
    void given_the_document_when_each_operation_is_read_then_it_declares_its_security_and_its_error_responses() {
        List<String> problems = new ArrayList<>();
        eachOperation((where, operation) -> {
            if (!operation.has("security")) {
                problems.add(where + ": no security requirement (an empty list for a public route)");
                return;
            }
            Set<String> schemes = new HashSet<>();
            boolean anonymous = operation.path("security").isEmpty();
            for (JsonNode requirement : operation.path("security")) {
                requirement.fieldNames().forEachRemaining(schemes::add);
                anonymous |= requirement.isEmpty();
            }
            if (!operation.path("security").isEmpty() && !schemes.containsAll(Set.of("bearer", "apiKey"))) {
                problems.add(where + ": credentials accepted as bearer and X-API-Key, but it declares " + schemes);
            }
            JsonNode responses = operation.path("responses");
            List<String> required = new ArrayList<>(List.of("400", "500", "503"));
            if (!operation.path("security").isEmpty()) {
                required.add("401");
                required.add("403");
            }
            required.stream().filter(status -> !responses.has(status))
                    .forEach(status -> problems.add(where + ": no " + status + " response"));
            List<String> successes = new ArrayList<>();
            responses.fieldNames().forEachRemaining(status -> {
                if (status.startsWith("2")) {
                    successes.add(status);
                }
                if ((status.startsWith("4") || status.startsWith("5")) && !"#/components/schemas/ErrorEnvelope".equals(
                        responses.path(status).path("content").path("application/json").path("schema").path("$ref").asText())) {
                    problems.add(where + ": " + status + " is not the error envelope");
                }
            });
            if (successes.isEmpty()) {
                problems.add(where + ": no success response");
            }
        });

        assertThat(problems).isEmpty();
        assertThat(document.at("/components/securitySchemes/apiKey/name").asText()).isEqualTo("X-API-Key");
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void given_the_routes_authentication_rules_when_the_document_is_read_then_public_anonymous_and_authenticated_routes_differ() {
        assertThat(document.at("/paths/~1api~1v1~1auth~1login/post/security")).isEmpty();
        assertThat(document.at("/paths/~1api~1v1~1organizations/get/security").toString())
                .isEqualTo("[{\"bearer\":[]},{\"apiKey\":[]}]");
        assertThat(document.at("/paths/~1api~1v1~1data~1{project}~1{table}/get/security").toString())
                .isEqualTo("[{\"bearer\":[]},{\"apiKey\":[]},{}]");
        assertThat(document.at("/paths/~1api~1v1~1auth~1login/post/responses/423")).isNotEmpty();
        assertThat(document.at("/paths/~1api~1v1~1organizations/post/responses/201")).isNotEmpty();
        assertThat(document.at("/paths/~1api~1v1~1organizations~1{id}/get/responses/304")).isNotEmpty();
        assertThat(document.at("/paths/~1api~1v1~1organizations~1{id}/patch/responses/412")).isNotEmpty();
        assertThat(document.at("/components/schemas/ErrorCode/enum").toString()).contains("\"INVALID_FILTER\"",
                "\"ACCOUNT_LOCKED\"", "\"RATE_LIMIT_EXCEEDED\"");
    }

    @Test
    void given_the_data_api_when_its_list_is_read_then_filters_and_query_options_are_query_parameters() {
        JsonNode parameters = document.at("/paths/~1api~1v1~1data~1{project}~1{table}/get/parameters");
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        parameters.forEach(parameter -> byName.put(parameter.path("name").asText(), parameter));

        assertThat(byName).containsKeys("filters", "order", "select", "limit", "offset", "count", "as_of", "search")
                .doesNotContainKey("parameters");
        assertThat(byName.get("filters").path("style").asText()).isEqualTo("form");
        assertThat(byName.get("filters").path("explode").asBoolean()).isTrue();
        assertThat(byName.get("filters").path("required").asBoolean()).isFalse();
        assertThat(document.at("/paths/~1api~1v1~1audit~1export/get/responses/200/content").has("text/csv")).isTrue();
        assertThat(document.at("/paths/~1api~1v1~1audit~1export/get/responses/200/content").has("application/x-ndjson")).isTrue();
    }

    @Test
    void given_the_document_when_its_names_are_read_then_none_ends_in_a_digit_or_is_a_java_type() {
        List<String> names = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        List<String> problems = new ArrayList<>();
        eachOperation((where, operation) -> {
            String id = operation.path("operationId").asText();
            if (id.isEmpty() || !operationIds.add(id)) {
                problems.add(where + ": operationId '" + id + "' missing or not unique");
            }
            names.add(id);
        });
        document.path("components").path("schemas").fieldNames().forEachRemaining(names::add);

        for (String name : names) {
            if (Character.isDigit(name.charAt(name.length() - 1))) {
                problems.add(name + " ends in a digit");
            }
            if (LEAKED.contains(name) || isJavaType(name)) {
                problems.add(name + " is a Java type name");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(names).contains("listOrganizations", "createProject", "insertRow", "listRows", "Organization",
                "OrganizationListEnvelope", "ErrorEnvelope");
    }

    private static boolean isJavaType(String name) {
        for (String pkg : JAVA_PACKAGES) {
            try {
                Class.forName(pkg + name);
                return true;
            } catch (ClassNotFoundException e) {
                // not in this package
            }
        }
        return false;
    }

    private void eachOperation(BiConsumer<String, JsonNode> check) {
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (METHODS.contains(method.getKey())) {
                check.accept(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
            }
        }));
    }
}
