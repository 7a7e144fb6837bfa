package dev.baserdb.query.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DataQuery;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.data.DatabaseRoles;
import dev.baserdb.kernel.data.RowReads;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads managed tables for the data API ({@link RowReads} holds the grammar and the SQL). Reads of
 * callers without the bypass run under their project's data role in an authenticator session
 * ({@link RoleSessions}), so PostgreSQL's row-level security filters the rows; operators' reads run
 * as the owner on the operator-read pool. Every read runs under the data plane's statement timeout.
 */
@Service
public class DataReader {

    private final DSLContext owner;
    private final DSLContext operatorReads;
    private final RoleSessions sessions;

    public DataReader(DSLContext db, @Qualifier(DatabaseRoles.OPERATOR_READ_POOL) DataSource operatorReads,
                      RoleSessions sessions) {
        this.owner = db;
        this.operatorReads = DSL.using(operatorReads, SQLDialect.POSTGRES);
        this.sessions = sessions;
    }

    public RowReads.Page list(DataTable table, DataQuery query, DataCaller caller) {
        return as(caller, table, db -> RowReads.list(db, table, query));
    }

    public long count(DataTable table, DataQuery query, DataCaller caller) {
        return as(caller, table, db -> RowReads.count(db, table, query));
    }

    public Optional<ObjectNode> get(DataTable table, UUID id, Instant asOf, boolean includeDeleted, DataCaller caller) {
        return as(caller, table, db -> RowReads.get(db, table, id, asOf, includeDeleted));
    }

    public List<ObjectNode> aggregate(DataTable table, String fn, String column, String groupBy, DataQuery query,
                                      DataCaller caller) {
        return as(caller, table, db -> RowReads.aggregate(db, table, fn, column, groupBy, query));
    }

    /** The row versions the given row events wrote, as far as the caller may read them (see {@link RowReads#versions}). */
    public Map<String, ObjectNode> versions(DataTable table, Map<String, UUID> rowsByEvent, DataCaller caller) {
        return as(caller, table, db -> RowReads.versions(db, table, rowsByEvent));
    }

    /** A row's id and stored password hash, for the data login; empty unless exactly one live row matches. */
    public Optional<Map.Entry<UUID, String>> credential(DataTable table, String identifierColumn, Object identifier,
                                                        String passwordColumn) {
        return RowReads.credential(owner, table, identifierColumn, identifier, passwordColumn);
    }

    /** Every version of a row, oldest first, from the table's history (operators only). */
    public List<ObjectNode> history(DataTable table, UUID id) {
        return as(DataCaller.BYPASS, table, db -> RowReads.history(db, table, id));
    }

    /**
     * Runs a read: under the caller's project role in an authenticator session, or, for callers who
     * bypass policies, as the owner on the operator-read pool, whose sessions carry the statement
     * timeout. Inside a command's transaction (a data-API transaction reading its own writes) the
     * read joins that transaction instead.
     */
    private <T> T as(DataCaller caller, DataTable table, Function<DSLContext, T> read) {
        if (!caller.bypasses()) {
            return sessions.read(table.projectId(), caller, read);
        }
        return read.apply(TransactionSynchronizationManager.isActualTransactionActive() ? owner : operatorReads);
    }
}
