package dev.baserdb.api.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.query.data.DataReader;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What a stream's caller may see of row changes: the row version each event wrote, read from the
 * table's history under the caller's row-level security (PostgreSQL decides, exactly as for a read
 * of the data API), or as the owner for callers who bypass the policies. Streams of the same caller
 * kind share the answers for a minute, so many clients on one table cost one read per event and
 * kind of caller rather than one per client.
 */
@Component
class RowVisibility {

    private record Key(String eventId, String role, String userId) {
    }

    private final DataReader reader;
    /** Futures, so that streams asking for the same change at once wait for one read instead of making their own. */
    private final AsyncCache<Key, Optional<ObjectNode>> seen = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterWrite(Duration.ofMinutes(1)).buildAsync();

    RowVisibility(DataReader reader) {
        this.reader = reader;
    }

    /** For each event (id → row id) the version the caller may see; events it may not see are absent. */
    Map<String, ObjectNode> visible(DataTable table, Map<String, UUID> rowsByEvent, DataCaller caller) {
        Map<Key, UUID> rows = new LinkedHashMap<>();
        rowsByEvent.forEach((eventId, rowId) -> rows.put(new Key(eventId, caller.role(), caller.userId()), rowId));
        Map<Key, Optional<ObjectNode>> found = seen.getAll(rows.keySet(), (missing, executor) -> {
            Map<String, UUID> wanted = new LinkedHashMap<>();
            missing.forEach(key -> wanted.put(key.eventId(), rows.get(key)));
            Map<String, ObjectNode> read = reader.versions(table, wanted, caller);
            Map<Key, Optional<ObjectNode>> answers = new HashMap<>();
            missing.forEach(key -> answers.put(key, Optional.ofNullable(read.get(key.eventId()))));
            return CompletableFuture.completedFuture(answers);
        }).join();
        Map<String, ObjectNode> shown = new HashMap<>();
        found.forEach((key, version) -> version.ifPresent(row -> shown.put(key.eventId(), row)));
        return shown;
    }
}
