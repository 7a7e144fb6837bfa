package dev.baserdb.kernel.eventlog;

/**
 * A read model's short way through a rebuild for its most frequent events: the events of the
 * payload types it {@link #takes} reach it as stored (serialized, not upcast, not deserialized by
 * Axon, no handler dispatch), so it can read only what it needs and write many at once. Every other
 * event of the read model still goes through its Axon handlers. It must leave the read model exactly
 * as those handlers would.
 *
 * <p>The rebuild keeps the events' order: before an event goes to the Axon handlers, it
 * {@link Rebuild#flush flushes} what was handed over so far, and hands over an event as stored
 * only once the Axon handlers are done with the events before it. Used only where the event store
 * can be read as stored ({@link EventLog#replay(EventLog.StoredEvents, java.util.function.Consumer)}).
 */
public interface StoredEventHandler {

    /** The processing group (inline read model) whose rebuild this shortens. */
    String processingGroup();

    /** Whether events of this payload type and revision go this way; asked per event, so cheap. */
    boolean takes(String payloadType, String payloadRevision);

    /** The state of one rebuild, used on its thread only. */
    Rebuild rebuild();

    /** One rebuild's events as stored, in order. */
    interface Rebuild {

        /** An event this handler {@link #takes}, in its turn; it may be kept and written with the next ones. */
        void handle(EventLog.StoredEvent event);

        /** Writes everything handed over so far: before any other event of the rebuild. */
        void flush();

        /** At the rebuild's end: writes everything handed over, and finishes what it left for the end. */
        default void finish() {
            flush();
        }
    }
}
