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
import static dev.baserdb.kernel.readmodel.TenancyTables.MemberInvitations;
import static dev.baserdb.kernel.readmodel.TenancyTables.Memberships;
import static dev.baserdb.kernel.readmodel.TenancyTables.Organizations;

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
        rows.open(Organizations.TABLE, Organizations.PERIOD, organization(event.organizationId()), Map.of(
                        Organizations.ID, event.organizationId().value(),
                        Organizations.SLUG, event.slug(),
                        Organizations.NAME, event.name(),
                        Organizations.STATUS, "active",
                        Organizations.CREATED_BY, event.createdBy().value(),
                        Organizations.CREATED_AT, utc(at),
                        Organizations.UPDATED_AT, utc(at)),
                Organizations.VERSION, version, utc(at));
    }

    @EventHandler
    void on(OrganizationRenamed event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.change(Organizations.TABLE, Organizations.PERIOD, organization(event.organizationId()), Map.of(
                        Organizations.NAME, event.name(),
                        Organizations.UPDATED_AT, utc(at)),
                Organizations.VERSION, version, utc(at));
    }

    @EventHandler
    void on(OrganizationArchived event, @SequenceNumber long version, @Timestamp Instant at) {
        // every node's data catalog holds whether an organization is archived (writes check it)
        CatalogChanges.changing(db, catalog);
        rows.change(Organizations.TABLE, Organizations.PERIOD, organization(event.organizationId()), Map.of(
                        Organizations.STATUS, "archived",
                        Organizations.ARCHIVED_AT, utc(at),
                        Organizations.UPDATED_AT, utc(at)),
                Organizations.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberAdded event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.open(Memberships.TABLE, Memberships.PERIOD, member(event.organizationId(), event.userId()), Map.of(
                        Memberships.ORGANIZATION_ID, event.organizationId().value(),
                        Memberships.USER_ID, event.userId().value(),
                        Memberships.ROLE, event.role().wireName(),
                        Memberships.JOINED_AT, utc(at)),
                Memberships.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberRoleChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.change(Memberships.TABLE, Memberships.PERIOD, member(event.organizationId(), event.userId()),
                Map.of(Memberships.ROLE, event.role().wireName()), Memberships.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberRemoved event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(Memberships.TABLE, Memberships.PERIOD, member(event.organizationId(), event.userId()),
                Memberships.VERSION, version, utc(at));
    }

    @EventHandler
    void on(MemberInvited event, @SequenceNumber long version, @Timestamp Instant at) {
        db.insertInto(MemberInvitations.TABLE)
                .set(MemberInvitations.ID, event.invitationId().value())
                .set(MemberInvitations.ORGANIZATION_ID, event.organizationId().value())
                .set(MemberInvitations.USER_ID, event.userId().value())
                .set(MemberInvitations.ROLE, event.role().wireName())
                .set(MemberInvitations.INVITED_BY, event.invitedBy().value())
                .set(MemberInvitations.STATUS, "pending")
                .set(MemberInvitations.CREATED_AT, utc(at))
                .set(MemberInvitations.EXPIRES_AT, utc(event.expiresAt()))
                .set(MemberInvitations.VERSION, version)
                .onConflict(MemberInvitations.ID).doNothing()
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
        db.update(MemberInvitations.TABLE)
                .set(MemberInvitations.STATUS, status)
                .set(MemberInvitations.DECIDED_AT, utc(at))
                .set(MemberInvitations.VERSION, version)
                .where(MemberInvitations.ID.eq(invitation.value()))
                .and(MemberInvitations.VERSION.lt(version))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(MemberInvitations.TABLE).execute();
        db.deleteFrom(Memberships.TABLE).execute();
        db.deleteFrom(Organizations.TABLE).execute();
    }

    private static Condition organization(OrganizationId id) {
        return Organizations.ID.eq(id.value());
    }

    private static Condition member(OrganizationId organizationId, UserId userId) {
        return Memberships.ORGANIZATION_ID.eq(organizationId.value()).and(Memberships.USER_ID.eq(userId.value()));
    }
}
