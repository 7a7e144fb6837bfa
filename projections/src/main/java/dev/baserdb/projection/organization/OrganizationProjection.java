package dev.baserdb.projection.organization;

import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.kernel.id.InvitationId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberAdded;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvitationAccepted;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvitationDeclined;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvited;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRemoved;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRoleChanged;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationArchived;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationCreated;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationRenamed;
import dev.baserdb.projection.data.CatalogChanges;
import dev.baserdb.projection.platform.VersionedRows;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.MEMBERSHIP_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.MEMBER_INVITATIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.ORGANIZATION_VERSIONS;

/**
 * Organizations and their memberships, versioned for time travel, and the invitations to join
 * them. Inline: permissions are checked against memberships on the very next request, and the
 * unique slug index makes a duplicate slug roll its command back.
 */
@Component
@ProcessingGroup(OrganizationProjection.GROUP)
class OrganizationProjection {

    static final String GROUP = "organizations";

    private final DSLContext db;
    private final VersionedRows rows;
    private final DataCatalog catalog;

    OrganizationProjection(DSLContext db, VersionedRows rows, DataCatalog catalog) {
        this.db = db;
        this.rows = rows;
        this.catalog = catalog;
    }

    @EventHandler
    void on(OrganizationCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.open(ORGANIZATION_VERSIONS, ORGANIZATION_VERSIONS.PERIOD, organization(event.organizationId()), Map.of(
                        ORGANIZATION_VERSIONS.ID, event.organizationId().value(),
                        ORGANIZATION_VERSIONS.SLUG, event.slug(),
                        ORGANIZATION_VERSIONS.NAME, event.name(),
                        ORGANIZATION_VERSIONS.STATUS, "active",
                        ORGANIZATION_VERSIONS.CREATED_BY, event.createdBy().value(),
                        ORGANIZATION_VERSIONS.CREATED_AT, utc(at),
                        ORGANIZATION_VERSIONS.UPDATED_AT, utc(at)),
                ORGANIZATION_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(OrganizationRenamed event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.change(ORGANIZATION_VERSIONS, ORGANIZATION_VERSIONS.PERIOD, organization(event.organizationId()), Map.of(
                        ORGANIZATION_VERSIONS.NAME, event.name(),
                        ORGANIZATION_VERSIONS.UPDATED_AT, utc(at)),
                ORGANIZATION_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(OrganizationArchived event, @SequenceNumber long version, @Timestamp Instant at) {
        // every node's data catalog holds whether an organization is archived (writes check it)
        CatalogChanges.changing(db, catalog);
        rows.change(ORGANIZATION_VERSIONS, ORGANIZATION_VERSIONS.PERIOD, organization(event.organizationId()), Map.of(
                        ORGANIZATION_VERSIONS.STATUS, "archived",
                        ORGANIZATION_VERSIONS.ARCHIVED_AT, utc(at),
                        ORGANIZATION_VERSIONS.UPDATED_AT, utc(at)),
                ORGANIZATION_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberAdded event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.open(MEMBERSHIP_VERSIONS, MEMBERSHIP_VERSIONS.PERIOD, member(event.organizationId(), event.userId()), Map.of(
                        MEMBERSHIP_VERSIONS.ORGANIZATION_ID, event.organizationId().value(),
                        MEMBERSHIP_VERSIONS.USER_ID, event.userId().value(),
                        MEMBERSHIP_VERSIONS.ROLE, event.role().wireName(),
                        MEMBERSHIP_VERSIONS.JOINED_AT, utc(at)),
                MEMBERSHIP_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberRoleChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.change(MEMBERSHIP_VERSIONS, MEMBERSHIP_VERSIONS.PERIOD, member(event.organizationId(), event.userId()),
                Map.of(MEMBERSHIP_VERSIONS.ROLE, event.role().wireName()), MEMBERSHIP_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberRemoved event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(MEMBERSHIP_VERSIONS, MEMBERSHIP_VERSIONS.PERIOD, member(event.organizationId(), event.userId()),
                MEMBERSHIP_VERSIONS.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberInvited event, @SequenceNumber long version, @Timestamp Instant at) {
        db.insertInto(MEMBER_INVITATIONS)
                .set(MEMBER_INVITATIONS.ID, event.invitationId().value())
                .set(MEMBER_INVITATIONS.ORGANIZATION_ID, event.organizationId().value())
                .set(MEMBER_INVITATIONS.USER_ID, event.userId().value())
                .set(MEMBER_INVITATIONS.ROLE, event.role().wireName())
                .set(MEMBER_INVITATIONS.INVITED_BY, event.invitedBy().value())
                .set(MEMBER_INVITATIONS.STATUS, "pending")
                .set(MEMBER_INVITATIONS.CREATED_AT, utc(at))
                .set(MEMBER_INVITATIONS.EXPIRES_AT, utc(event.expiresAt()))
                .set(MEMBER_INVITATIONS.VERSION, version)
                .onConflict(MEMBER_INVITATIONS.ID).doNothing()
                .execute();
    }

    @EventHandler
    void on(MemberInvitationAccepted event, @SequenceNumber long version, @Timestamp Instant at) {
        decide(event.invitationId(), "accepted", version, at);
    }

    @EventHandler
    void on(MemberInvitationDeclined event, @SequenceNumber long version, @Timestamp Instant at) {
        decide(event.invitationId(), "declined", version, at);
    }

    private void decide(InvitationId invitation, String status, long version, Instant at) {
        db.update(MEMBER_INVITATIONS)
                .set(MEMBER_INVITATIONS.STATUS, status)
                .set(MEMBER_INVITATIONS.DECIDED_AT, utc(at))
                .set(MEMBER_INVITATIONS.VERSION, version)
                .where(MEMBER_INVITATIONS.ID.eq(invitation.value()))
                .and(MEMBER_INVITATIONS.VERSION.lt(version))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(MEMBER_INVITATIONS).execute();
        db.deleteFrom(MEMBERSHIP_VERSIONS).execute();
        db.deleteFrom(ORGANIZATION_VERSIONS).execute();
    }

    private static Condition organization(OrganizationId id) {
        return ORGANIZATION_VERSIONS.ID.eq(id.value());
    }

    private static Condition member(OrganizationId organizationId, UserId userId) {
        return MEMBERSHIP_VERSIONS.ORGANIZATION_ID.eq(organizationId.value()).and(MEMBERSHIP_VERSIONS.USER_ID.eq(userId.value()));
    }
}
