package dev.baserdb.projection.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.data.RowEvents.RowDeleted;
import dev.baserdb.kernel.data.RowEvents.RowInserted;
import dev.baserdb.kernel.data.RowEvents.RowRestored;
import dev.baserdb.kernel.data.RowEvents.RowUpdated;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * The data plane's row side: each row event writes the physical row and a new version in the
 * table's history, in the same transaction as the event. A write of an {@code anon} or
 * {@code authenticated} data-API caller runs under the project's role for it, so PostgreSQL's
 * row-level security decides it: a refused write fails the statement and the command rolls back,
 * event and all. The write runs in the owner's session (it must share the event's transaction); what
 * keeps a policy from climbing back to the owner is that policies are rendered from the checked
 * grammar and that the project roles may not call {@code set_config} (see RoleBootstrap).
 */
@Component
@ProcessingGroup(TableProjection.GROUP)
class RowProjection {

    /** Metadata set by the data API: the caller's API role ("anon"/"authenticated") and row id. */
    static final String DATA_ROLE = "data_role";
    static final String DATA_USER_ID = "data_user_id";
    private static final String RLS_VIOLATION = "42501";

    private static final Field<UUID> ID = field(name("id"), UUID.class);
    private static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    private static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
    private static final Field<OffsetDateTime> DELETED_AT = field(name("deleted_at"), OffsetDateTime.class);
    private static final Field<UUID> ROW_ID = field(name("row_id"), UUID.class);
    private static final Field<OffsetDateTime> VALID_TO = field(name("valid_to"), OffsetDateTime.class);

    private final DSLContext db;
    private final TableCatalog catalog;
    private final DatabaseRoles roles;
    private final long statementTimeoutMillis;

    RowProjection(DSLContext db, TableCatalog catalog, DatabaseRoles roles,
                  @Value("${baserdb.database.statement-timeout:5s}") Duration statementTimeout) {
        this.db = db;
        this.catalog = catalog;
        this.roles = roles;
        this.statementTimeoutMillis = statementTimeout.toMillis();
    }

    @EventHandler
    void on(RowInserted event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        TableCatalog.Physical table = catalog.current(event.tableId().value());
        UUID id = UUID.fromString(event.rowId());
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        row.put(ID, id);
        row.put(CREATED_AT, utc(at));
        row.put(UPDATED_AT, utc(at));
        row.putAll(values(table, event.values()));
        asCaller(table, message.getMetaData(), () -> db.insertInto(table(table.table())).set(row).execute(), "insert");
        recordVersion(table, id, version, "insert", message, at);
    }

    @EventHandler
    void on(RowUpdated event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        TableCatalog.Physical table = catalog.current(event.tableId().value());
        UUID id = UUID.fromString(event.rowId());
        Map<Field<?>, Object> changes = new LinkedHashMap<>(values(table, event.changes()));
        changes.put(UPDATED_AT, utc(at));
        int updated = asCaller(table, message.getMetaData(), () -> db.update(table(table.table())).set(changes)
                .where(ID.eq(id)).and(DELETED_AT.isNull()).execute(), "update");
        if (updated == 0) {
            // the row exists (the aggregate knows it) but the caller may not see it: as if it did not exist
            throw invisible();
        }
        recordVersion(table, id, version, "update", message, at);
    }

    @EventHandler
    void on(RowDeleted event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        TableCatalog.Physical table = catalog.current(event.tableId().value());
        UUID id = UUID.fromString(event.rowId());
        if (apiRole(message.getMetaData()) != null) {
            // A soft delete is an UPDATE for PostgreSQL; the DELETE policy is asked with a real DELETE
            // that is rolled back straight after.
            db.execute("SAVEPOINT bdb_delete_check");
            int allowed = asCaller(table, message.getMetaData(),
                    () -> db.deleteFrom(table(table.table())).where(ID.eq(id)).execute(), "delete");
            db.execute("ROLLBACK TO SAVEPOINT bdb_delete_check");
            if (allowed == 0) {
                throw invisible();
            }
        }
        db.update(table(table.table())).set(DELETED_AT, utc(at)).set(UPDATED_AT, utc(at))
                .where(ID.eq(id)).and(DELETED_AT.isNull()).execute();
        recordVersion(table, id, version, "delete", message, at);
    }

    @EventHandler
    void on(RowRestored event, EventMessage<?> message, @SequenceNumber long version, @Timestamp Instant at) {
        TableCatalog.Physical table = catalog.current(event.tableId().value());
        UUID id = UUID.fromString(event.rowId());
        db.update(table(table.table())).set(DELETED_AT, (OffsetDateTime) null).set(UPDATED_AT, utc(at))
                .where(ID.eq(id)).execute();
        recordVersion(table, id, version, "restore", message, at);
    }

    /** Closes the row's current version and copies the row as it now is into the history table. */
    private void recordVersion(TableCatalog.Physical table, UUID id, long version, String operation,
                               EventMessage<?> message, Instant at) {
        if (version > 0) {
            // an inserted row (version 0) has no earlier version to close
            db.update(table(table.history())).set(VALID_TO, utc(at)).where(ROW_ID.eq(id)).and(VALID_TO.isNull())
                    .execute();
        }
        List<String> copied = new ArrayList<>(List.of("id", "created_at", "updated_at", "deleted_at"));
        copied.addAll(table.columns().keySet());
        String columns = String.join(", ", copied.stream().map(c -> db.render(name(c))).toList());
        MetaData meta = message.getMetaData();
        db.execute("INSERT INTO " + db.render(table.history()) + " (row_id, version, operation, valid_from, event_id, "
                        + "actor_type, actor_id, " + columns + ") SELECT id, ?::bigint, ?, ?::timestamptz, ?, ?, ?, " + columns
                        + " FROM " + db.render(table.table()) + " WHERE id = ?::uuid",
                version, operation, utc(at), message.getIdentifier(), text(meta, "actor_type"),
                text(meta, "actor_id"), id);
    }

    private static Map<Field<?>, Object> values(TableCatalog.Physical table, ObjectNode values) {
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = values.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> value = fields.next();
            if (table.columns().containsKey(value.getKey())) {
                row.put(table.column(value.getKey()), table.columns().get(value.getKey()).fromJson(value.getValue()));
            }
        }
        return row;
    }

    /**
     * Runs a write as the data-API caller's project role (when it has one), with its row id bound and
     * the data plane's statement timeout (which stays for the rest of the command's transaction).
     */
    private int asCaller(TableCatalog.Physical table, MetaData meta, java.util.function.IntSupplier write,
                         String operation) {
        String apiRole = apiRole(meta);
        if (apiRole == null) {
            return write.getAsInt();
        }
        String userId = text(meta, DATA_USER_ID);
        // the row id is inlined only once it has been read as a UUID; the role name is ours
        String user = userId == null || userId.isEmpty() ? "" : UUID.fromString(userId).toString();
        db.execute("SET LOCAL statement_timeout = " + statementTimeoutMillis + "; SET LOCAL baserdb.user_id = '" + user
                + "'; SET LOCAL ROLE " + db.render(name(roles.dataRole(table.projectId(), apiRole))));
        try {
            return write.getAsInt();
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && RLS_VIOLATION.equals(sql.getSQLState())) {
                throw refused(operation);
            }
            throw e;
        } finally {
            resetRole();
        }
    }

    private void resetRole() {
        try {
            db.execute("RESET ROLE");
        } catch (DataAccessException aborted) {
            // The transaction already failed and rolls back, which ends the role as well.
        }
    }

    /** The caller's API role when the write is subject to policies ({@code anon}/{@code authenticated}), else null. */
    private static String apiRole(MetaData meta) {
        String role = text(meta, DATA_ROLE);
        return "anon".equals(role) || "authenticated".equals(role) ? role : null;
    }

    private static BaserDbException refused(String operation) {
        return new BaserDbException(ErrorCode.FORBIDDEN, "The table's policies do not allow this " + operation);
    }

    /** A row the caller's policies hide answers like a row that does not exist (API.md §7). */
    private static BaserDbException invisible() {
        return new BaserDbException(ErrorCode.NOT_FOUND, "Resource not found");
    }

    private static String text(MetaData meta, String key) {
        Object value = meta.get(key);
        return value == null ? null : value.toString();
    }
}
