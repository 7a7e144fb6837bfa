package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditEntry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Tampering with the audit trail the way someone with database access would, in real SQL as the
 * superuser, for the tamper-evidence tests. While a {@code Tampering} is open no checkpoint is
 * taken (it holds the checkpoint job's advisory lock), so the job never signs a tampered trail
 * that the test then restores. Changes are committed (the verify request only sees committed
 * rows), each in one transaction that locks the audit table and disables its user triggers only
 * inside that transaction.
 */
final class Tampering implements AutoCloseable {

    /** One step of work on the tampering connection. */
    interface Work {
        void run(Connection connection) throws SQLException;
    }

    private final Connection lockHolder;
    private final Runnable undo;

    private Tampering(Connection lockHolder, Runnable undo) {
        this.lockHolder = lockHolder;
        this.undo = undo;
    }

    /**
     * Holds off the checkpoint job until {@link #close}, which first runs {@code undo} (whether the
     * test passed or not) and only then lets the job go on.
     */
    static Tampering undoneBy(Runnable undo) {
        try {
            Connection connection = TestDatabase.connect();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + AuditCheckpoints.LOCK + ")");
            }
            return new Tampering(connection, undo);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            undo.run();
        } finally {
            try (Connection connection = lockHolder; Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_unlock(" + AuditCheckpoints.LOCK + ")");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Runs {@code work} in one committed transaction with the audit tables' user triggers disabled. */
    static void commit(Work work) {
        try (Connection connection = TestDatabase.connect()) {
            connection.setAutoCommit(false);
            try (Statement admin = connection.createStatement()) {
                admin.execute("LOCK TABLE audit_entries IN EXCLUSIVE MODE");
                admin.execute("ALTER TABLE audit_entries DISABLE TRIGGER USER");
                admin.execute("ALTER TABLE audit_checkpoints DISABLE TRIGGER USER");
                work.run(connection);
                admin.execute("ALTER TABLE audit_entries ENABLE TRIGGER USER");
                admin.execute("ALTER TABLE audit_checkpoints ENABLE TRIGGER USER");
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the statements, each with its parameters, in one {@link #commit}. */
    static void commit(List<String> statements, List<List<Object>> parameters) {
        commit(connection -> {
            for (int i = 0; i < statements.size(); i++) {
                update(connection, statements.get(i), parameters.get(i).toArray());
            }
        });
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int p = 0; p < parameters.length; p++) {
                statement.setObject(p + 1, parameters[p]);
            }
            return statement.executeUpdate();
        }
    }

    /**
     * Recomputes {@code prev_hash} and {@code hash} of every entry from {@code fromSequence} to the
     * end, with the published rule, as a forger who knows it would: the chain links again.
     */
    static void rechain(Connection connection, long fromSequence) throws SQLException {
        String previous = AuditChain.GENESIS;
        if (fromSequence > 1) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT hash FROM audit_entries WHERE sequence = ?")) {
                statement.setLong(1, fromSequence - 1);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    previous = row.getString(1);
                }
            }
        }
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT * FROM audit_entries WHERE sequence >= ? ORDER BY sequence")) {
            statement.setLong(1, fromSequence);
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    JsonNode changes = Http.JSON.readTree(r.getString("changes"));
                    entries.add(new AuditEntry(r.getString("id"), r.getLong("sequence"), r.getLong("global_index"),
                            r.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                            r.getString("organization_id"), r.getString("project_id"), r.getString("actor_type"),
                            r.getString("actor_id"), r.getString("impersonator_id"), r.getString("action"),
                            r.getString("resource_type"), r.getString("resource_id"), r.getString("request_id"),
                            r.getString("ip"), r.getString("user_agent"), changes, null, null));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        for (AuditEntry entry : entries) {
            AuditEntry linked = entry.withChain(previous);
            update(connection, "UPDATE audit_entries SET prev_hash = ?, hash = ? WHERE sequence = ?",
                    linked.prevHash(), linked.hash(), linked.sequence());
            previous = linked.hash();
        }
    }

    /** Every row of the audit table as text, to prove a tampering was undone exactly. */
    static List<String> dump() {
        return AuditTrail.strings("SELECT a::text FROM audit_entries a ORDER BY sequence");
    }
}
