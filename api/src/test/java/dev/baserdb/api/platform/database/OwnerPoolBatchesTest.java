package dev.baserdb.api.platform.database;

import dev.baserdb.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's pool (the event store's appends, the audit's entries) has the driver send a JDBC
 * batch of single-row inserts as multi-row inserts: the driver then reports no count per row
 * ({@link Statement#SUCCESS_NO_INFO}) where it reports 1 for a row sent on its own (8 rows: one
 * statement of 8, the driver splitting a batch into runs of powers of two).
 */
@ApiTest
class OwnerPoolBatchesTest {

    @Autowired
    DataSource dataSource;

    @Test
    void aBatchOfSingleRowInsertsIsSentAsMultiRowInsertsAndWritesEveryRow() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TEMPORARY TABLE batched (n int NOT NULL)");
            int[] counts;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batched (n) VALUES (?)")) {
                for (int n = 1; n <= 8; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                counts = insert.executeBatch();
            }
            try (ResultSet rows = ddl.executeQuery("SELECT count(*), sum(n) FROM batched")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(8);
                assertThat(rows.getInt(2)).isEqualTo(36);
            }
            ddl.execute("DROP TABLE batched");
            assertThat(counts).hasSize(8).containsOnly(Statement.SUCCESS_NO_INFO);
        }
    }
}
