package dev.baserdb.kernel.data;

import dev.baserdb.kernel.project.GroupEvents;
import org.jooq.DSLContext;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static dev.baserdb.kernel.readmodel.schema.Tables.GROUP_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.TABLE_VERSIONS;

/**
 * The managed tables as the data plane serves them, kept in memory: a data request finds its table
 * (by id, or by project and {@code group.table} path) without asking the database. The cache holds
 * committed state only and is emptied whenever table metadata changes:
 * <ul>
 *   <li>on this node, by the data-plane projection: when it handles a table, group or project event
 *       ({@link #invalidate()}; lookups inside that transaction skip the shared cache and
 *       use one of that transaction's own) and again when that transaction ends;</li>
 *   <li>on other nodes, by a notification the projection sends in the same transaction, which
 *       PostgreSQL delivers at commit to every node's listener ({@link #NOTIFY_CHANNEL}); a node
 *       whose listener is not connected does not cache at all ({@link #listening(boolean)}), so a
 *       change reaches every node's reads as soon as its transaction commits.</li>
 * </ul>
 * A load that raced with an invalidation is not kept (a generation number guards every insert).
 * Projects and service keys are kept the same way ({@link #remembered}), forgotten on every
 * project event. Policies are PostgreSQL's to enforce; the cache only decides which physical table and columns a
 * request names.
 */
public final class DataCatalog {

    /** The PostgreSQL channel on which a change of table metadata is announced to every node. */
    public static final String NOTIFY_CHANNEL = "baserdb_data_catalog";

    private final DSLContext db;
    private final Supplier<Map<String, Object>> transactionCache;
    private final Map<String, DataTable> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByPath = new ConcurrentHashMap<>();
    private final Map<String, Object> other = new ConcurrentHashMap<>();
    private long generation;
    private volatile boolean listening;

    /**
     * @param db               the owner's (transaction-aware) access to the tables read model
     * @param transactionCache null, or the private cache of the calling thread's transaction while
     *                         it changes table metadata: its lookups must read its own uncommitted
     *                         changes, and must not publish them to other threads (a replay, one
     *                         long transaction of table and row events, still looks each table up once
     *                         per change)
     */
    public DataCatalog(DSLContext db, Supplier<Map<String, Object>> transactionCache) {
        this.db = db;
        this.transactionCache = transactionCache;
    }

    /** The current version of a managed table, if it exists. */
    public Optional<DataTable> table(String tableId) {
        return Optional.ofNullable(cached(byId, "table:", tableId, () -> load(tableId)));
    }

    /** The current table of a project at {@code path} ({@code table} in the public group, or {@code group.table}). */
    public Optional<DataTable> table(String projectId, String path) {
        int dot = path.indexOf('.');
        String group = dot < 0 ? GroupEvents.PUBLIC : path.substring(0, dot);
        String name = dot < 0 ? path : path.substring(dot + 1);
        String key = projectId + '\u0000' + group + '\u0000' + name;
        String id = cached(idByPath, "path:", key, () -> db.select(TABLE_VERSIONS.ID).from(TABLE_VERSIONS)
                .join(GROUP_VERSIONS).on(GROUP_VERSIONS.ID.eq(TABLE_VERSIONS.GROUP_ID)).and(GROUP_VERSIONS.PERIOD.current())
                .where(GROUP_VERSIONS.PROJECT_ID.eq(projectId)).and(GROUP_VERSIONS.NAME.eq(group))
                .and(TABLE_VERSIONS.NAME.eq(name)).and(TABLE_VERSIONS.PERIOD.current())
                .fetchOne(TABLE_VERSIONS.ID));
        return id == null ? Optional.empty() : table(id);
    }

    /**
     * Other metadata a data request needs before its table (its project, the project of a service
     * key), kept under the same rules: forgotten whenever a table, group or project changes. An
     * absent value ({@code null}) is never kept.
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> remembered(String key, Supplier<Optional<T>> loader) {
        return Optional.ofNullable((T) cached(other, "other:", key, () -> loader.get().orElse(null)));
    }

    /** Forgets everything: table metadata changed (here, or on another node). */
    public synchronized void invalidate() {
        generation++;
        byId.clear();
        idByPath.clear();
        other.clear();
    }

    /**
     * Whether this node hears other nodes' changes. While it does not (its listener lost the
     * connection), nothing is cached and every lookup reads the database.
     */
    public void listening(boolean connected) {
        listening = connected;
        invalidate();
    }

    private DataTable load(String tableId) {
        return db.selectFrom(TABLE_VERSIONS).where(TABLE_VERSIONS.ID.eq(tableId)).and(TABLE_VERSIONS.PERIOD.current())
                .fetchOptional().map(DataTable::of).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Map<String, T> cache, String kind, String key, Supplier<T> loader) {
        Map<String, Object> own = transactionCache.get();
        if (own != null) {
            T hit = (T) own.get(kind + key);
            if (hit == null) {
                hit = loader.get();
                if (hit != null) {
                    own.put(kind + key, hit);
                }
            }
            return hit;
        }
        boolean usable = listening;
        if (usable) {
            T hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        long before;
        synchronized (this) {
            before = generation;
        }
        T loaded = loader.get();
        if (usable && loaded != null) {
            synchronized (this) {
                if (generation == before && listening) {
                    cache.put(key, loaded);
                }
            }
        }
        return loaded;
    }
}
