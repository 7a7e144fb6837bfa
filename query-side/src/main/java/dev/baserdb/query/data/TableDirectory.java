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

import static dev.baserdb.kernel.readmodel.schema.Tables.TABLE_VERSIONS;


/** Reads managed tables, now or as of an instant ({@code asOf == null} means now). */
@Service
public class TableDirectory {

    private final DSLContext db;

    public TableDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<DataTable> find(String tableId, Instant asOf) {
        return db.selectFrom(TABLE_VERSIONS).where(TABLE_VERSIONS.ID.eq(tableId)).and(TABLE_VERSIONS.PERIOD.at(asOf))
                .fetchOptional().map(DataTable::of);
    }

    /** The last version a table had, deleted or not. */
    public Optional<DataTable> lastVersion(String tableId) {
        return db.selectFrom(TABLE_VERSIONS).where(TABLE_VERSIONS.ID.eq(tableId))
                .orderBy(TABLE_VERSIONS.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(DataTable::of);
    }

    public Optional<DataTable> findByName(String groupId, String name) {
        return db.selectFrom(TABLE_VERSIONS).where(TABLE_VERSIONS.GROUP_ID.eq(groupId)).and(TABLE_VERSIONS.NAME.eq(name))
                .and(TABLE_VERSIONS.PERIOD.current()).fetchOptional().map(DataTable::of);
    }

    public Page<DataTable> tablesOf(String projectId, String groupId, Instant asOf, PageRequest page) {
        Condition of = TABLE_VERSIONS.PROJECT_ID.eq(projectId).and(TABLE_VERSIONS.PERIOD.at(asOf));
        if (groupId != null) {
            of = of.and(TABLE_VERSIONS.GROUP_ID.eq(groupId));
        }
        long total = db.fetchCount(TABLE_VERSIONS, of);
        List<DataTable> items = db.selectFrom(TABLE_VERSIONS).where(of).orderBy(TABLE_VERSIONS.CREATED_AT, TABLE_VERSIONS.ID)
                .limit(page.limit()).offset(page.offset()).fetch(DataTable::of);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public boolean groupHasTables(String groupId) {
        return db.fetchExists(TABLE_VERSIONS, TABLE_VERSIONS.GROUP_ID.eq(groupId).and(TABLE_VERSIONS.PERIOD.current()));
    }



}
