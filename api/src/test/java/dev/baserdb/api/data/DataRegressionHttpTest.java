package dev.baserdb.api.data;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.UUID;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression tests of the security review's data-API findings (issue 8): a row the caller may not
 * see answers exactly like a row that does not exist (L7), and an aggregate PostgreSQL cannot
 * compute is a 400, not a 500 (L9).
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataRegressionHttpTest {

    @LocalServerPort
    int port;

    private Http anon;
    private Http service;
    private String path;
    private String hiddenRow;

    @BeforeAll
    void aTableWhereAnonSeesOnlyPublishedRowsButMayUpdateAndDeleteWhatItSees() {
        Http http = new Http(port);
        Accounts.Account owner = new Accounts(http).anAccount();
        Tenancy tenancy = new Tenancy(http);
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        Http operator = http.bearer(owner.accessToken());
        String name = unique("docs");
        String table = ok(operator.post("/api/v1/tables", Http.json("project_id", project.id(), "name", name,
                "columns", List.of(Http.json("name", "title", "type", "TEXT"),
                        Http.json("name", "published", "type", "BOOLEAN"))))).path("id").asText();
        ok(operator.put("/api/v1/tables/" + table + "/policies", List.of(
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true, "constraint_sql", "published = true"),
                Http.json("api_role", "anon", "operation", "UPDATE", "allowed", true),
                Http.json("api_role", "anon", "operation", "DELETE", "allowed", true))));
        anon = http;
        service = http.with("X-API-Key", project.serviceKey());
        path = "/api/v1/data/" + project.id() + "/" + name;
        ok(service.post(path, Http.json("title", "visible", "published", true)));
        hiddenRow = ok(service.post(path, Http.json("title", "hidden", "published", false))).path("id").asText();
    }

    @Test
    void givenARowTheCallerMayNotSee_whenPatchedOrDeleted_thenTheAnswerIsTheOneForARowThatDoesNotExist() {
        String missing = UUID.randomUUID().toString();

        Http.Response patchHidden = anon.patch(path + "/" + hiddenRow, Http.json("title", "changed"));
        Http.Response patchMissing = anon.patch(path + "/" + missing, Http.json("title", "changed"));
        Http.Response deleteHidden = anon.delete(path + "/" + hiddenRow);
        Http.Response deleteMissing = anon.delete(path + "/" + missing);
        Http.Response getHidden = anon.get(path + "/" + hiddenRow);

        for (Http.Response response : List.of(patchHidden, patchMissing, deleteHidden, deleteMissing, getHidden)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
        }
        assertThat(patchHidden.body().path("error")).isEqualTo(patchMissing.body().path("error"));
        assertThat(deleteHidden.body().path("error")).isEqualTo(deleteMissing.body().path("error"));
        assertThat(ok(service.get(path + "/" + hiddenRow)).path("title").asText()).isEqualTo("hidden");
    }

    @Test
    void givenMinOrMaxOfTheUuidColumn_whenAggregated_thenItIsAnInvalidFilterNotAServerError() {
        for (String fn : List.of("min", "max")) {
            Http.Response response = service.get(path + "/aggregate?fn=" + fn + "&column=id");

            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("INVALID_FILTER");
        }
        assertThat(ok(service.get(path + "/aggregate?fn=count&column=id")).get(0).path("value").asLong()).isEqualTo(2);
    }
}
