package dev.baserdb.kernel.data;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows a data-API request wrote, as the data plane wrote them ({@code RETURNING}): the answer
 * of a write is built from them instead of reading the rows again. The projection that writes
 * runs on the dispatching thread (inline, same transaction); when it does not (a command handled
 * on another node), nothing is recorded and the API reads the row instead.
 */
public final class WrittenRows {

    private static final ThreadLocal<Map<String, ObjectNode>> CURRENT = new ThreadLocal<>();

    private WrittenRows() {
    }

    /**
     * Runs {@code work} and returns the rows written meanwhile on this thread, by id (the latest
     * write of each); a recording around this one gets them too.
     */
    public static Map<String, ObjectNode> during(Runnable work) {
        Map<String, ObjectNode> into = new LinkedHashMap<>();
        Map<String, ObjectNode> outer = CURRENT.get();
        CURRENT.set(into);
        try {
            work.run();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                outer.putAll(into);
                CURRENT.set(outer);
            }
        }
        return into;
    }

    /** Whether a receipt is open on this thread: whether the rows written should be read back. */
    static boolean recording() {
        return CURRENT.get() != null;
    }

    static void record(ObjectNode row) {
        Map<String, ObjectNode> receipt = CURRENT.get();
        if (receipt != null) {
            receipt.put(row.path("id").asText(), row);
        }
    }
}
