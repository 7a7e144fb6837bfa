package dev.baserdb.projection.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditPayloads;
import dev.baserdb.kernel.audit.TrailPosition;
import dev.baserdb.kernel.eventlog.EventLog;
import dev.baserdb.kernel.readmodel.GlobalIndexes;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;

/**
 * The audit trail: one hash-chained entry per event, in global-index order ({@link AuditChainer}
 * holds an entry back while an event below it may still commit), written by this single-segment
 * asynchronous processor. An event already in the trail — after a restart or
 * a replay — is not written again: it is derived anew and compared with what is stored, so a replay
 * doubles as a check that the trail still matches the event store.
 *
 * <p>The processor hands its events over in batches, each in one unit of work and one transaction
 * (its batch size, see {@code EventStoreConfiguration}). The handler collects them and has what
 * their entries say derived in the common pool, a chunk at a time, while the processor reads on;
 * just before the unit of work commits, the batch is written at once: one query for the events'
 * global indexes, one for the entries already stored (each derived again at its stored place and
 * compared), the new entries handed to the chainer, which hashes them and appends them in one JDBC
 * batch. The entries are the
 * same, byte for byte, as when each event was handled on its own; what changes is a few statements
 * per batch instead of three or four per event. Payloads are read from their serialized JSON where
 * {@link AuditPayloads} can vouch for it, so most events are never deserialized here.
 */
@Component
@ProcessingGroup(AuditProjection.GROUP)
class AuditProjection {

    static final String GROUP = AuditDerivation.PROCESSOR;

    private static final Logger log = LoggerFactory.getLogger(AuditProjection.class);

    private static final String BATCH = AuditProjection.class.getName() + ".batch";
    /** Events derived by one task of the common pool (see {@link Batch#handOver}). */
    private static final int CHUNK = 50;
    /** The widest step between two events' tokens that {@link #headStep} reads (its gaps are checked one by one). */
    private static final int MAX_STEP = 1000;

    private final DSLContext db;
    /** The event store, asked only for events' global indexes (see {@link Batch#globalIndexes}). */
    private final EventLog eventLog;
    private final Serializer eventSerializer;
    private final AuditPayloads payloads;
    private final AuditChainer chainer;
    /**
     * The token of the last event of the last batch this node committed: the step from it tells the
     * global index of the next batch's first event too ({@link #headStep} holds for any earlier token).
     */
    private volatile TrackingToken committed;

    AuditProjection(DSLContext db, EventLog eventLog, @Qualifier("eventSerializer") Serializer eventSerializer,
                    AuditChainer chainer) {
        this.db = db;
        this.eventLog = eventLog;
        this.eventSerializer = eventSerializer;
        this.payloads = AuditPayloads.of(eventSerializer);
        this.chainer = chainer;
    }

    /** No payload parameter: the payload is deserialized only if {@link AuditPayloads} cannot read its JSON. */
    @EventHandler
    void on(EventMessage<?> event, TrackingToken token) {
        Long position = WrappedToken.unwrapLowerBound(token) instanceof GapAwareTrackingToken ? null
                : token.position().orElseThrow(() -> new IllegalStateException("token without position"));
        if (!CurrentUnitOfWork.isStarted()) {
            Batch single = new Batch();   // nothing commits it: no token to step from afterwards
            single.add(event, position, token);
            single.write();
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        unitOfWork.getOrComputeResource(BATCH, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> batch.write());
            unitOfWork.afterCommit(u -> committed = batch.token);
            return batch;
        }).add(event, position, token);
    }

    /** The events of one unit of work, in stream order, written just before it commits. */
    private final class Batch {

        private final List<EventMessage<?>> events = new ArrayList<>();
        /** The event's own global index when its token tells it (not a gap-aware token: see {@link #globalIndexes}). */
        private final List<Long> positions = new ArrayList<>();
        /** Each event's token, in stream order. */
        private final List<TrackingToken> tokens = new ArrayList<>();
        /** The token of the event before the batch's first, as far as this node knows it (see {@link #committed}). */
        private final TrackingToken before = committed;
        /** The token of the batch's last event: where the processor stands once the batch commits. */
        private TrackingToken token;
        /** The lowest position of the batch's tokens: where its events are looked for first. */
        private long lowest = Long.MAX_VALUE;
        /** The entries of the events handed over so far, unplaced, being derived in chunks of {@link #CHUNK}. */
        private final List<ForkJoinTask<AuditDerivation.Derived[]>> deriving = new ArrayList<>();
        /** How many of the events have been handed to {@link #deriving}. */
        private int handed;

        void add(EventMessage<?> event, Long position, TrackingToken token) {
            events.add(event);
            positions.add(position);
            tokens.add(token);
            this.token = token;
            lowest = Math.min(lowest, WrappedToken.unwrapLowerBound(token).position().orElse(0));
            if (events.size() - handed >= CHUNK) {
                handOver();
            }
        }

        /**
         * Starts deriving the events not handed over yet, in the common pool, while the processor
         * reads and hands over the next ones: what an entry says does not depend on its place in
         * the chain, which only the hash does (see {@link #write}).
         */
        private void handOver() {
            List<EventMessage<?>> chunk = List.copyOf(events.subList(handed, events.size()));
            handed = events.size();
            deriving.add(ForkJoinPool.commonPool().submit(() -> {
                AuditDerivation.Derived[] derived = new AuditDerivation.Derived[chunk.size()];
                for (int i = 0; i < derived.length; i++) {
                    EventMessage<?> event = chunk.get(i);
                    derived[i] = AuditDerivation.unplaced(event, metaData(event), changes(event));
                }
                return derived;
            }));
        }

        void write() {
            if (events.isEmpty()) {
                return;
            }
            if (handed < events.size()) {
                handOver();
            }
            chainer.lock();
            Map<Long, Record> stored = new HashMap<>();
            long[] globalIndexes = globalIndexes(stored);
            AuditDerivation.Derived[] unplaced = new AuditDerivation.Derived[events.size()];
            int at = 0;
            for (ForkJoinTask<AuditDerivation.Derived[]> chunk : deriving) {
                AuditDerivation.Derived[] derived = chunk.join();
                System.arraycopy(derived, 0, unplaced, at, derived.length);
                at += derived.length;
            }
            // An event already in the trail: its entry at its stored place, hashed (in parallel).
            String[] storedHashDerived = new String[events.size()];
            IntStream.range(0, events.size()).parallel().forEach(i -> {
                Record already = stored.get(globalIndexes[i]);
                if (already != null) {
                    storedHashDerived[i] = unplaced[i].placed(globalIndexes[i], already.get(AUDIT_ENTRIES.SEQUENCE),
                            already.get(AUDIT_ENTRIES.PREV_HASH)).entry().hash();
                }
            });
            List<AuditDerivation.Derived> fresh = new ArrayList<>();
            Set<Long> derived = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                EventMessage<?> event = events.get(i);
                Record already = stored.get(globalIndexes[i]);
                if (already != null) {
                    if (!storedHashDerived[i].equals(already.get(AUDIT_ENTRIES.HASH))) {
                        log.error("Audit entry {} (event {}) does not match the event store: stored hash {}, derived {}",
                                already.get(AUDIT_ENTRIES.ID), event.getIdentifier(), already.get(AUDIT_ENTRIES.HASH),
                                storedHashDerived[i]);
                    }
                } else if (derived.add(globalIndexes[i])) {
                    // at no place in the chain yet: the chainer gives it its sequence and hashes
                    fresh.add(unplaced[i].at(globalIndexes[i]));
                }
            }
            chainer.append(fresh, TrailPosition.current(token));
            events.clear();
            positions.clear();
            tokens.clear();
            lowest = Long.MAX_VALUE;
            deriving.clear();
            handed = 0;
        }

        /**
         * Each event's own global index, and into {@code stored} the entries already in the trail
         * for them (sequence, prev_hash, hash, id). A gap-aware token (the JDBC event store's) does
         * not tell the index: its position is the highest index seen so far, so an event that
         * committed late and fills a gap carries the position of a later event. Taken as the event's
         * index, that made the late event look "already in the trail" and it was never recorded. So
         * those are looked up by event id in the event log, the whole batch at once, except where
         * the token's step from the event before tells the index ({@link #headStep}): in the batch,
         * or for its first event from the last batch this node committed. In a replay or a catch-up
         * that is every event, and live nearly every one. Other tokens (Axon Server's global
         * sequence) have no gaps and their position is the event's index.
         */
        private long[] globalIndexes(Map<Long, Record> stored) {
            List<String> unknown = new ArrayList<>();
            List<Long> known = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                TrackingToken previous = i > 0 ? tokens.get(i - 1) : before;
                if (positions.get(i) == null && previous != null) {
                    positions.set(i, headStep(previous, tokens.get(i)));
                }
                if (positions.get(i) == null) {
                    unknown.add(events.get(i).getIdentifier());
                } else {
                    known.add(positions.get(i));
                }
            }
            Map<String, Long> found = unknown.isEmpty() ? Map.of() : eventLog.indexesOf(unknown, lowest);
            known.addAll(found.values());
            if (!known.isEmpty()) {
                db.select(AUDIT_ENTRIES.GLOBAL_INDEX, AUDIT_ENTRIES.SEQUENCE, AUDIT_ENTRIES.PREV_HASH,
                        AUDIT_ENTRIES.HASH, AUDIT_ENTRIES.ID)
                        .from(AUDIT_ENTRIES).where(GlobalIndexes.among(AUDIT_ENTRIES.GLOBAL_INDEX, known))
                        .forEach(row -> stored.put(row.get(AUDIT_ENTRIES.GLOBAL_INDEX), row));
            }
            long[] indexes = new long[events.size()];
            for (int i = 0; i < events.size(); i++) {
                Long index = positions.get(i) != null ? positions.get(i) : found.get(events.get(i).getIdentifier());
                if (index == null) {
                    throw new IllegalStateException("Event " + events.get(i).getIdentifier() + " is not in the event store");
                }
                indexes[i] = index;
            }
            return indexes;
        }
    }

    /**
     * The event's global index when its gap-aware token {@code current} steps from {@code previous}, a
     * token of the same stream from before it, to a higher index over nothing but gaps, and no gap of
     * {@code previous} was filled on the way: the event was then stored at {@code current}'s index.
     * An event delivered later that fills a gap carries the index of a later event; it either filled
     * a gap above {@code previous}'s index (not among {@code current}'s gaps, so no step over gaps),
     * or one at or below it (then one of {@code previous}'s gaps is no longer one). So this holds for
     * any earlier token, not only the event's immediate predecessor: also a token this node
     * committed before another node held the processor for a while. Null otherwise (a gap filled,
     * dropped by Axon's gap clean-up, or a step too wide to read): then the index is looked up.
     */
    static Long headStep(TrackingToken previous, TrackingToken current) {
        if (!(WrappedToken.unwrapLowerBound(previous) instanceof GapAwareTrackingToken before)
                || !(WrappedToken.unwrapLowerBound(current) instanceof GapAwareTrackingToken now)
                || now.getIndex() <= before.getIndex() || now.getIndex() - before.getIndex() > MAX_STEP) {
            return null;
        }
        for (long skipped = before.getIndex() + 1; skipped < now.getIndex(); skipped++) {
            if (!now.getGaps().contains(skipped)) {
                return null;
            }
        }
        return now.getGaps().containsAll(before.getGaps()) ? now.getIndex() : null;
    }

    /**
     * The values of the metadata keys an entry records, read from the event's serialized metadata
     * where {@link AuditPayloads#auditedMetaData} can vouch for them; else all of its metadata,
     * deserialized (the audit processor leaves it serialized, see {@code EventStoreConfiguration}).
     */
    private Map<String, ?> metaData(EventMessage<?> event) {
        Map<String, String> audited;
        try {
            audited = payloads.auditedMetaData(event.serializeMetaData(eventSerializer, byte[].class).getData());
        } catch (RuntimeException e) {
            audited = null;
        }
        return audited != null ? audited : event.getMetaData();
    }

    /** The event's changes, from its serialized JSON when that can be read directly, else from its payload. */
    private JsonNode changes(EventMessage<?> event) {
        byte[] json;
        try {
            json = event.serializePayload(eventSerializer, byte[].class).getData();
        } catch (RuntimeException e) {
            json = null;
        }
        return payloads.changes(event.getPayloadType(), json, event::getPayload);
    }
}
