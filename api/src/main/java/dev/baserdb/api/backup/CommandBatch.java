package dev.baserdb.api.backup;

import dev.baserdb.api.platform.Commands;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Sends the many commands of a restore inside the caller's transaction, {@value #SIZE} at a time in
 * one Axon unit of work. Each command still runs in its own (nested) unit of work and fails on its
 * own, but their events wait in the enclosing unit of work until the batch is flushed: then the event
 * store appends them in one JDBC batch and the inline projections take them in order, and an
 * aggregate used twice in a batch (a row inserted, then updated) is loaded once, from memory.
 * Batches bound the memory: after a flush nothing of it is held.
 *
 * <p>Use inside {@link Commands#inOneTransaction}, on one thread, in a try-with-resources block that
 * ends with {@link #flush}: a failure rolls the open batch back (closing without the flush does too)
 * and leaves the exception to end the transaction.
 */
final class CommandBatch implements AutoCloseable {

    static final int SIZE = 500;

    private final Commands commands;
    private UnitOfWork<?> unit;
    private int pending;
    private long sent;
    private long sendingNanos;
    private long flushingNanos;

    CommandBatch(Commands commands) {
        this.commands = commands;
    }

    /** Sends the command in the current batch; returns the handler's result. */
    <R> R send(Object command) {
        if (unit == null) {
            unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>("restore batch"));
        }
        R result;
        long started = System.nanoTime();
        try {
            result = commands.send(command);
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        }
        sendingNanos += System.nanoTime() - started;
        sent++;
        if (++pending == SIZE) {
            flush();
        }
        return result;
    }

    /** Stores and projects the events of the commands sent so far. */
    void flush() {
        if (unit != null) {
            UnitOfWork<?> flushed = unit;
            unit = null;
            pending = 0;
            long started = System.nanoTime();
            flushed.commit();
            flushingNanos += System.nanoTime() - started;
        }
    }

    /** How many commands were sent. */
    long sent() {
        return sent;
    }

    /**
     * Where the time went, for the logs: deciding (the commands' handlers and aggregate loads) and
     * flushing (the event store's append and the inline projections; in a restore mostly the data
     * plane writing rows).
     */
    String timings() {
        return sent + " commands: " + sendingNanos / 1_000_000 + " ms deciding, " + flushingNanos / 1_000_000
                + " ms flushing (event store append and inline projections)";
    }

    /** Rolls back a batch left open: the block ended by an exception before its flush. */
    @Override
    public void close() {
        rollback(new IllegalStateException("The batch was closed without a flush"));
    }

    private void rollback(RuntimeException cause) {
        if (unit != null) {
            UnitOfWork<?> failed = unit;
            unit = null;
            pending = 0;
            failed.rollback(cause);
        }
    }
}
