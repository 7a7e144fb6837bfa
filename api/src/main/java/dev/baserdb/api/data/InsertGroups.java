package dev.baserdb.api.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.kernel.data.RowCommands.InsertRow;
import dev.baserdb.kernel.data.WrittenRows;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit of single-row inserts, per table. An insert that arrives while another insert into
 * its table is being written waits; when that write is done, the oldest waiting insert writes every
 * insert waiting by then (at most {@code baserdb.data.insert-group-max}) as one unit of work. Each
 * is still its own command, sent with its own request's context (so its event has its caller's
 * metadata) and handled in a unit of work nested in the group's; their events are appended together
 * and their rows written set-based, in one transaction. An insert that finds no write into its table
 * under way is written at once: nothing waits for a group to fill, so a lone client sees no
 * change, and concurrent clients share the cost of a transaction. Tables do not wait for each other.
 *
 * <p>A group commits all or none. When any of its inserts is refused (a duplicate id, a constraint,
 * row-level security, a timeout), nothing of the group was written, and each of its inserts is
 * written again alone, one after the other in the group's order, so that each gets exactly the
 * answer it would have got alone. Either way one write of inserts into a table is under way at a
 * time, so its inserted rows and their history versions are written in the order of their events,
 * as a replay writes them.
 *
 * <p>Only where commands are handled on the dispatching thread ({@link SimpleCommandBus}): with Axon
 * Server a command may be handled on another node, outside the group's transaction, so every insert
 * is sent alone.
 */
@Component
class InsertGroups {

    private enum Turn { WAITING, LEAD, WRITTEN, REFUSED }

    private final Commands commands;
    private final TransactionManager transactions;
    private final boolean grouping;
    private final int maxGroup;
    /**
     * The inserts waiting for the next group of each table, oldest first. A table has an entry
     * exactly while an insert into it is being written; every change is made under the map's lock
     * of that entry ({@code compute}).
     */
    private final ConcurrentHashMap<String, ArrayDeque<Waiting>> lanes = new ConcurrentHashMap<>();

    InsertGroups(Commands commands, TransactionManager transactions, CommandBus commandBus,
                 @Value("${baserdb.data.insert-group-max:64}") int maxGroup) {
        this.commands = commands;
        this.transactions = transactions;
        this.maxGroup = maxGroup;
        this.grouping = maxGroup > 1 && commandBus instanceof SimpleCommandBus;
    }

    /**
     * Writes an insert, alone or in a group; returns the rows written by the unit of work that
     * wrote it, by id (its own row among them unless the command was handled on another node).
     */
    Map<String, ObjectNode> insert(InsertRow command) {
        if (!grouping) {
            return alone(command);
        }
        String table = command.tableId().value();
        Waiting mine = new Waiting(command, RequestContext.current());
        if (!join(table, mine) && mine.awaitTurn() != Turn.LEAD) {
            return mine.outcome();
        }
        // this request writes the next group of its table: its own insert and every one waiting by now
        List<Waiting> group = take(table);
        try {
            if (group.size() == 1) {
                return alone(mine.command);
            }
            Map<String, ObjectNode> receipt = inOneUnitOfWork(group);
            if (receipt != null) {
                group.forEach(insert -> insert.written(receipt));
            } else {
                // nothing of the group was written: each insert alone, in their order, for its own answer
                group.forEach(this::writeAlone);
            }
        } finally {
            handOver(table);
        }
        return mine.outcome();
    }

    /** Inserts into the table waiting for their turn now (read by tests). */
    int waiting(String tableId) {
        int[] count = new int[1];
        lanes.computeIfPresent(tableId, (id, inserts) -> {
            count[0] = inserts.size();
            return inserts;
        });
        return count[0];
    }

    /** Queues an insert for its table's next group; true when no write was under way: its thread writes next. */
    private boolean join(String table, Waiting insert) {
        boolean[] first = new boolean[1];
        lanes.compute(table, (id, lane) -> {
            if (lane == null) {
                lane = new ArrayDeque<>();
                first[0] = true;
            }
            lane.add(insert);
            return lane;
        });
        return first[0];
    }

    /** The table's next group, oldest first: at its head the insert whose thread writes it. */
    private List<Waiting> take(String table) {
        List<Waiting> group = new ArrayList<>();
        lanes.computeIfPresent(table, (id, lane) -> {
            while (!lane.isEmpty() && group.size() < maxGroup) {
                group.add(lane.poll());
            }
            return lane;
        });
        return group;
    }

    /** After a write: the oldest insert waiting writes the next group, or the table has no write under way. */
    private void handOver(String table) {
        lanes.computeIfPresent(table, (id, lane) -> {
            Waiting next = lane.peek();
            if (next == null) {
                return null;
            }
            next.lead();
            return lane;
        });
    }

    /**
     * Sends each insert's command as its caller would (its request's context on this thread), each
     * handled in a unit of work nested in the group's: their events are appended and projected when
     * the group's unit of work commits, with its transaction. Returns the rows written, or null when
     * any insert was refused and nothing was written.
     */
    private Map<String, ObjectNode> inOneUnitOfWork(List<Waiting> group) {
        RequestContext outer = RequestContext.current();
        try {
            return WrittenRows.during(() -> {
                UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(new GenericMessage<>("insert group"));
                unitOfWork.attachTransaction(transactions);
                unitOfWork.execute(() -> group.forEach(insert -> {
                    RequestContext.set(insert.context);
                    commands.send(insert.command);
                }), RollbackConfigurationType.ANY_THROWABLE);
            });
        } catch (RuntimeException | Error refused) {
            return null;
        } finally {
            restore(outer);
        }
    }

    /**
     * Writes one insert of a refused group in a unit of work of its own, on this thread with its
     * request's context. One after the other, in the group's order, so that a table's rows and
     * history versions are written in the order of their events, as a replay writes them.
     */
    private void writeAlone(Waiting insert) {
        RequestContext outer = RequestContext.current();
        RequestContext.set(insert.context);
        try {
            insert.written(alone(insert.command));
        } catch (RuntimeException | Error refusal) {
            insert.refused(refusal);
        } finally {
            restore(outer);
        }
    }

    private static void restore(RequestContext context) {
        if (context == null) {
            RequestContext.clear();
        } else {
            RequestContext.set(context);
        }
    }

    private Map<String, ObjectNode> alone(Object command) {
        return WrittenRows.during(() -> commands.send(command));
    }

    /** An insert waiting for its turn; its request's thread waits on it. */
    private static final class Waiting {

        /**
         * The command as a message made on the request's thread, outside any unit of work: sent in a
         * group it carries no correlation data of the group's unit of work, just as when sent alone.
         */
        final CommandMessage<InsertRow> command;
        final RequestContext context;
        private Turn turn = Turn.WAITING;
        private Map<String, ObjectNode> receipt;
        private Throwable refusal;

        Waiting(InsertRow command, RequestContext context) {
            this.command = GenericCommandMessage.asCommandMessage(command);
            this.context = context;
        }

        /** Waits until this insert was written or refused, or its thread is to write the next group. */
        synchronized Turn awaitTurn() {
            boolean interrupted = false;
            while (turn == Turn.WAITING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // the insert may be in a group being written: its outcome is awaited all the same
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return turn;
        }

        synchronized void lead() {
            turn = Turn.LEAD;
            notifyAll();
        }

        synchronized void written(Map<String, ObjectNode> rows) {
            receipt = rows;
            turn = Turn.WRITTEN;
            notifyAll();
        }

        synchronized void refused(Throwable e) {
            refusal = e;
            turn = Turn.REFUSED;
            notifyAll();
        }

        /** The rows written with this insert, or its refusal thrown. */
        synchronized Map<String, ObjectNode> outcome() {
            if (refusal instanceof RuntimeException e) {
                throw e;
            }
            if (refusal instanceof Error e) {
                throw e;
            }
            return receipt;
        }
    }
}
