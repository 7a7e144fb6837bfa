package dev.baserdb.query.platform;

import org.jooq.DSLContext;
import org.springframework.stereotype.Service;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** Figures about the event store itself: its head (the highest global index) and size. */
@Service
public class EventStoreStats {

    private final DSLContext db;

    public EventStoreStats(DSLContext db) {
        this.db = db;
    }

    public long head() {
        Long head = db.select(max(field(name("globalindex"), Long.class))).from(table(name("domainevententry")))
                .fetchOne(0, Long.class);
        return head == null ? 0 : head;
    }

    public long eventCount() {
        Integer events = db.select(count()).from(table(name("domainevententry"))).fetchOne(0, Integer.class);
        return events == null ? 0 : events;
    }
}
