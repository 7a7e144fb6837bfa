package dev.baserdb.projection.data;

import dev.baserdb.kernel.data.DataCatalog;
import org.jooq.DSLContext;

import java.util.HashMap;
import java.util.Map;
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
        return new DataCatalog(db, CatalogChanges::transactionCache);
    }

    /** The current transaction's own catalog cache while it changes metadata, else null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> transactionCache() {
        return (Map<String, Object>) TransactionSynchronizationManager.getResource(CHANGING);
    }

    /** Marks the current transaction as one that changes table (or project) metadata. */
    public static void changing(DSLContext db, DataCatalog catalog) {
        catalog.invalidate();
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Map<String, Object> own = transactionCache();
        if (own != null) {
            own.clear();
        } else {
            TransactionSynchronizationManager.bindResource(CHANGING, new HashMap<String, Object>());
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
