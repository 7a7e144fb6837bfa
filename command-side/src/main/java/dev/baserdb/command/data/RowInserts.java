package dev.baserdb.command.data;

import dev.baserdb.kernel.data.RowCommands.InsertRow;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.springframework.stereotype.Component;

/**
 * Inserts rows. An insert decides nothing but that the row's id is new, and the event store decides
 * that itself: its unique key on (aggregate id, sequence number) refuses a second first event of one
 * id, in this unit of work or from another node, and the whole unit of work rolls back (409). So an
 * insert appends {@code RowInserted} as event 0 of the {@link Row} aggregate, the message Axon's
 * repository would append, without loading, locking and building an aggregate per row. Later
 * commands load the row from that event as from any other.
 */
@Component
class RowInserts {

    /** The aggregate type Axon records for {@link Row}'s events: its class's simple name. */
    static final String AGGREGATE_TYPE = Row.class.getSimpleName();

    private final EventBus events;

    RowInserts(EventBus events) {
        this.events = events;
    }

    @CommandHandler
    void handle(InsertRow command) {
        append(command);
    }

    /** Queues the insert's event on the current unit of work: appended and projected at its commit. */
    void append(InsertRow command) {
        events.publish(new GenericDomainEventMessage<>(AGGREGATE_TYPE, command.rowId(), 0, Row.inserted(command)));
    }
}
