package dev.baserdb.kernel.webhook;

import dev.baserdb.kernel.EventNames;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The event names a webhook (API.md §13) or a realtime stream may subscribe to, and which stored
 * event answers to which name. Most are the event's audit action ({@code row.inserted},
 * {@code credential.revealed}); a few public names gather several events ({@code table.updated}
 * is any change of a table's columns, indexes or policies) or shorten them ({@code backup.*}).
 */
public final class WebhookEventTypes {

    public static final List<String> ALL = List.of("row.inserted", "row.updated", "row.deleted", "row.restored",
            "table.created", "table.updated", "table.deleted", "deploy.published", "deploy.rolled_back",
            "backup.succeeded", "backup.failed", "credential.revealed");
    public static final List<String> ROW = List.of("row.inserted", "row.updated", "row.deleted", "row.restored");

    private static final Set<String> KNOWN = Set.copyOf(ALL);
    private static final Map<String, String> ALIASES = Map.of(
            "table.column_added", "table.updated",
            "table.column_dropped", "table.updated",
            "table.index_created", "table.updated",
            "table.index_dropped", "table.updated",
            "table.policies_changed", "table.updated",
            "backup.run_succeeded", "backup.succeeded",
            "backup.run_failed", "backup.failed");

    private WebhookEventTypes() {
    }

    public static boolean known(String name) {
        return KNOWN.contains(name);
    }

    /** The public name of a stored event of type {@code payloadType}, if a subscriber can ask for it. */
    public static Optional<String> of(Class<?> payloadType) {
        String action = EventNames.action(payloadType);
        String name = ALIASES.getOrDefault(action, action);
        return KNOWN.contains(name) ? Optional.of(name) : Optional.empty();
    }
}
