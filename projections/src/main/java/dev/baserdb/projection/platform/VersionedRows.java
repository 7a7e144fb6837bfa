package dev.baserdb.projection.platform;

import dev.baserdb.kernel.readmodel.Period;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

/**
 * Writes system-versioned read models: a change never updates a row in place, it closes the
 * current version ({@code valid_to}) and opens the next ({@code valid_from}), so every past state
 * stays readable with plain indexed SQL. Each write names the aggregate version it comes from and
 * is skipped when that version is already in, so replaying an event changes nothing.
 */
@Component
public class VersionedRows {

    private final DSLContext db;

    public VersionedRows(DSLContext db) {
        this.db = db;
    }

    /** Opens the first version of a row (skipped if a current version already exists). */
    public void open(Table<Record> table, Period period, Condition key, Map<Field<?>, Object> values,
                     Field<Long> versionField, long version, OffsetDateTime at) {
        if (db.fetchExists(table, key.and(period.current()))) {
            return;
        }
        Map<Field<?>, Object> row = new LinkedHashMap<>(values);
        row.put(versionField, version);
        row.put(period.validFrom(), at);
        db.insertInto(table).set(row).execute();
    }

    /** Replaces the current version with one that has {@code changes} applied. */
    public void change(Table<Record> table, Period period, Condition key, Map<Field<?>, Object> changes,
                       Field<Long> versionField, long version, OffsetDateTime at) {
        Record current = closeCurrent(table, period, key, versionField, version, at);
        if (current == null) {
            return;
        }
        Map<Field<?>, Object> next = new LinkedHashMap<>();
        for (Field<?> column : current.fields()) {
            next.put(field(name(column.getName()), column.getDataType()), current.get(column));
        }
        changes.forEach((column, value) -> next.put(field(name(column.getName()), column.getDataType()), value));
        next.put(field(name(versionField.getName()), Long.class), version);
        next.put(field(name(period.validFrom().getName()), OffsetDateTime.class), at);
        next.put(field(name(period.validTo().getName()), OffsetDateTime.class), null);
        db.insertInto(table).set(next).execute();
    }

    /** Ends the row: the current version is closed and none follows (deleted, removed). */
    public void end(Table<Record> table, Period period, Condition key, Field<Long> versionField, long version,
                    OffsetDateTime at) {
        closeCurrent(table, period, key, versionField, version, at);
    }

    private Record closeCurrent(Table<Record> table, Period period, Condition key, Field<Long> versionField,
                                long version, OffsetDateTime at) {
        Record current = db.selectFrom(table).where(key).and(period.current()).forUpdate().fetchOne();
        if (current == null || current.get(versionField.getName(), Long.class) >= version) {
            return null;
        }
        db.update(table).set(period.validTo(), at).where(key).and(period.current()).execute();
        return current;
    }
}
