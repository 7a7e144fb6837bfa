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
import static dev.baserdb.kernel.readmodel.schema.Tables.MEMBERSHIP_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.MEMBER_INVITATIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.ORGANIZATION_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.USERS;

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
        return db.selectFrom(ORGANIZATION_VERSIONS)
                .where(ORGANIZATION_VERSIONS.ID.eq(organizationId))
                .and(ORGANIZATION_VERSIONS.PERIOD.at(asOf))
                .fetchOptional().map(OrganizationDirectory::toOrganization);
    }

    /** The caller's role in the organization now, if a member. */
    public Optional<String> roleOf(String organizationId, String userId) {
        return db.select(MEMBERSHIP_VERSIONS.ROLE).from(MEMBERSHIP_VERSIONS)
                .where(MEMBERSHIP_VERSIONS.ORGANIZATION_ID.eq(organizationId))
                .and(MEMBERSHIP_VERSIONS.USER_ID.eq(userId))
                .and(MEMBERSHIP_VERSIONS.PERIOD.current())
                .fetchOptional(MEMBERSHIP_VERSIONS.ROLE);
    }

    /** The user's memberships now: organization id and role, in the order they were joined. */
    public List<MemberView> membershipsOf(String userId) {
        return db.select(MEMBERSHIP_VERSIONS.ORGANIZATION_ID, MEMBERSHIP_VERSIONS.USER_ID, USERS.EMAIL, USERS.DISPLAY_NAME,
                        USERS.STATUS, MEMBERSHIP_VERSIONS.ROLE, MEMBERSHIP_VERSIONS.JOINED_AT)
                .from(MEMBERSHIP_VERSIONS).join(USERS).on(USERS.ID.eq(MEMBERSHIP_VERSIONS.USER_ID))
                .where(MEMBERSHIP_VERSIONS.USER_ID.eq(userId)).and(MEMBERSHIP_VERSIONS.PERIOD.current())
                .orderBy(MEMBERSHIP_VERSIONS.JOINED_AT, MEMBERSHIP_VERSIONS.ORGANIZATION_ID)
                .fetch(OrganizationDirectory::toMember);
    }

    /** Organizations the user belongs to now, with their state as of {@code asOf}; archived ones left out. */
    public Page<OrganizationView> organizationsOf(String userId, Instant asOf, PageRequest page) {
        Condition mine = ORGANIZATION_VERSIONS.ID.in(db.select(MEMBERSHIP_VERSIONS.ORGANIZATION_ID).from(MEMBERSHIP_VERSIONS)
                        .where(MEMBERSHIP_VERSIONS.USER_ID.eq(userId)).and(MEMBERSHIP_VERSIONS.PERIOD.at(asOf)))
                .and(ORGANIZATION_VERSIONS.PERIOD.at(asOf))
                .and(ORGANIZATION_VERSIONS.STATUS.eq("active"));
        long total = db.fetchCount(ORGANIZATION_VERSIONS, mine);
        List<OrganizationView> items = db.selectFrom(ORGANIZATION_VERSIONS).where(mine)
                .orderBy(ORGANIZATION_VERSIONS.CREATED_AT, ORGANIZATION_VERSIONS.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(OrganizationDirectory::toOrganization);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public Page<MemberView> members(String organizationId, Instant asOf, PageRequest page) {
        Condition members = MEMBERSHIP_VERSIONS.ORGANIZATION_ID.eq(organizationId).and(MEMBERSHIP_VERSIONS.PERIOD.at(asOf));
        long total = db.fetchCount(MEMBERSHIP_VERSIONS, members);
        List<MemberView> items = db.select(MEMBERSHIP_VERSIONS.ORGANIZATION_ID, MEMBERSHIP_VERSIONS.USER_ID, USERS.EMAIL,
                        USERS.DISPLAY_NAME, USERS.STATUS, MEMBERSHIP_VERSIONS.ROLE, MEMBERSHIP_VERSIONS.JOINED_AT)
                .from(MEMBERSHIP_VERSIONS).join(USERS).on(USERS.ID.eq(MEMBERSHIP_VERSIONS.USER_ID))
                .where(members)
                .orderBy(MEMBERSHIP_VERSIONS.JOINED_AT, MEMBERSHIP_VERSIONS.USER_ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(OrganizationDirectory::toMember);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public Optional<MemberView> member(String organizationId, String userId, Instant asOf) {
        return db.select(MEMBERSHIP_VERSIONS.ORGANIZATION_ID, MEMBERSHIP_VERSIONS.USER_ID, USERS.EMAIL, USERS.DISPLAY_NAME,
                        USERS.STATUS, MEMBERSHIP_VERSIONS.ROLE, MEMBERSHIP_VERSIONS.JOINED_AT)
                .from(MEMBERSHIP_VERSIONS).join(USERS).on(USERS.ID.eq(MEMBERSHIP_VERSIONS.USER_ID))
                .where(MEMBERSHIP_VERSIONS.ORGANIZATION_ID.eq(organizationId)).and(MEMBERSHIP_VERSIONS.USER_ID.eq(userId))
                .and(MEMBERSHIP_VERSIONS.PERIOD.at(asOf))
                .fetchOptional(OrganizationDirectory::toMember);
    }

    public int ownerCount(String organizationId) {
        return db.fetchCount(MEMBERSHIP_VERSIONS, MEMBERSHIP_VERSIONS.ORGANIZATION_ID.eq(organizationId)
                .and(MEMBERSHIP_VERSIONS.ROLE.eq("owner")).and(MEMBERSHIP_VERSIONS.PERIOD.current()));
    }

    public boolean slugTaken(String slug) {
        return db.fetchExists(ORGANIZATION_VERSIONS,
                ORGANIZATION_VERSIONS.SLUG.eq(slug).and(ORGANIZATION_VERSIONS.PERIOD.current()));
    }
    public Optional<InvitationView> invitation(String invitationId) {
        return invitations(MEMBER_INVITATIONS.ID.eq(invitationId)).stream().findFirst();
    }

    /** The user's invitations still open at {@code now} into organizations that are not archived, oldest first. */
    public List<InvitationView> openInvitationsOf(String userId, Instant now) {
        return invitations(MEMBER_INVITATIONS.USER_ID.eq(userId)
                .and(MEMBER_INVITATIONS.STATUS.eq("pending"))
                .and(MEMBER_INVITATIONS.EXPIRES_AT.gt(now.atOffset(java.time.ZoneOffset.UTC)))
                .and(ORGANIZATION_VERSIONS.STATUS.eq("active")));
    }

    /** The user's first invitation ever, whatever became of it. */
    public Optional<InvitationView> firstInvitationOf(String userId) {
        return invitations(MEMBER_INVITATIONS.USER_ID.eq(userId)).stream().findFirst();
    }

    private List<InvitationView> invitations(Condition condition) {
        return db.select(MEMBER_INVITATIONS.ID, MEMBER_INVITATIONS.ORGANIZATION_ID, ORGANIZATION_VERSIONS.NAME,
                        MEMBER_INVITATIONS.USER_ID, MEMBER_INVITATIONS.ROLE, MEMBER_INVITATIONS.INVITED_BY,
                        MEMBER_INVITATIONS.STATUS, MEMBER_INVITATIONS.CREATED_AT,
                        MEMBER_INVITATIONS.EXPIRES_AT, MEMBER_INVITATIONS.DECIDED_AT)
                .from(MEMBER_INVITATIONS)
                .join(ORGANIZATION_VERSIONS).on(ORGANIZATION_VERSIONS.ID.eq(MEMBER_INVITATIONS.ORGANIZATION_ID))
                .and(ORGANIZATION_VERSIONS.PERIOD.current())
                .where(condition)
                .orderBy(MEMBER_INVITATIONS.CREATED_AT, MEMBER_INVITATIONS.ID)
                .fetch(r -> new InvitationView(r.get(MEMBER_INVITATIONS.ID), r.get(MEMBER_INVITATIONS.ORGANIZATION_ID),
                        r.get(ORGANIZATION_VERSIONS.NAME), r.get(MEMBER_INVITATIONS.USER_ID), r.get(MEMBER_INVITATIONS.ROLE),
                        r.get(MEMBER_INVITATIONS.INVITED_BY), r.get(MEMBER_INVITATIONS.STATUS),
                        instant(r.get(MEMBER_INVITATIONS.CREATED_AT)),
                        instant(r.get(MEMBER_INVITATIONS.EXPIRES_AT)), instant(r.get(MEMBER_INVITATIONS.DECIDED_AT))));
    }

    private static OrganizationView toOrganization(Record r) {
        return new OrganizationView(r.get(ORGANIZATION_VERSIONS.ID), r.get(ORGANIZATION_VERSIONS.SLUG),
                r.get(ORGANIZATION_VERSIONS.NAME),
                r.get(ORGANIZATION_VERSIONS.STATUS), r.get(ORGANIZATION_VERSIONS.CREATED_BY),
                instant(r.get(ORGANIZATION_VERSIONS.CREATED_AT)),
                instant(r.get(ORGANIZATION_VERSIONS.UPDATED_AT)), instant(r.get(ORGANIZATION_VERSIONS.ARCHIVED_AT)),
                r.get(ORGANIZATION_VERSIONS.VERSION));
    }

    private static MemberView toMember(Record r) {
        return new MemberView(r.get(MEMBERSHIP_VERSIONS.ORGANIZATION_ID), r.get(MEMBERSHIP_VERSIONS.USER_ID), r.get(USERS.EMAIL),
                r.get(USERS.DISPLAY_NAME), r.get(USERS.STATUS), r.get(MEMBERSHIP_VERSIONS.ROLE),
                instant(r.get(MEMBERSHIP_VERSIONS.JOINED_AT)));
    }
}
