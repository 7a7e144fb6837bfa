package dev.baserdb.query.project;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.TenancyTables.Groups;
import static dev.baserdb.kernel.readmodel.TenancyTables.Projects;

/** Reads projects and groups, now or as of an instant ({@code asOf == null} means now). */
@Service
public class ProjectDirectory {

    private final DSLContext db;

    public ProjectDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<ProjectView> find(String projectId, Instant asOf) {
        return db.selectFrom(Projects.TABLE).where(Projects.ID.eq(projectId)).and(Projects.PERIOD.at(asOf))
                .fetchOptional().map(ProjectDirectory::toProject);
    }

    /** The last version a project had, deleted or not (for its history and audit). */
    public Optional<ProjectView> lastVersion(String projectId) {
        return db.selectFrom(Projects.TABLE).where(Projects.ID.eq(projectId))
                .orderBy(Projects.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(ProjectDirectory::toProject);
    }

    /** The project whose current service key has this hash. */
    public Optional<ProjectView> findByServiceKeyHash(String serviceKeyHash) {
        return db.selectFrom(Projects.TABLE).where(Projects.SERVICE_KEY_HASH.eq(serviceKeyHash))
                .and(Projects.PERIOD.current())
                .fetchOptional().map(ProjectDirectory::toProject);
    }

    public Page<ProjectView> projectsIn(Collection<String> organizationIds, Instant asOf, PageRequest page) {
        Condition in = Projects.ORGANIZATION_ID.in(organizationIds).and(Projects.PERIOD.at(asOf));
        long total = db.fetchCount(Projects.TABLE, in);
        List<ProjectView> items = db.selectFrom(Projects.TABLE).where(in)
                .orderBy(Projects.CREATED_AT, Projects.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(ProjectDirectory::toProject);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public boolean slugTaken(String organizationId, String slug) {
        return db.fetchExists(Projects.TABLE, Projects.ORGANIZATION_ID.eq(organizationId)
                .and(Projects.SLUG.eq(slug)).and(Projects.PERIOD.current()));
    }

    public Optional<GroupView> findGroup(String groupId, Instant asOf) {
        return db.selectFrom(Groups.TABLE).where(Groups.ID.eq(groupId)).and(Groups.PERIOD.at(asOf))
                .fetchOptional().map(ProjectDirectory::toGroup);
    }

    /** The last version a group had, deleted or not. */
    public Optional<GroupView> lastGroupVersion(String groupId) {
        return db.selectFrom(Groups.TABLE).where(Groups.ID.eq(groupId))
                .orderBy(Groups.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(ProjectDirectory::toGroup);
    }

    public Optional<GroupView> findGroupByName(String projectId, String name) {
        return db.selectFrom(Groups.TABLE).where(Groups.PROJECT_ID.eq(projectId)).and(Groups.NAME.eq(name))
                .and(Groups.PERIOD.current())
                .fetchOptional().map(ProjectDirectory::toGroup);
    }

    public Page<GroupView> groupsOf(String projectId, Instant asOf, PageRequest page) {
        Condition of = Groups.PROJECT_ID.eq(projectId).and(Groups.PERIOD.at(asOf));
        long total = db.fetchCount(Groups.TABLE, of);
        List<GroupView> items = db.selectFrom(Groups.TABLE).where(of)
                .orderBy(Groups.CREATED_AT, Groups.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(ProjectDirectory::toGroup);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** Every current group of the project (a project has few). */
    public List<GroupView> currentGroupsOf(String projectId) {
        return db.selectFrom(Groups.TABLE).where(Groups.PROJECT_ID.eq(projectId)).and(Groups.PERIOD.current())
                .orderBy(Groups.CREATED_AT, Groups.ID).fetch(ProjectDirectory::toGroup);
    }



    private static ProjectView toProject(Record r) {
        return new ProjectView(r.get(Projects.ID), r.get(Projects.ORGANIZATION_ID), r.get(Projects.NAME),
                r.get(Projects.SLUG), instant(r.get(Projects.CREATED_AT)), instant(r.get(Projects.UPDATED_AT)),
                r.get(Projects.VERSION));
    }

    private static GroupView toGroup(Record r) {
        return new GroupView(r.get(Groups.ID), r.get(Groups.PROJECT_ID), r.get(Groups.ORGANIZATION_ID),
                r.get(Groups.NAME), instant(r.get(Groups.CREATED_AT)), instant(r.get(Groups.UPDATED_AT)),
                r.get(Groups.VERSION));
    }
}
