package dev.baserdb.api.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
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
    private final Cache<Key, Optional<ObjectNode>> seen = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    RowVisibility(DataReader reader) {
        this.reader = reader;
    }

    /** For each event (id → row id) the version the caller may see; events it may not see are absent. */
    Map<String, ObjectNode> visible(DataTable table, Map<String, UUID> rowsByEvent, DataCaller caller) {
        Map<String, ObjectNode> shown = new HashMap<>();
        Map<String, UUID> missing = new LinkedHashMap<>();
        rowsByEvent.forEach((eventId, rowId) -> {
            Optional<ObjectNode> known = seen.getIfPresent(new Key(eventId, caller.role(), caller.userId()));
            if (known == null) {
                missing.put(eventId, rowId);
            } else {
                known.ifPresent(version -> shown.put(eventId, version));
            }
        });
        if (!missing.isEmpty()) {
            Map<String, ObjectNode> read = reader.versions(table, missing, caller);
            missing.keySet().forEach(eventId -> {
                ObjectNode version = read.get(eventId);
                seen.put(new Key(eventId, caller.role(), caller.userId()), Optional.ofNullable(version));
                if (version != null) {
                    shown.put(eventId, version);
                }
            });
        }
        return shown;
    }
}
