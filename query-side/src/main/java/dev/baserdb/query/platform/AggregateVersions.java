package dev.baserdb.query.platform;

import org.jooq.DSLContext;
import org.springframework.stereotype.Service;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * The current version of an aggregate (its last event's sequence number), read from the event
 * store: the {@code ETag} of a single resource, and what an {@code If-Match} is compared with.
 */
@Service
public class AggregateVersions {

    private final DSLContext db;

    public AggregateVersions(DSLContext db) {
        this.db = db;
    }

    public long current(String aggregateId) {
        Long version = db.select(max(field(name("sequencenumber"), Long.class)))
                .from(table(name("domainevententry")))
                .where(field(name("aggregateidentifier"), String.class).eq(aggregateId))
                .fetchOne(0, Long.class);
        return version == null ? -1 : version;
    }
}
