package dev.baserdb.query.audit;

import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditEntry;
import org.jooq.Field;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;


/**
 * One pass of {@code /audit/verify} over the trail, entry by entry in chain order: it keeps the
 * first broken entry, the counts and the first ids of missing and extra entries, and the
 * organization's count and head hash.
 */
final class TrailWalk {

    /** The columns of an entry as stored, in the order {@link Stored#of} reads them. */
    static final Field<?>[] STORED = {AUDIT_ENTRIES.SEQUENCE, AUDIT_ENTRIES.ID, AUDIT_ENTRIES.GLOBAL_INDEX,
            AUDIT_ENTRIES.OCCURRED_AT,
            AUDIT_ENTRIES.ORGANIZATION_ID, AUDIT_ENTRIES.PROJECT_ID, AUDIT_ENTRIES.ACTOR_TYPE, AUDIT_ENTRIES.ACTOR_ID,
            AUDIT_ENTRIES.IMPERSONATOR_ID, AUDIT_ENTRIES.ACTION, AUDIT_ENTRIES.RESOURCE_TYPE,
            AUDIT_ENTRIES.RESOURCE_ID, AUDIT_ENTRIES.REQUEST_ID,
            AUDIT_ENTRIES.IP, AUDIT_ENTRIES.USER_AGENT, AUDIT_ENTRIES.CHANGES, AUDIT_ENTRIES.PREV_HASH, AUDIT_ENTRIES.HASH};

    /** An entry as stored; {@code changes} is kept as the canonical text it was hashed as, never parsed. */
    record Stored(long sequence, String id, long globalIndex, Instant occurredAt, String organizationId,
                  String projectId, String actorType, String actorId, String impersonatorId, String action,
                  String resourceType, String resourceId, String requestId, String ip, String userAgent,
                  String changes, String prevHash, String hash) {

        static Stored of(ResultSet r) throws SQLException {
            return new Stored(r.getLong(1), r.getString(2), r.getLong(3), r.getObject(4, OffsetDateTime.class).toInstant(),
                    r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10),
                    r.getString(11), r.getString(12), r.getString(13), r.getString(14), r.getString(15),
                    r.getString(16), r.getString(17), r.getString(18));
        }

        /**
         * Whether this is exactly the entry derived from its event at this place in the chain. The
         * derived hash covers the derived content, so equal content and equal hash also prove the
         * stored hash is the stored content's.
         */
        boolean is(AuditDerivation.Derived derivation) {
            AuditEntry derived = derivation.entry();
            return hash.equals(derived.hash()) && id.equals(derived.id())
                    && occurredAt.equals(derived.occurredAt())
                    && Objects.equals(organizationId, derived.organizationId())
                    && Objects.equals(projectId, derived.projectId())
                    && Objects.equals(actorType, derived.actorType())
                    && Objects.equals(actorId, derived.actorId())
                    && Objects.equals(impersonatorId, derived.impersonatorId())
                    && action.equals(derived.action()) && resourceType.equals(derived.resourceType())
                    && resourceId.equals(derived.resourceId())
                    && Objects.equals(requestId, derived.requestId()) && Objects.equals(ip, derived.ip())
                    && Objects.equals(userAgent, derived.userAgent())
                    && changes.equals(derivation.canonicalChanges());
        }
    }

    /** What an entry must follow: the sequence and hash of the entry before it. */
    record Link(long sequence, String hash) {

        /** Stands for a predecessor that should exist but does not (a deleted entry). */
        static final Link MISSING = new Link(-1, null);
    }

    private final String organizationId;
    /** Global indexes already recorded by an entry of this walk: a second entry for one event is extra. */
    private final BitSet recorded = new BitSet();
    private final Set<Long> recordedNegative = new HashSet<>();
    private String firstBrokenId;
    private long checked;
    private String headHash;
    private long missing;
    private final List<String> missingIds = new ArrayList<>();
    private long extra;
    private final List<String> extraIds = new ArrayList<>();

    TrailWalk(String organizationId) {
        this.organizationId = organizationId;
    }

    /**
     * Checks one entry against its predecessor ({@code null} before the first); {@code hasEvent}:
     * its global index names an event; {@code asDerived}: it {@link Stored#is} the entry derived
     * from that event.
     */
    void check(Link previous, Stored entry, boolean hasEvent, boolean asDerived) {
        boolean broken = !follows(previous, entry);
        if (!hasEvent || !firstEntryOf(entry.globalIndex())) {
            extra++;
            if (extraIds.size() < Verification.LISTED) {
                extraIds.add(entry.id());
            }
            broken = true;
        } else if (!asDerived) {
            broken = true;
        }
        if (broken && firstBrokenId == null) {
            firstBrokenId = entry.id();
        }
        if (organizationId == null || organizationId.equals(entry.organizationId())) {
            checked++;
            headHash = entry.hash();
        }
    }

    /** An event the processor handled that has no entry; {@code entryId} is the id its entry would have. */
    void missing(String entryId) {
        missing++;
        if (missingIds.size() < Verification.LISTED) {
            missingIds.add(entryId);
        }
    }

    Verification result(long position, Verification.CheckpointCheck checkpoint, String idAtCheckpoint) {
        String firstBroken = firstBrokenId != null ? firstBrokenId
                : !missingIds.isEmpty() ? missingIds.get(0)
                : checkpoint != null && !checkpoint.matchesTrail() ? idAtCheckpoint
                : null;
        boolean verified = firstBrokenId == null && missing == 0 && extra == 0
                && (checkpoint == null || checkpoint.matchesTrail());
        return new Verification(verified, checked, headHash, firstBroken, position, missing, List.copyOf(missingIds),
                extra, List.copyOf(extraIds), checkpoint);
    }

    private boolean firstEntryOf(long globalIndex) {
        if (globalIndex < 0 || globalIndex > Integer.MAX_VALUE) {
            return recordedNegative.add(globalIndex);
        }
        if (recorded.get((int) globalIndex)) {
            return false;
        }
        recorded.set((int) globalIndex);
        return true;
    }

    private static boolean follows(Link previous, Stored entry) {
        if (previous == null) {
            return entry.sequence() == 1 && AuditChain.GENESIS.equals(entry.prevHash());
        }
        return previous != Link.MISSING && entry.sequence() == previous.sequence() + 1
                && entry.prevHash().equals(previous.hash());
    }
}
