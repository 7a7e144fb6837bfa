package dev.baserdb.kernel.readmodel;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The webhooks read model, its delivery outbox and attempt log as jOOQ names. DDL: {@code V9_0__webhooks.sql}. */
public final class WebhookTables {

    private WebhookTables() {
    }

    public static final class Webhooks {
        public static final Table<Record> TABLE = table(name("webhooks"));
        public static final Field<String> ID = field(name("webhooks", "id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("webhooks", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("webhooks", "organization_id"), String.class);
        public static final Field<String> URL = field(name("webhooks", "url"), String.class);
        public static final Field<String[]> EVENTS = field(name("webhooks", "events"), String[].class);
        /** Sealed under the project's data key (never plaintext). */
        public static final Field<String> SEALED_SECRET = field(name("webhooks", "sealed_secret"), String.class);
        public static final Field<Boolean> ACTIVE = field(name("webhooks", "active"), Boolean.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("webhooks", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("webhooks", "updated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("webhooks", "version"), Long.class);

        private Webhooks() {
        }
    }

    public static final class Deliveries {
        public static final Table<Record> TABLE = table(name("webhook_deliveries"));
        public static final Field<String> ID = field(name("webhook_deliveries", "id"), String.class);
        public static final Field<String> WEBHOOK_ID = field(name("webhook_deliveries", "webhook_id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("webhook_deliveries", "project_id"), String.class);
        public static final Field<String> EVENT = field(name("webhook_deliveries", "event"), String.class);
        public static final Field<String> EVENT_ID = field(name("webhook_deliveries", "event_id"), String.class);
        public static final Field<Long> POSITION = field(name("webhook_deliveries", "position"), Long.class);
        /** The exact bytes (UTF-8) every attempt posts and signs. */
        public static final Field<String> BODY = field(name("webhook_deliveries", "body"), String.class);
        /** pending, delivered, failed (attempts exhausted), dropped (webhook gone or inactive). */
        public static final Field<String> STATUS = field(name("webhook_deliveries", "status"), String.class);
        public static final Field<Integer> ATTEMPTS = field(name("webhook_deliveries", "attempts"), Integer.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("webhook_deliveries", "created_at"), OffsetDateTime.class);

        private Deliveries() {
        }
    }

    public static final class Attempts {
        public static final Table<Record> TABLE = table(name("webhook_attempts"));
        public static final Field<String> DELIVERY_ID = field(name("webhook_attempts", "delivery_id"), String.class);
        public static final Field<Integer> ATTEMPT = field(name("webhook_attempts", "attempt"), Integer.class);
        public static final Field<String> WEBHOOK_ID = field(name("webhook_attempts", "webhook_id"), String.class);
        public static final Field<Integer> STATUS_CODE = field(name("webhook_attempts", "status_code"), Integer.class);
        public static final Field<String> ERROR = field(name("webhook_attempts", "error"), String.class);
        /** At most 1 KB of what the receiver answered. */
        public static final Field<String> RESPONSE_BODY = field(name("webhook_attempts", "response_body"), String.class);
        public static final Field<Long> DURATION_MS = field(name("webhook_attempts", "duration_ms"), Long.class);
        public static final Field<OffsetDateTime> AT = field(name("webhook_attempts", "at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> NEXT_ATTEMPT_AT = field(name("webhook_attempts", "next_attempt_at"), OffsetDateTime.class);

        private Attempts() {
        }
    }
}
