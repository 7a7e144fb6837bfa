package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Managed tables and rows for API tests, made through the public API (API.md §6–7): column specs,
 * {@code aTable(…)} in a project, rows inserted with the project's service key.
 */
public final class TableFixtures {

    private final Http http;

    public TableFixtures(Http http) {
        this.http = http;
    }

    /** A column spec {@code {name, type}} (nullable, no default, not unique). */
    public static ObjectNode column(String name, String type) {
        return Http.json("name", name, "type", type);
    }

    /** A column spec with {@code nullable: false}. */
    public static ObjectNode required(String name, String type) {
        return column(name, type).put("nullable", false);
    }

    /** A column spec with {@code unique: true}. */
    public static ObjectNode unique(String name, String type) {
        return column(name, type).put("unique", true);
    }

    public static ArrayNode columns(ObjectNode... columns) {
        ArrayNode array = Http.JSON.createArrayNode();
        for (ObjectNode column : columns) {
            array.add(column);
        }
        return array;
    }

    /** The request body of a table creation in the project's public group. */
    public static ObjectNode tableRequest(String projectId, String name, ObjectNode... columns) {
        return Http.json("project_id", projectId, "name", name).set("columns", columns(columns));
    }

    /** A table name no other test of this run uses (a valid SQL identifier). */
    public static String uniqueTableName(String prefix) {
        return Tenancy.unique(prefix).replace('-', '_');
    }

    /** Creates a table with a unique name in the project's public group; returns the table's data. */
    public JsonNode aTable(Accounts.Account actor, String projectId, ObjectNode... columns) {
        return aTable(actor, tableRequest(projectId, uniqueTableName("t"), columns));
    }

    /** Creates a table from a full request body; returns the table's data. */
    public JsonNode aTable(Accounts.Account actor, ObjectNode request) {
        Http.Response created = http.bearer(actor.accessToken()).post("/api/v1/tables", request);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.data();
    }

    /** The client of a project's service key (it bypasses policies). */
    public Http serviceKey(String serviceKey) {
        return http.with("X-API-Key", serviceKey);
    }

    /** Inserts a row with the service key; returns the row as the API answered it. */
    public static JsonNode insert(Http asServiceKey, String projectId, String table, ObjectNode values) {
        Http.Response inserted = asServiceKey.post("/api/v1/data/" + projectId + "/" + table, values);
        assertThat(inserted.status()).as(inserted.toString()).isEqualTo(201);
        return inserted.data();
    }

    /** The values of one field across a list answer's rows, as text. */
    public static List<String> values(JsonNode rows, String field) {
        List<String> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.path(field).isNull() ? null : row.path(field).asText()));
        return values;
    }
}
