package dev.baserdb.query.platform;

import dev.baserdb.kernel.eventlog.EventLog;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.exception.DataAccessException;
import org.springframework.stereotype.Service;

import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static dev.baserdb.kernel.readmodel.schema.Tables.ORGANIZATION_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.PROJECT_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.TABLE_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.USERS;

/**
 * Platform-wide counts for {@code GET /admin/stats} (API.md §14): users, organizations, projects,
 * managed tables and their rows, events, and the event store's size on disk. Exact counts: an
 * admin page, not a hot path.
 */
@Service
public class PlatformCounts {

    /**
     * The counts; {@code events} and {@code eventStoreBytes} are null when the {@link EventLog} cannot
     * tell them (through Axon's API the size on disk is never known).
     */
    public record Counts(long users, long organizations, long projects, long tables, long rows, Long events,
                         Long eventStoreBytes) {
    }

    private final DSLContext db;
    private final EventLog events;

    public PlatformCounts(DSLContext db, EventLog events) {
        this.db = db;
        this.events = events;
    }

    public Counts counts() {
        long users = db.fetchCount(USERS, USERS.STATUS.ne("erased"));
        long organizations = db.fetchCount(ORGANIZATION_VERSIONS, ORGANIZATION_VERSIONS.PERIOD.current());
        long projects = db.fetchCount(PROJECT_VERSIONS, PROJECT_VERSIONS.PERIOD.current());
        long tables = 0;
        long rows = 0;
        for (Record2<String, String> t : db.select(TABLE_VERSIONS.SCHEMA_NAME, TABLE_VERSIONS.NAME)
                .from(TABLE_VERSIONS).where(TABLE_VERSIONS.PERIOD.current()).fetch()) {
            tables++;
            // Names from the read model, quoted by jOOQ; a table being dropped right now counts no rows.
            try {
                rows += db.fetchCount(table(name(t.value1(), t.value2())));
            } catch (DataAccessException gone) {
                // dropped between the two statements
            }
        }
        return new Counts(users, organizations, projects, tables, rows, events.count(), events.sizeBytes());
    }
}
