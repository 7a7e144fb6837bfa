package dev.baserdb.kernel.readmodel;

import org.jooq.DSLContext;
import org.jooq.ResultQuery;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a query built with jOOQ straight on JDBC (in the current transaction) and reads each row
 * by column position. For the batches of /audit/verify (its entries, and the events it reads from
 * the JDBC event table) only: jOOQ's records cost more per row than the rest of reading, and verify
 * reads every entry and every event.
 */
public final class JdbcRows {

    /** Reads one row; columns are numbered from 1 in the order the query selects them. */
    public interface Reader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private JdbcRows() {
    }

    public static <T> List<T> list(DSLContext db, ResultQuery<?> query, int expectedRows, Reader<T> reader) {
        return db.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query.getSQL())) {
                List<Object> values = query.getBindValues();
                for (int i = 0; i < values.size(); i++) {
                    statement.setObject(i + 1, values.get(i));
                }
                List<T> rows = new ArrayList<>(expectedRows);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        rows.add(reader.read(row));
                    }
                }
                return rows;
            }
        });
    }
}
