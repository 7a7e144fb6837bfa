package dev.baserdb.kernel.readmodel;

import dev.baserdb.kernel.readmodel.TenancyTables.Period;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The managed-tables read model as jOOQ names. DDL: {@code V5_0__tables.sql} of the projections module. */
public final class TableTables {

    private TableTables() {
    }

    public static final class Tables {
        public static final Table<Record> TABLE = table(name("table_versions"));
        public static final Field<String> ID = field(name("table_versions", "id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("table_versions", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("table_versions", "organization_id"), String.class);
        public static final Field<String> GROUP_ID = field(name("table_versions", "group_id"), String.class);
        public static final Field<String> SCHEMA_NAME = field(name("table_versions", "schema_name"), String.class);
        public static final Field<String> NAME = field(name("table_versions", "name"), String.class);
        /** JSON array of {@link dev.baserdb.kernel.table.Column}. */
        public static final Field<String> COLUMNS = field(name("table_versions", "columns"), String.class);
        /** JSON array of {name, columns, unique}. */
        public static final Field<String> INDEXES = field(name("table_versions", "indexes"), String.class);
        /** JSON array of {@link dev.baserdb.kernel.table.Policy}. */
        public static final Field<String> POLICIES = field(name("table_versions", "policies"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("table_versions", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("table_versions", "updated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("table_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("table_versions", "valid_from"), OffsetDateTime.class),
                field(name("table_versions", "valid_to"), OffsetDateTime.class));

        private Tables() {
        }
    }
}
