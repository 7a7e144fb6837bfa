package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;


import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /audit/export}: CSV cells a spreadsheet would run as a formula are neutralised
 * (OWASP CSV injection), and the format follows {@code format}, or else the Accept header.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditExportHttpTest {

    private static final String FORMULA_AGENT = "=HYPERLINK(\"http://x\",\"y\")";

    @LocalServerPort
    int port;

    private Http http;
    private Accounts.Account owner;
    private String organization;

    @BeforeAll
    void anOrganizationRenamedByAClientWithAFormulaForUserAgent() {
        http = new Http(port);
        owner = new Accounts(http).anAccount();
        organization = new Tenancy(http).anOrganization(owner);
        ok(http.bearer(owner.accessToken()).with("User-Agent", FORMULA_AGENT)
                .patch("/api/v1/organizations/" + organization, Http.json("name", "-1+2")));
        AuditTrail.awaitCaughtUp();
    }

    @Test
    void given_a_user_agent_that_is_a_formula_when_exporting_csv_then_its_cell_starts_with_a_quote() {
        Http.Response response = export("format=csv", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        String renamed = response.text().lines().filter(line -> line.contains(",organization.renamed,"))
                .findFirst().orElseThrow(() -> new AssertionError(response.text()));
        // RFC 4180: the cell is quoted (it holds quotes and a comma), its quotes doubled, and it begins with '.
        assertThat(renamed).contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",");
        assertThat(renamed).doesNotContain(",=HYPERLINK", ",\"=HYPERLINK");
    }

    @Test
    void given_a_formula_when_exporting_jsonl_then_it_is_left_as_it_was() {
        Http.Response response = export("format=jsonl", null);

        JsonNode renamed = response.text().lines().map(AuditExportHttpTest::json)
                .filter(entry -> entry.path("action").asText().equals("organization.renamed"))
                .findFirst().orElseThrow();
        assertThat(renamed.path("user_agent").asText()).isEqualTo(FORMULA_AGENT);
    }

    @Test
    void given_cells_when_written_as_csv_then_those_starting_like_a_formula_begin_with_a_quote() {
        assertThat(CsvRows.cell("=1+2")).isEqualTo("'=1+2");
        assertThat(CsvRows.cell("+1")).isEqualTo("'+1");
        assertThat(CsvRows.cell("-1+2")).isEqualTo("'-1+2");
        assertThat(CsvRows.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvRows.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvRows.cell("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(CsvRows.cell("=1,2")).isEqualTo("\"'=1,2\"");
    }

    @Test
    void given_cells_that_do_not_start_like_a_formula_when_written_as_csv_then_they_are_unchanged() {
        assertThat(CsvRows.cell("plain")).isEqualTo("plain");
        assertThat(CsvRows.cell("a=b")).isEqualTo("a=b");
        assertThat(CsvRows.cell("")).isEqualTo("");
        assertThat(CsvRows.cell(null)).isEqualTo("");
        assertThat(CsvRows.cell("1,2")).isEqualTo("\"1,2\"");
    }

    @ParameterizedTest(name = "format={0}, Accept: {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "none|text/csv|text/csv",
            "none|application/x-ndjson|application/x-ndjson",
            "none|none|application/x-ndjson",
            "none|*/*|application/x-ndjson",
            "none|application/json|application/x-ndjson",
            "none|text/*|text/csv",
            "none|application/x-ndjson;q=0.5, text/csv|text/csv",
            "none|text/csv;q=0.2, application/x-ndjson|application/x-ndjson",
            "csv|none|text/csv",
            "csv|*/*|text/csv",
            "jsonl|none|application/x-ndjson",
            "jsonl|*/*|application/x-ndjson"})
    void given_format_or_accept_when_exporting_then_that_format_is_streamed(String format, String accept,
                                                                          String type) {
        Http.Response response = export(format == null ? "" : "format=" + format, accept);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith(type);
        String first = response.text().lines().findFirst().orElseThrow();
        if (type.equals("text/csv")) {
            assertThat(first).startsWith("id,sequence,");
        } else {
            assertThat(json(first).path("organization_id").asText()).isEqualTo(organization);
        }
    }

    @Test
    void given_an_unknown_format_when_exporting_then_400_whatever_accept_says() {
        Http.Response response = export("format=xlsx", "application/json");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    private Http.Response export(String query, String accept) {
        Http client = http.bearer(owner.accessToken());
        if (accept != null) {
            client = client.with("Accept", accept);
        }
        return client.get("/api/v1/audit/export?organization_id=" + organization + (query.isEmpty() ? "" : "&" + query));
    }

    private static JsonNode json(String line) {
        try {
            return Http.JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

}
