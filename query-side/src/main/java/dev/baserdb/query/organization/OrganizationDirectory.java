package dev.baserdb.query.organization;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.IdentityTables.Users;
import static dev.baserdb.kernel.readmodel.TenancyTables.MemberInvitations;
import static dev.baserdb.kernel.readmodel.TenancyTables.Memberships;
import static dev.baserdb.kernel.readmodel.TenancyTables.Organizations;

/**
 * Reads organizations and memberships, now or as of an instant ({@code asOf == null} means now),
 * from their versioned read models.
 */
@Service
public class OrganizationDirectory {

    private final DSLContext db;

    public OrganizationDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<OrganizationView> find(String organizationId, Instant asOf) {
        return db.selectFrom(Organizations.TABLE)
                .where(Organizations.ID.eq(organizationId))
                .and(Organizations.PERIOD.at(asOf))
                .fetchOptional().map(OrganizationDirectory::toOrganization);
    }

    /** The caller's role in the organization now, if a member. */
    public Optional<String> roleOf(String organizationId, String userId) {
        return db.select(Memberships.ROLE).from(Memberships.TABLE)
                .where(Memberships.ORGANIZATION_ID.eq(organizationId))
                .and(Memberships.USER_ID.eq(userId))
                .and(Memberships.PERIOD.current())
                .fetchOptional(Memberships.ROLE);
    }

    /** The user's memberships now: organization id and role, in the order they were joined. */
    public List<MemberView> membershipsOf(String userId) {
        return db.select(Memberships.ORGANIZATION_ID, Memberships.USER_ID, Users.EMAIL, Users.DISPLAY_NAME,
                        Users.STATUS, Memberships.ROLE, Memberships.JOINED_AT)
                .from(Memberships.TABLE).join(Users.TABLE).on(Users.ID.eq(Memberships.USER_ID))
                .where(Memberships.USER_ID.eq(userId)).and(Memberships.PERIOD.current())
                .orderBy(Memberships.JOINED_AT, Memberships.ORGANIZATION_ID)
                .fetch(OrganizationDirectory::toMember);
    }

    /** Organizations the user belongs to now, with their state as of {@code asOf}; archived ones left out. */
    public Page<OrganizationView> organizationsOf(String userId, Instant asOf, PageRequest page) {
        Condition mine = Organizations.ID.in(db.select(Memberships.ORGANIZATION_ID).from(Memberships.TABLE)
                        .where(Memberships.USER_ID.eq(userId)).and(Memberships.PERIOD.at(asOf)))
                .and(Organizations.PERIOD.at(asOf))
                .and(Organizations.STATUS.eq("active"));
        long total = db.fetchCount(Organizations.TABLE, mine);
        List<OrganizationView> items = db.selectFrom(Organizations.TABLE).where(mine)
                .orderBy(Organizations.CREATED_AT, Organizations.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(OrganizationDirectory::toOrganization);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public Page<MemberView> members(String organizationId, Instant asOf, PageRequest page) {
        Condition members = Memberships.ORGANIZATION_ID.eq(organizationId).and(Memberships.PERIOD.at(asOf));
        long total = db.fetchCount(Memberships.TABLE, members);
        List<MemberView> items = db.select(Memberships.ORGANIZATION_ID, Memberships.USER_ID, Users.EMAIL,
                        Users.DISPLAY_NAME, Users.STATUS, Memberships.ROLE, Memberships.JOINED_AT)
                .from(Memberships.TABLE).join(Users.TABLE).on(Users.ID.eq(Memberships.USER_ID))
                .where(members)
                .orderBy(Memberships.JOINED_AT, Memberships.USER_ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(OrganizationDirectory::toMember);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public Optional<MemberView> member(String organizationId, String userId, Instant asOf) {
        return db.select(Memberships.ORGANIZATION_ID, Memberships.USER_ID, Users.EMAIL, Users.DISPLAY_NAME,
                        Users.STATUS, Memberships.ROLE, Memberships.JOINED_AT)
                .from(Memberships.TABLE).join(Users.TABLE).on(Users.ID.eq(Memberships.USER_ID))
                .where(Memberships.ORGANIZATION_ID.eq(organizationId)).and(Memberships.USER_ID.eq(userId))
                .and(Memberships.PERIOD.at(asOf))
                .fetchOptional(OrganizationDirectory::toMember);
    }

    public int ownerCount(String organizationId) {
        return db.fetchCount(Memberships.TABLE, Memberships.ORGANIZATION_ID.eq(organizationId)
                .and(Memberships.ROLE.eq("owner")).and(Memberships.PERIOD.current()));
    }

    public boolean slugTaken(String slug) {
        return db.fetchExists(Organizations.TABLE, Organizations.SLUG.eq(slug).and(Organizations.PERIOD.current()));
    }
    public Optional<InvitationView> invitation(String invitationId) {
        return invitations(MemberInvitations.ID.eq(invitationId)).stream().findFirst();
    }

    /** The user's invitations still open at {@code now} into organizations that are not archived, oldest first. */
    public List<InvitationView> openInvitationsOf(String userId, Instant now) {
        return invitations(MemberInvitations.USER_ID.eq(userId)
                .and(MemberInvitations.STATUS.eq("pending"))
                .and(MemberInvitations.EXPIRES_AT.gt(now.atOffset(java.time.ZoneOffset.UTC)))
                .and(Organizations.STATUS.eq("active")));
    }

    /** The user's first invitation ever, whatever became of it. */
    public Optional<InvitationView> firstInvitationOf(String userId) {
        return invitations(MemberInvitations.USER_ID.eq(userId)).stream().findFirst();
    }

    private List<InvitationView> invitations(Condition condition) {
        return db.select(MemberInvitations.ID, MemberInvitations.ORGANIZATION_ID, Organizations.NAME,
                        MemberInvitations.USER_ID, MemberInvitations.ROLE, MemberInvitations.INVITED_BY,
                        MemberInvitations.STATUS, MemberInvitations.CREATED_AT,
                        MemberInvitations.EXPIRES_AT, MemberInvitations.DECIDED_AT)
                .from(MemberInvitations.TABLE)
                .join(Organizations.TABLE).on(Organizations.ID.eq(MemberInvitations.ORGANIZATION_ID))
                .and(Organizations.PERIOD.current())
                .where(condition)
                .orderBy(MemberInvitations.CREATED_AT, MemberInvitations.ID)
                .fetch(r -> new InvitationView(r.get(MemberInvitations.ID), r.get(MemberInvitations.ORGANIZATION_ID),
                        r.get(Organizations.NAME), r.get(MemberInvitations.USER_ID), r.get(MemberInvitations.ROLE),
                        r.get(MemberInvitations.INVITED_BY), r.get(MemberInvitations.STATUS), instant(r.get(MemberInvitations.CREATED_AT)),
                        instant(r.get(MemberInvitations.EXPIRES_AT)), instant(r.get(MemberInvitations.DECIDED_AT))));
    }

    private static OrganizationView toOrganization(Record r) {
        return new OrganizationView(r.get(Organizations.ID), r.get(Organizations.SLUG), r.get(Organizations.NAME),
                r.get(Organizations.STATUS), r.get(Organizations.CREATED_BY), instant(r.get(Organizations.CREATED_AT)),
                instant(r.get(Organizations.UPDATED_AT)), instant(r.get(Organizations.ARCHIVED_AT)),
                r.get(Organizations.VERSION));
    }

    private static MemberView toMember(Record r) {
        return new MemberView(r.get(Memberships.ORGANIZATION_ID), r.get(Memberships.USER_ID), r.get(Users.EMAIL),
                r.get(Users.DISPLAY_NAME), r.get(Users.STATUS), r.get(Memberships.ROLE),
                instant(r.get(Memberships.JOINED_AT)));
    }
}
