package dev.baserdb.projection.data;

import dev.baserdb.kernel.data.DataCatalog;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps the {@link DataCatalog} true to committed table metadata. The data-plane projection calls
 * {@link #changing()} before it changes a table, a group or a project: the catalog forgets what it
 * held, the transaction's own lookups skip the shared cache from then on (they must see its
 * uncommitted DDL, and must not publish it), other nodes are told at commit (NOTIFY), and the
 * catalog forgets again when the transaction ends, whichever way.
 */
@Configuration
public class CatalogChanges {

    private static final Object CHANGING = new Object();

    @Bean
    DataCatalog dataCatalog(DSLContext db) {
        return new DataCatalog(db, () -> TransactionSynchronizationManager.getResource(CHANGING) == null);
    }

    /** Marks the current transaction as one that changes table (or project) metadata. */
    public static void changing(DSLContext db, DataCatalog catalog) {
        catalog.invalidate();
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        if (TransactionSynchronizationManager.getResource(CHANGING) == null) {
            TransactionSynchronizationManager.bindResource(CHANGING, Boolean.TRUE);
            db.execute("SELECT pg_notify('" + DataCatalog.NOTIFY_CHANNEL + "', '')");
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(CHANGING);
                    catalog.invalidate();
                }
            });
        }
    }
}
