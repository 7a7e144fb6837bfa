package dev.baserdb.kernel.readmodel;

import dev.baserdb.kernel.readmodel.TenancyTables.Period;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The sites and deploys read models as jOOQ names. DDL: {@code V7_0__storage_and_sites.sql}. */
public final class SiteTables {

    private SiteTables() {
    }

    public static final class Sites {
        public static final Table<Record> TABLE = table(name("site_versions"));
        public static final Field<String> ID = field(name("site_versions", "id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("site_versions", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("site_versions", "organization_id"), String.class);
        public static final Field<String> SUBDOMAIN = field(name("site_versions", "subdomain"), String.class);
        public static final Field<Boolean> SPA_MODE = field(name("site_versions", "spa_mode"), Boolean.class);
        public static final Field<String> LIVE_DEPLOY_ID = field(name("site_versions", "live_deploy_id"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("site_versions", "created_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("site_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("site_versions", "valid_from"), OffsetDateTime.class),
                field(name("site_versions", "valid_to"), OffsetDateTime.class));

        private Sites() {
        }
    }

    public static final class Deploys {
        public static final Table<Record> TABLE = table(name("deploys"));
        public static final Field<String> ID = field(name("deploys", "id"), String.class);
        public static final Field<String> SITE_ID = field(name("deploys", "site_id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("deploys", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("deploys", "organization_id"), String.class);
        public static final Field<String> LABEL = field(name("deploys", "label"), String.class);
        public static final Field<String> ACTOR_TYPE = field(name("deploys", "actor_type"), String.class);
        public static final Field<String> ACTOR_ID = field(name("deploys", "actor_id"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("deploys", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> FINALIZED_AT = field(name("deploys", "finalized_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> FIRST_PUBLISHED_AT = field(name("deploys", "first_published_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("deploys", "version"), Long.class);

        private Deploys() {
        }
    }

    public static final class DeployFiles {
        public static final Table<Record> TABLE = table(name("deploy_files"));
        public static final Field<String> DEPLOY_ID = field(name("deploy_files", "deploy_id"), String.class);
        public static final Field<String> PATH = field(name("deploy_files", "path"), String.class);
        public static final Field<String> SHA256 = field(name("deploy_files", "sha256"), String.class);
        public static final Field<Long> SIZE = field(name("deploy_files", "size"), Long.class);
        public static final Field<String> CONTENT_TYPE = field(name("deploy_files", "content_type"), String.class);

        private DeployFiles() {
        }
    }
}
