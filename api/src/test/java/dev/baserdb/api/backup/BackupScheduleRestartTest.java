package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.InProcessNode;
import dev.baserdb.api.support.TenancySteps;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.InProcessNode.port;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backup schedule lives in PostgreSQL: with two nodes on one database a slot runs once, and after
 * both nodes stop, a new one finds the schedule and runs its next slot; retention then deletes the
 * older archive while the run's events stay. Slots are brought forward through the scheduler itself
 * (a reschedule to now), so no test waits for 03:00 or sleeps.
 */
class BackupScheduleRestartTest {

    private final String database = TestDatabase.createExtra("backupsched");
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private Path dataDir;

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void given_a_schedule_when_two_nodes_run_and_then_a_new_node_starts_then_each_slot_runs_once_and_retention_applies()
            throws Exception {
        dataDir = Files.createTempDirectory("baserdb-backup-schedule");
        ConfigurableApplicationContext nodeA = start();
        ConfigurableApplicationContext nodeB = start();
        Http a = new Http(port(nodeA));
        Http b = new Http(port(nodeB));
        Accounts.Account owner = new Accounts(a).anAccount();
        TenancySteps tenancy = new TenancySteps(a);
        String org = tenancy.organization(owner).path("id").asText();
        String project = tenancy.project(owner, org, "Nightly").path("id").asText();
        Http ownerOnA = a.bearer(owner.accessToken());
        Http ownerOnB = b.bearer(owner.accessToken());

        ok(ownerOnA.put("/api/v1/projects/" + project + "/backup-schedule",
                Http.json("cron", "0 3 * * *", "retention_count", 1)));

        Instant next = nextExecution(project);
        assertThat(next.atOffset(ZoneOffset.UTC).getHour()).isEqualTo(3);
        assertThat(next.atOffset(ZoneOffset.UTC).getMinute()).isZero();
        assertThat(next).isAfter(Instant.now());

        // the slot comes due on both nodes at once: exactly one of them takes it
        nodeA.getBean(Scheduler.class).reschedule(TaskInstanceId.of(BackupTasks.SCHEDULE, project), Instant.now());
        JsonNode first = awaitSucceededRuns(ownerOnB, project, 1).get(0);
        await("the slot to be rescheduled to the next 03:00").atMost(BackupSteps.WITHIN)
                .pollInterval(Duration.ofMillis(100)).until(() -> nextExecution(project).isAfter(Instant.now()));
        assertThat(ok(ownerOnB.get("/api/v1/backups/runs?project_id=" + project))).hasSize(1);
        assertThat(first.path("scheduled").asBoolean()).isTrue();
        assertThat(eventCount(first.path("id").asText(), "BackupRunStarted")).isEqualTo(1);

        nodeA.close();
        nodeB.close();
        running.clear();
        ConfigurableApplicationContext nodeC = start();
        Http ownerOnC = new Http(port(nodeC)).bearer(owner.accessToken());

        JsonNode schedule = ok(ownerOnC.get("/api/v1/projects/" + project + "/backup-schedule"));
        assertThat(schedule.path("cron").asText()).isEqualTo("0 3 * * *");
        assertThat(schedule.path("retention_count").asInt()).isEqualTo(1);
        assertThat(nextExecution(project).atOffset(ZoneOffset.UTC).getHour()).isEqualTo(3);

        nodeC.getBean(Scheduler.class).reschedule(TaskInstanceId.of(BackupTasks.SCHEDULE, project), Instant.now());
        String firstId = first.path("id").asText();
        await("the second slot's run, and retention of the first").atMost(BackupSteps.WITHIN)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    JsonNode runs = ok(ownerOnC.get("/api/v1/backups/runs?project_id=" + project));
                    return runs.size() == 1 && !runs.get(0).path("id").asText().equals(firstId)
                            && runs.get(0).path("status").asText().equals("succeeded");
                });
        assertThat(ownerOnC.get("/api/v1/backups/runs/" + firstId).status()).isEqualTo(404);
        assertThat(dataDir.resolve("backups").resolve(project).resolve(firstId + ".jsonl.gz")).doesNotExist();
        // the deleted run's events stay
        assertThat(eventCount(firstId, "BackupRunSucceeded")).isEqualTo(1);
        assertThat(eventCount(firstId, "BackupArchiveDeleted")).isEqualTo(1);
    }

    private List<JsonNode> awaitSucceededRuns(Http as, String project, int count) {
        List<JsonNode> runs = new ArrayList<>();
        await(count + " succeeded run(s)").atMost(BackupSteps.WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    runs.clear();
                    ok(as.get("/api/v1/backups/runs?project_id=" + project)).forEach(runs::add);
                    return runs.size() >= count && runs.stream()
                            .allMatch(r -> r.path("status").asText().equals("succeeded"));
                });
        return runs;
    }

    private ConfigurableApplicationContext start() throws Exception {
        ConfigurableApplicationContext context = InProcessNode.start(database,
                // one data directory for every node, as a shared volume would be
                "--baserdb.data-dir=" + dataDir,
                "--db-scheduler.polling-interval=200ms");
        running.add(context);
        return context;
    }

    private Instant nextExecution(String project) throws SQLException {
        try (Connection c = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT execution_time FROM scheduled_tasks "
                     + "WHERE task_name = ? AND task_instance = ? AND NOT picked")) {
            s.setString(1, BackupTasks.SCHEDULE);
            s.setString(2, project);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getObject(1, OffsetDateTime.class).toInstant() : Instant.EPOCH;
            }
        }
    }

    private int eventCount(String aggregateId, String type) throws SQLException {
        try (Connection c = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM domainevententry "
                     + "WHERE aggregateidentifier = ? AND payloadtype LIKE ?")) {
            s.setString(1, aggregateId);
            s.setString(2, "%" + type);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
