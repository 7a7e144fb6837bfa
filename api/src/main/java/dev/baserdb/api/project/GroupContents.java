package dev.baserdb.api.project;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Whether a group still holds managed tables. The tables read model arrives with managed tables;
 * until its table exists, no group has any.
 */
@Component
class GroupContents {

    private final DSLContext db;

    GroupContents(DSLContext db) {
        this.db = db;
    }

    boolean hasTables(String groupId) {
        boolean tablesExist = db.fetchExists(table(name("information_schema", "tables")),
                field(name("table_schema")).eq("public").and(field(name("table_name")).eq("table_versions")));
        return tablesExist && db.fetchExists(table(name("table_versions")),
                field(name("group_id")).eq(groupId).and(field(name("valid_to")).isNull()));
    }
}
