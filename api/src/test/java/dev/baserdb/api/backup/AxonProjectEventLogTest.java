package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.backup.ProjectEventLog.StoredEvent;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.AxonEventLogApp;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.TenancySteps;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.insert;
import static dev.baserdb.api.support.TableFixtures.required;
import static dev.baserdb.api.support.TableFixtures.tableRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups with {@code baserdb.event-log=axon} (the {@code axonserver} profile's choice): the
 * project's events read through Axon's API ({@link AxonProjectEventLog}) are those the JDBC reader
 * gives, byte for byte, so the archives are the same file, and a run over HTTP succeeds with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AxonProjectEventLogTest {

    private ConfigurableApplicationContext app;
    private Http http;
    private Accounts.Account owner;
    private String organization;
    private String project;
    private Instant between;
    private ProjectEventLog axon;
    private ProjectEventLog jdbc;

    @TempDir
    Path dir;

    @BeforeAll
    void twoProjectsWithRows() {
        app = AxonEventLogApp.context();
        http = new Http(AxonEventLogApp.port());
        TenancySteps tenancy = new TenancySteps(http);
        TableFixtures tables = new TableFixtures(http);
        owner = new Accounts(http).anAccount();
        organization = tenancy.organization(owner).path("id").asText();
        JsonNode created = tenancy.project(owner, organization, TenancySteps.uniqueSlug("axonbackup"));
        project = created.path("id").asText();
        JsonNode other = tenancy.project(owner, organization, TenancySteps.uniqueSlug("other"));
        String table = TableFixtures.uniqueTableName("items");
        tables.aTable(owner, tableRequest(project, table, required("name", "TEXT"), column("qty", "INT")));
        String otherTable = TableFixtures.uniqueTableName("items");
        tables.aTable(owner, tableRequest(other.path("id").asText(), otherTable, required("name", "TEXT")));
        for (int i = 0; i < 5; i++) {
            insert(tables.serviceKey(created.path("service_key").asText()), project, table,
                    Http.json("name", "row " + i, "qty", i));
            insert(tables.serviceKey(other.path("service_key").asText()), other.path("id").asText(), otherTable,
                    Http.json("name", "other " + i));
            if (i == 2) {
                between = TenancySteps.instantBetweenEvents();
            }
        }
        axon = app.getBean(ProjectEventLog.class);
        jdbc = new JdbcProjectEventLog(app.getBean(DSLContext.class), app.getBean(PlatformTransactionManager.class));
    }

    @Test
    void given_the_axon_event_log_then_backups_read_through_axons_api() {
        assertThat(axon).isInstanceOf(AxonProjectEventLog.class);
        assertThat(app.getBeansOfType(JdbcProjectEventLog.class)).isEmpty();
    }

    @Test
    void given_two_projects_then_the_axon_reader_gives_the_projects_events_exactly_as_the_jdbc_one() {
        long head = jdbc.head();
        assertThat(axon.head()).isEqualTo(head);

        List<String> all = events(jdbc, head, null);
        assertThat(events(axon, head, null)).isEqualTo(all);
        assertThat(all).hasSizeGreaterThan(5).allMatch(event -> event.contains("\"projectId\":\"" + project + "\""));

        assertThat(axon.positionAt(between)).isEqualTo(jdbc.positionAt(between)).isLessThan(head);
        List<String> earlier = events(jdbc, head, between);
        assertThat(events(axon, head, between)).isEqualTo(earlier);
        assertThat(earlier.size()).isBetween(1, all.size() - 1);
        assertThat(events(axon, axon.positionAt(between), null)).isEqualTo(events(jdbc, jdbc.positionAt(between), null));
    }

    @Test
    void given_the_same_cut_then_both_readers_write_the_same_archive() throws IOException {
        BackupArchive.Cut cut = new BackupArchive.Cut("bkp_axon", project, organization, jdbc.head(), Instant.now());
        BackupArchive.Written fromJdbc = BackupArchive.write(dir.resolve("jdbc.jsonl.gz"), cut,
                consumer -> jdbc.forEach(project, cut.position(), cut.at(), consumer));
        BackupArchive.Written fromAxon = BackupArchive.write(dir.resolve("axon.jsonl.gz"), cut,
                consumer -> axon.forEach(project, cut.position(), cut.at(), consumer));

        assertThat(fromAxon.eventCount()).isEqualTo(fromJdbc.eventCount()).isPositive();
        assertThat(fromAxon.sha256()).isEqualTo(fromJdbc.sha256());
        assertThat(Files.readAllBytes(dir.resolve("axon.jsonl.gz"))).isEqualTo(Files.readAllBytes(dir.resolve("jdbc.jsonl.gz")));
    }

    @Test
    void given_the_axon_event_log_when_a_run_is_made_over_http_then_its_archive_holds_the_jdbc_readers_events()
            throws IOException {
        JsonNode run = BackupSteps.aSucceededRun(http.bearer(owner.accessToken()), project);
        BackupSteps.Download download = BackupSteps.download(AxonEventLogApp.port(), "Bearer " + owner.accessToken(),
                run.path("id").asText());
        assertThat(download.status()).isEqualTo(200);

        BackupArchive.Cut cut = new BackupArchive.Cut(run.path("id").asText(), project, organization,
                run.path("cut").path("position").asLong(), Instant.parse(run.path("cut").path("at").asText()));
        BackupArchive.write(dir.resolve("expected.jsonl.gz"), cut,
                consumer -> jdbc.forEach(project, cut.position(), cut.at(), consumer));
        BackupSteps.Archive expected = BackupSteps.unpack(Files.readAllBytes(dir.resolve("expected.jsonl.gz")));
        BackupSteps.Archive archive = BackupSteps.unpack(download.bytes());
        assertThat(archive.events()).hasSizeGreaterThan(5);
        assertThat(archive.lines().subList(1, archive.lines().size()))
                .isEqualTo(expected.lines().subList(1, expected.lines().size()));
    }

    /** The project's events up to the position (recorded no later than {@code at}), every field as text. */
    private List<String> events(ProjectEventLog log, long position, Instant at) {
        List<String> events = new ArrayList<>();
        log.forEach(project, position, at, event -> events.add(text(event)));
        return events;
    }

    private static String text(StoredEvent event) {
        return String.join(" | ", String.valueOf(event.globalIndex()), event.eventId(), event.payloadType(),
                String.valueOf(event.payloadRevision()), event.aggregateId(), String.valueOf(event.aggregateType()),
                String.valueOf(event.sequence()), event.timestamp(), new String(event.payload(), StandardCharsets.UTF_8),
                new String(event.metadata(), StandardCharsets.UTF_8));
    }
}
