package dev.baserdb.projection.data;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.jooq.impl.DSL.name;

/**
 * The managed schemas a rebuild of the data plane replaces. The rebuild's transaction does not drop
 * them: a dropped object holds a lock until the transaction ends, as does a created one, and
 * PostgreSQL's lock table is shared and bounded ({@code max_locks_per_transaction} times the
 * connections), so dropping every table and creating it again in one transaction held twice the
 * locks and failed with "out of shared memory" at a few hundred tables. It renames each schema out
 * of the way instead (one lock per schema; readers meanwhile see the old tables, as before), and the
 * renamed schemas are dropped once it has committed, each in a transaction of its own. Schemas a
 * crash (or a drop that failed) left behind go when the app next starts, and at the end of the next
 * rebuild: they hold the data as it was before the rebuild, erased personal data included.
 */
@Component
class RetiredSchemas {

    /** How a renamed schema's name starts; no managed schema's does ({@code g_…}). */
    static final String PREFIX = "retired_";

    private static final Logger log = LoggerFactory.getLogger(RetiredSchemas.class);

    private final DSLContext db;
    private final TransactionTemplate ownTransaction;

    RetiredSchemas(DSLContext db, PlatformTransactionManager transactions) {
        this.db = db;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Renames those of the schemas that exist out of the way, in the current transaction, and drops
     * them (with any left from before) once it has committed; outside a transaction, at once.
     */
    void retire(List<String> schemas) {
        if (schemas.isEmpty()) {
            return;
        }
        // one rebuild's schemas share a suffix; another rebuild's may still wait to be dropped
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        for (String schema : db.resultQuery("SELECT nspname FROM pg_namespace WHERE nspname = ANY(?::text[])",
                (Object) schemas.toArray(String[]::new)).fetch(0, String.class)) {
            db.execute("ALTER SCHEMA " + db.render(name(schema)) + " RENAME TO "
                    + db.render(name(PREFIX + schema + "_" + suffix)));
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dropAll();
                }
            });
        } else {
            dropAll();
        }
    }

    /** At start: what an earlier run left. */
    @EventListener(ApplicationReadyEvent.class)
    void dropLeftovers() {
        dropAll();
    }

    /** Drops every retired schema, each in its own transaction; one that fails stays for the next time. */
    void dropAll() {
        List<String> retired = ownTransaction.execute(status -> db.resultQuery(
                "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?) ORDER BY 1", PREFIX)
                .fetch(0, String.class));
        for (String schema : retired == null ? List.<String>of() : retired) {
            try {
                ownTransaction.executeWithoutResult(status ->
                        db.execute("DROP SCHEMA IF EXISTS " + db.render(name(schema)) + " CASCADE"));
            } catch (RuntimeException e) {
                log.warn("Could not drop the replaced schema {}; the next start or rebuild of the data plane tries again",
                        schema, e);
            }
        }
    }
}
