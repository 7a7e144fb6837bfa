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
import static dev.baserdb.kernel.readmodel.schema.Tables.GROUP_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.PROJECT_VERSIONS;

/** Reads projects and groups, now or as of an instant ({@code asOf == null} means now). */
@Service
public class ProjectDirectory {

    private final DSLContext db;

    public ProjectDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<ProjectView> find(String projectId, Instant asOf) {
        return db.selectFrom(PROJECT_VERSIONS).where(PROJECT_VERSIONS.ID.eq(projectId)).and(PROJECT_VERSIONS.PERIOD.at(asOf))
                .fetchOptional().map(ProjectDirectory::toProject);
    }

    /** The last version a project had, deleted or not (for its history and audit). */
    public Optional<ProjectView> lastVersion(String projectId) {
        return db.selectFrom(PROJECT_VERSIONS).where(PROJECT_VERSIONS.ID.eq(projectId))
                .orderBy(PROJECT_VERSIONS.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(ProjectDirectory::toProject);
    }

    /** The project whose current service key has this hash. */
    public Optional<ProjectView> findByServiceKeyHash(String serviceKeyHash) {
        return db.selectFrom(PROJECT_VERSIONS).where(PROJECT_VERSIONS.SERVICE_KEY_HASH.eq(serviceKeyHash))
                .and(PROJECT_VERSIONS.PERIOD.current())
                .fetchOptional().map(ProjectDirectory::toProject);
    }

    public Page<ProjectView> projectsIn(Collection<String> organizationIds, Instant asOf, PageRequest page) {
        Condition in = PROJECT_VERSIONS.ORGANIZATION_ID.in(organizationIds).and(PROJECT_VERSIONS.PERIOD.at(asOf));
        long total = db.fetchCount(PROJECT_VERSIONS, in);
        List<ProjectView> items = db.selectFrom(PROJECT_VERSIONS).where(in)
                .orderBy(PROJECT_VERSIONS.CREATED_AT, PROJECT_VERSIONS.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(ProjectDirectory::toProject);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public boolean slugTaken(String organizationId, String slug) {
        return db.fetchExists(PROJECT_VERSIONS, PROJECT_VERSIONS.ORGANIZATION_ID.eq(organizationId)
                .and(PROJECT_VERSIONS.SLUG.eq(slug)).and(PROJECT_VERSIONS.PERIOD.current()));
    }

    public Optional<GroupView> findGroup(String groupId, Instant asOf) {
        return db.selectFrom(GROUP_VERSIONS).where(GROUP_VERSIONS.ID.eq(groupId)).and(GROUP_VERSIONS.PERIOD.at(asOf))
                .fetchOptional().map(ProjectDirectory::toGroup);
    }

    /** The last version a group had, deleted or not. */
    public Optional<GroupView> lastGroupVersion(String groupId) {
        return db.selectFrom(GROUP_VERSIONS).where(GROUP_VERSIONS.ID.eq(groupId))
                .orderBy(GROUP_VERSIONS.PERIOD.validFrom().desc()).limit(1)
                .fetchOptional().map(ProjectDirectory::toGroup);
    }

    public Optional<GroupView> findGroupByName(String projectId, String name) {
        return db.selectFrom(GROUP_VERSIONS).where(GROUP_VERSIONS.PROJECT_ID.eq(projectId)).and(GROUP_VERSIONS.NAME.eq(name))
                .and(GROUP_VERSIONS.PERIOD.current())
                .fetchOptional().map(ProjectDirectory::toGroup);
    }

    public Page<GroupView> groupsOf(String projectId, Instant asOf, PageRequest page) {
        Condition of = GROUP_VERSIONS.PROJECT_ID.eq(projectId).and(GROUP_VERSIONS.PERIOD.at(asOf));
        long total = db.fetchCount(GROUP_VERSIONS, of);
        List<GroupView> items = db.selectFrom(GROUP_VERSIONS).where(of)
                .orderBy(GROUP_VERSIONS.CREATED_AT, GROUP_VERSIONS.ID)
                .limit(page.limit()).offset(page.offset())
                .fetch(ProjectDirectory::toGroup);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** Every current group of the project (a project has few). */
    public List<GroupView> currentGroupsOf(String projectId) {
        return db.selectFrom(GROUP_VERSIONS).where(GROUP_VERSIONS.PROJECT_ID.eq(projectId)).and(GROUP_VERSIONS.PERIOD.current())
                .orderBy(GROUP_VERSIONS.CREATED_AT, GROUP_VERSIONS.ID).fetch(ProjectDirectory::toGroup);
    }



    private static ProjectView toProject(Record r) {
        return new ProjectView(r.get(PROJECT_VERSIONS.ID), r.get(PROJECT_VERSIONS.ORGANIZATION_ID), r.get(PROJECT_VERSIONS.NAME),
                r.get(PROJECT_VERSIONS.SLUG), instant(r.get(PROJECT_VERSIONS.CREATED_AT)),
                instant(r.get(PROJECT_VERSIONS.UPDATED_AT)),
                r.get(PROJECT_VERSIONS.VERSION));
    }

    private static GroupView toGroup(Record r) {
        return new GroupView(r.get(GROUP_VERSIONS.ID), r.get(GROUP_VERSIONS.PROJECT_ID), r.get(GROUP_VERSIONS.ORGANIZATION_ID),
                r.get(GROUP_VERSIONS.NAME), instant(r.get(GROUP_VERSIONS.CREATED_AT)), instant(r.get(GROUP_VERSIONS.UPDATED_AT)),
                r.get(GROUP_VERSIONS.VERSION));
    }
}
