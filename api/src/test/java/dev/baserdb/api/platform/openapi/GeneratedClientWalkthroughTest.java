package dev.baserdb.api.platform.openapi;

import dev.baserdb.api.support.ApiTest;
import dev.baserdb.client.ApiClient;
import dev.baserdb.client.ApiException;
import dev.baserdb.client.api.AuditApi;
import dev.baserdb.client.api.AuthApi;
import dev.baserdb.client.api.DataApi;
import dev.baserdb.client.api.OrganizationsApi;
import dev.baserdb.client.api.ProjectsApi;
import dev.baserdb.client.api.TablesApi;
import dev.baserdb.client.model.AuditEntry;
import dev.baserdb.client.model.AuditVerification;
import dev.baserdb.client.model.CreateProject;
import dev.baserdb.client.model.ErrorCode;
import dev.baserdb.client.model.ErrorEnvelope;
import dev.baserdb.client.model.Login;
import dev.baserdb.client.model.NewColumn;
import dev.baserdb.client.model.NewOrganization;
import dev.baserdb.client.model.NewTable;
import dev.baserdb.client.model.Organization;
import dev.baserdb.client.model.ProjectWithKey;
import dev.baserdb.client.model.Register;
import dev.baserdb.client.model.Row;
import dev.baserdb.client.model.RowListEnvelope;
import dev.baserdb.client.model.Table;
import dev.baserdb.client.model.TokenPair;
import dev.baserdb.client.model.TokenPairEnvelope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The README walkthrough through a Java client generated from the committed OpenAPI document
 * ({@code api/openapi/openapi.json}; openapi-generator-maven-plugin, {@code java}/{@code native}, in
 * the api module's {@code generate-test-sources} phase, which also validates the document). Nothing
 * here is written by hand against the wire: every call, body and result type comes from the document,
 * so a document that no longer says what the server does fails this test, and
 * {@link OpenApiSnapshotTest} fails when the served document drifts from the committed one.
 *
 * <p>Two things the native Java library leaves to its user, done here as its documentation says:
 * credentials go in through a request interceptor (it generates no auth support), and free-form
 * query objects are sent as the document declares them ({@code style: form, explode: true}: one
 * {@code column=value} pair per entry), which openapi-generator 7.25 does not do for maps.
 */
@ApiTest
class GeneratedClientWalkthroughTest {

    @LocalServerPort
    int port;

    private final AtomicReference<String> bearer = new AtomicReference<>();
    private ApiClient client;

    @BeforeEach
    void client() {
        client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> {
            if (bearer.get() != null) {
                request.header("Authorization", "Bearer " + bearer.get());
            }
            request.uri(explodedFilters(request.build().uri()));
        });
    }

    @Test
    void given_a_client_generated_from_the_document_when_the_readme_walkthrough_runs_then_every_step_answers_typed() throws Exception {
        AuthApi auth = new AuthApi(client);
        String email = "walkthrough-" + UUID.randomUUID() + "@example.com";

        TokenPairEnvelope registered = auth.register(new Register().email(email).password("correct horse battery")
                .displayName("Ada"), null, null);
        assertThat(registered.getSuccess()).isTrue();
        assertThat(registered.getData().getUser().getDisplayName()).isEqualTo("Ada");

        TokenPair tokens = auth.login(new Login().email(email).password("correct horse battery"), null, null).getData();
        assertThat(tokens.getTokenType()).isEqualTo("Bearer");
        bearer.set(tokens.getAccessToken());
        assertThat(auth.getCurrentUser(null).getData().getUser().getEmail()).isEqualTo(email);

        String slug = "walk-" + UUID.randomUUID().toString().substring(0, 8);
        Organization organization = new OrganizationsApi(client)
                .createOrganization(new NewOrganization().slug(slug).name("Acme"), null, null).getData();
        assertThat(organization.getSlug()).isEqualTo(slug);

        ProjectWithKey project = new ProjectsApi(client)
                .createProject(new CreateProject().organizationId(organization.getId()).name("Shop"), null, null).getData();
        assertThat(project.getServiceKey()).startsWith("bdb_sk_");

        Table table = new TablesApi(client).createTable(new NewTable().projectId(project.getId()).name("products")
                .columns(List.of(new NewColumn().name("title").type("TEXT").nullable(false),
                        new NewColumn().name("price").type("DECIMAL(10,2)"))), null, null).getData();
        assertThat(table.getColumns()).extracting(column -> column.getName() + ":" + column.getType())
                .contains("title:TEXT", "price:DECIMAL(10,2)");

        DataApi data = new DataApi(client);
        for (Map<String, Object> values : List.of(Map.<String, Object>of("title", "Tea", "price", 4.5),
                Map.<String, Object>of("title", "Coffee", "price", 3), Map.<String, Object>of("title", "Water", "price", 1))) {
            Row row = data.insertRow(project.getId(), "products", values, null, null).getData();
            assertThat(row.getId()).isNotNull();
            assertThat(row.getAdditionalProperty("title")).isEqualTo(values.get("title"));
        }

        RowListEnvelope expensive = data.listRows(project.getId(), "products", Map.of("price", "gte.2"), "price.desc",
                null, null, null, "exact", null, null, null, null);
        assertThat(expensive.getData()).extracting(row -> row.getAdditionalProperty("title")).containsExactly("Tea", "Coffee");
        assertThat(expensive.getMeta().getPage().getTotal()).isEqualTo(2L);
        assertThat(data.countRows(project.getId(), "products", Map.of("title", "like.*a*"), null, null, null, null)
                .getData().getCount()).isEqualTo(2L);

        AuditApi audit = new AuditApi(client);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                audit.listAuditEvents(organization.getId(), null, null, null, null, null, null, null, 100, null, null)
                        .getData()).extracting(AuditEntry::getAction)
                .contains("organization.created", "project.created", "table.created"));
        AuditVerification verification = audit.verifyAuditTrail(organization.getId(), null, null, null).getData();
        assertThat(verification.getVerified()).isTrue();
        assertThat(verification.getChecked()).isPositive();

        ApiException refused = catchThrowableOfType(ApiException.class, () -> data.listRows(project.getId(), "products",
                Map.of("colour", "eq.red"), null, null, null, null, null, null, null, null, null));
        assertThat(refused.getCode()).isEqualTo(400);
        ErrorEnvelope error = client.getObjectMapper().readValue(refused.getResponseBody(), ErrorEnvelope.class);
        assertThat(error.getSuccess()).isFalse();
        assertThat(error.getError().getCode()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(error.getMeta().getRequestId()).isNotBlank();

        bearer.set(null);
        ApiException anonymous = catchThrowableOfType(ApiException.class, () -> new OrganizationsApi(client)
                .listOrganizations(null, null, null, null));
        assertThat(anonymous.getCode()).isEqualTo(401);
        assertThat(client.getObjectMapper().readValue(anonymous.getResponseBody(), ErrorEnvelope.class)
                .getError().getCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    /** {@code filters={a=b, c=d}} (how the generated client sends a map) as {@code a=b&c=d}, per the document. */
    private static URI explodedFilters(URI uri) {
        String query = uri.getRawQuery();
        if (query == null || !query.contains("filters=")) {
            return uri;
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (!pair.startsWith("filters=")) {
                pairs.add(pair);
                continue;
            }
            String map = URLDecoder.decode(pair.substring("filters=".length()), StandardCharsets.UTF_8);
            Map<String, String> entries = new LinkedHashMap<>();
            for (String entry : map.substring(1, map.length() - 1).split(", ")) {
                int equals = entry.indexOf('=');
                entries.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
            entries.forEach((name, value) -> pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + String.join("&", pairs));
    }
}
