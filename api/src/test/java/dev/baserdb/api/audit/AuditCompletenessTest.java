package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.organization.OrganizationCommands.RenameOrganization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.baserdb.api.support.AuditTrail.count;
import static dev.baserdb.api.support.AuditTrail.strings;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Completeness of the audit trail under concurrency: 8 writers send 500 commands each at the same
 * time (each renames its own organization through the command gateway, with a request context as
 * the HTTP edge would set it), so events commit out of global-index order and the tracking token
 * meets gaps. Once the audit processor has caught up, every event has exactly one entry, the chain
 * is gap-free and linked, and each aggregate's entries follow its own sequence numbers.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditCompletenessTest {

    private static final int WRITERS = 8;
    private static final int COMMANDS_PER_WRITER = 500;
    /** About 15 s alone on 2 cores; the bound leaves room for a machine shared with other builds. */
    private static final Duration CATCH_UP = Duration.ofMinutes(3);

    @LocalServerPort
    int port;
    @Autowired
    Commands commands;

    private Http http;
    private Accounts.Account platformAdmin;
    private final List<String> organizations = new ArrayList<>();

    @BeforeAll
    void eightWritersSendFiveHundredCommandsEach() throws Exception {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        platformAdmin = accounts.admin();
        Accounts.Account owner = accounts.anAccount();
        for (int i = 0; i < WRITERS; i++) {
            organizations.add(tenancy.anOrganization(owner));
        }

        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String organization = organizations.get(w);
                int writer = w;
                done.add(writers.submit(() -> {
                    RequestContext.set(new RequestContext("completeness-" + writer, "127.0.0.1",
                            "AuditCompletenessTest", "user", owner.userId()));
                    try {
                        start.await();
                        for (int i = 1; i <= COMMANDS_PER_WRITER; i++) {
                            commands.send(new RenameOrganization(new OrganizationId(organization),
                                    "Writer " + writer + " rename " + i, null));
                        }
                    } finally {
                        RequestContext.clear();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : done) {
                writer.get(CATCH_UP.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }

        await("one audit entry per event").atMost(CATCH_UP).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM audit_entries")
                        == count("SELECT count(*) FROM domainevententry"));
    }

    @Test
    void given_concurrent_writers_when_the_processor_caught_up_then_every_command_left_its_events() {
        for (String organization : organizations) {
            // OrganizationCreated, MemberAdded (the owner), then one rename per command.
            assertThat(Tenancy.eventCount(organization)).as(organization).isEqualTo(2 + COMMANDS_PER_WRITER);
        }
    }

    @Test
    void given_concurrent_writers_when_the_processor_caught_up_then_every_event_has_exactly_one_entry() {
        assertThat(count("SELECT count(*) FROM domainevententry d WHERE "
                + "(SELECT count(*) FROM audit_entries a WHERE a.global_index = d.globalindex) <> 1"))
                .as("events without exactly one audit entry").isZero();
        assertThat(count("SELECT count(*) FROM audit_entries a WHERE NOT EXISTS "
                + "(SELECT 1 FROM domainevententry d WHERE d.globalindex = a.global_index)"))
                .as("audit entries without an event").isZero();
        assertThat(count("SELECT count(*) FROM audit_entries"))
                .isEqualTo(count("SELECT count(*) FROM domainevententry"));
    }

    @Test
    void given_concurrent_writers_when_the_processor_caught_up_then_each_entry_is_derived_from_its_event() {
        assertThat(count("SELECT count(*) FROM audit_entries a JOIN domainevententry d ON d.globalindex = a.global_index "
                + "WHERE a.id <> 'evt_' || replace(d.eventidentifier, '-', '') "
                + "OR a.resource_id <> d.aggregateidentifier"))
                .as("entries whose id or resource differ from their event").isZero();
        assertThat(count("SELECT count(*) FROM audit_entries WHERE organization_id = ANY (?::text[]) "
                + "AND action = 'organization.renamed' AND actor_id IS NOT NULL AND request_id LIKE 'completeness-%'",
                "{" + String.join(",", organizations) + "}"))
                .isEqualTo((long) WRITERS * COMMANDS_PER_WRITER);
    }

    @Test
    void given_concurrent_writers_when_the_processor_caught_up_then_sequences_run_from_1_to_n_without_gaps() {
        long entries = count("SELECT count(*) FROM audit_entries");

        assertThat(count("SELECT min(sequence) FROM audit_entries")).isEqualTo(1);
        assertThat(count("SELECT max(sequence) FROM audit_entries")).isEqualTo(entries);
        assertThat(count("SELECT count(DISTINCT sequence) FROM audit_entries")).isEqualTo(entries);
    }

    @Test
    void given_concurrent_writers_when_the_processor_caught_up_then_each_prev_hash_is_the_previous_entrys_hash() {
        assertThat(strings("SELECT prev_hash FROM audit_entries WHERE sequence = 1")).containsExactly(AuditChain.GENESIS);
        assertThat(count("SELECT count(*) FROM audit_entries a JOIN audit_entries b ON b.sequence = a.sequence + 1 "
                + "WHERE b.prev_hash <> a.hash")).as("broken links").isZero();
        assertThat(count("SELECT count(DISTINCT hash) FROM audit_entries"))
                .isEqualTo(count("SELECT count(*) FROM audit_entries"));
    }

    @Test
    void given_concurrent_writers_when_the_processor_caught_up_then_every_aggregates_entries_follow_its_sequence_numbers() {
        assertThat(count("SELECT count(*) FROM ("
                + "SELECT d.sequencenumber, lag(d.sequencenumber) OVER (PARTITION BY d.aggregateidentifier "
                + "ORDER BY a.sequence) AS previous FROM audit_entries a "
                + "JOIN domainevententry d ON d.globalindex = a.global_index) x "
                + "WHERE previous IS NOT NULL AND sequencenumber <> previous + 1"))
                .as("entries out of their aggregate's order").isZero();
        for (String organization : organizations) {
            List<Long> inAuditOrder = strings("SELECT d.sequencenumber FROM audit_entries a "
                    + "JOIN domainevententry d ON d.globalindex = a.global_index "
                    + "WHERE a.resource_id = ? ORDER BY a.sequence", organization).stream().map(Long::valueOf).toList();
            assertThat(inAuditOrder).as(organization)
                    .containsExactlyElementsOf(LongStream.range(0, 2 + COMMANDS_PER_WRITER).boxed().toList());
        }
    }

    @Test
    void given_concurrent_writers_when_the_platform_admin_verifies_the_chain_then_it_is_verified_over_every_entry() {
        JsonNode verification = ok(http.bearer(platformAdmin.accessToken()).get("/api/v1/audit/verify"));

        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("checked").asLong()).isEqualTo(count("SELECT count(*) FROM audit_entries"))
                .isGreaterThan((long) WRITERS * COMMANDS_PER_WRITER);
        assertThat(verification.path("first_broken_id").isNull()).isTrue();
    }

    @Test
    void given_concurrent_writers_when_the_processor_caught_up_then_the_chain_is_in_global_index_order() {
        assertThat(strings("SELECT 'index ' || global_index || ' at sequence ' || sequence || ' after index ' || previous"
                + " FROM (SELECT sequence, global_index, lag(global_index) OVER (ORDER BY sequence) AS previous"
                + " FROM audit_entries) chain WHERE previous > global_index"))
                .as("entries out of global-index order").isEmpty();
    }
}
