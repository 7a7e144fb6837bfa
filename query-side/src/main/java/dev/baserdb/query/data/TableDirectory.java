package dev.baserdb.query.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.TableTables.Tables;

/** Reads managed tables, now or as of an instant ({@code asOf == null} means now). */
@Service
public class TableDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext db;

    public TableDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<TableView> find(String tableId, Instant asOf) {
        return db.selectFrom(Tables.TABLE).where(Tables.ID.eq(tableId)).and(Tables.PERIOD.at(asOf))
                .fetchOptional().map(TableDirectory::toView);
    }

    /** The last version a table had, deleted or not. */
    public Optional<TableView> lastVersion(String tableId) {
        return db.selectFrom(Tables.TABLE).where(Tables.ID.eq(tableId))
                .orderBy(Tables.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(TableDirectory::toView);
    }

    public Optional<TableView> findByName(String groupId, String name) {
        return db.selectFrom(Tables.TABLE).where(Tables.GROUP_ID.eq(groupId)).and(Tables.NAME.eq(name))
                .and(Tables.PERIOD.current()).fetchOptional().map(TableDirectory::toView);
    }

    public Page<TableView> tablesOf(String projectId, String groupId, Instant asOf, PageRequest page) {
        Condition of = Tables.PROJECT_ID.eq(projectId).and(Tables.PERIOD.at(asOf));
        if (groupId != null) {
            of = of.and(Tables.GROUP_ID.eq(groupId));
        }
        long total = db.fetchCount(Tables.TABLE, of);
        List<TableView> items = db.selectFrom(Tables.TABLE).where(of).orderBy(Tables.CREATED_AT, Tables.ID)
                .limit(page.limit()).offset(page.offset()).fetch(TableDirectory::toView);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public boolean groupHasTables(String groupId) {
        return db.fetchExists(Tables.TABLE, Tables.GROUP_ID.eq(groupId).and(Tables.PERIOD.current()));
    }


    private static TableView toView(Record r) {
        try {
            return new TableView(r.get(Tables.ID), r.get(Tables.PROJECT_ID), r.get(Tables.ORGANIZATION_ID),
                    r.get(Tables.GROUP_ID), r.get(Tables.SCHEMA_NAME), r.get(Tables.NAME),
                    JSON.readValue(r.get(Tables.COLUMNS), new TypeReference<List<Column>>() {
                    }),
                    JSON.readTree(r.get(Tables.INDEXES)),
                    JSON.readValue(r.get(Tables.POLICIES), new TypeReference<List<Policy>>() {
                    }),
                    r.get(Tables.CREATED_AT).toInstant(), r.get(Tables.UPDATED_AT).toInstant(),
                    r.get(Tables.VERSION));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable tables read model row " + r.get(Tables.ID), e);
        }
    }
}
