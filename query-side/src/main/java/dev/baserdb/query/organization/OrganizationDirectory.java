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
