package dev.baserdb.query.data;

import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.TableTables.Tables;

/** Reads managed tables, now or as of an instant ({@code asOf == null} means now). */
@Service
public class TableDirectory {

    private final DSLContext db;

    public TableDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<DataTable> find(String tableId, Instant asOf) {
        return db.selectFrom(Tables.TABLE).where(Tables.ID.eq(tableId)).and(Tables.PERIOD.at(asOf))
                .fetchOptional().map(DataTable::of);
    }

    /** The last version a table had, deleted or not. */
    public Optional<DataTable> lastVersion(String tableId) {
        return db.selectFrom(Tables.TABLE).where(Tables.ID.eq(tableId))
                .orderBy(Tables.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(DataTable::of);
    }

    public Optional<DataTable> findByName(String groupId, String name) {
        return db.selectFrom(Tables.TABLE).where(Tables.GROUP_ID.eq(groupId)).and(Tables.NAME.eq(name))
                .and(Tables.PERIOD.current()).fetchOptional().map(DataTable::of);
    }

    public Page<DataTable> tablesOf(String projectId, String groupId, Instant asOf, PageRequest page) {
        Condition of = Tables.PROJECT_ID.eq(projectId).and(Tables.PERIOD.at(asOf));
        if (groupId != null) {
            of = of.and(Tables.GROUP_ID.eq(groupId));
        }
        long total = db.fetchCount(Tables.TABLE, of);
        List<DataTable> items = db.selectFrom(Tables.TABLE).where(of).orderBy(Tables.CREATED_AT, Tables.ID)
                .limit(page.limit()).offset(page.offset()).fetch(DataTable::of);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public boolean groupHasTables(String groupId) {
        return db.fetchExists(Tables.TABLE, Tables.GROUP_ID.eq(groupId).and(Tables.PERIOD.current()));
    }



}
