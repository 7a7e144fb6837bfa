package dev.baserdb.api.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Helpers for tests of the asynchronous audit trail: waiting for the audit processor with
 * Awaitility, reading the audit and event tables with plain SQL, and walking the audit API's
 * cursor pages.
 */
public final class AuditTrail {

    /** How long the audit processor may take to catch up (it is asynchronous; tests never sleep). */
    public static final Duration CATCH_UP = Duration.ofSeconds(60);

    private AuditTrail() {
    }

    /**
     * Waits until every event stored so far (up to the current head of the event store) has its
     * audit entry.
     */
    public static void awaitCaughtUp() {
        long head = count("SELECT coalesce(max(globalindex), 0) FROM domainevententry");
        await("the audit processor to reach global index " + head)
                .atMost(CATCH_UP).pollInterval(Duration.ofMillis(50))
                .until(() -> count("SELECT count(*) FROM domainevententry d WHERE d.globalindex <= ? "
                        + "AND NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.global_index = d.globalindex)",
                        head) == 0);
    }

    /** Every entry the list route gives for {@code query} (without limit/cursor), newest first, walking all pages. */
    public static List<JsonNode> list(Http http, String query) {
        List<JsonNode> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            String path = "/api/v1/audit/events?" + query + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor);
            Http.Response response = http.get(path);
            assertThat(response.status()).as(path + " → " + response).isEqualTo(200);
            for (JsonNode entry : response.data()) {
                assertThat(ids.add(entry.path("id").asText())).as("entry listed twice: " + entry).isTrue();
                entries.add(entry);
            }
            JsonNode next = response.body().path("meta").path("page").path("next_cursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asText();
        } while (cursor != null);
        return entries;
    }

    /** The single long a query gives ({@link PhysicalSchema#count}). */
    public static long count(String sql, Object... parameters) {
        return PhysicalSchema.count(sql, parameters);
    }

    /** The first column of every row a query gives, as text ({@link PhysicalSchema#strings}). */
    public static List<String> strings(String sql, Object... parameters) {
        return PhysicalSchema.strings(sql, parameters);
    }

    /**
     * Runs each query in turn on one connection (a connection per query starts a PostgreSQL backend
     * each, which for a dump of every managed table took longer than the queries) and returns the
     * first column of each, as text, under the query's name, in the order given.
     */
    public static Map<String, List<String>> strings(Map<String, String> queriesByName) {
        try (Connection connection = TestDatabase.checked(); Statement statement = connection.createStatement()) {
            Map<String, List<String>> results = new LinkedHashMap<>();
            for (Map.Entry<String, String> query : queriesByName.entrySet()) {
                try (ResultSet result = statement.executeQuery(query.getValue())) {
                    results.put(query.getKey(), firstColumn(result));
                }
            }
            return results;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row of a result, as text. */
    private static List<String> firstColumn(ResultSet result) throws SQLException {
        List<String> values = new ArrayList<>();
        while (result.next()) {
            values.add(result.getString(1));
        }
        return values;
    }

    /** Runs one statement (outside the application) and returns the update count. */
    public static int execute(String sql, Object... parameters) {
        try (Connection connection = TestDatabase.checked();
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
