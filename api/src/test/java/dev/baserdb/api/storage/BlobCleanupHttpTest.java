package dev.baserdb.api.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestClock;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The blob cleanup (issue 12): after the grace period it deletes the blobs no event names and the
 * leftovers of unfinished uploads, and keeps every blob something can still read — a current file,
 * an overwritten version, a deleted file's version (listed {@code as_of}), the files of deploys (one
 * removed again from a pending deploy too) — and every blob a commit named within the grace, also
 * one whose bytes were already stored. Time is the test clock's; the blobs' commit times follow it.
 */
@ApiTest
class BlobCleanupHttpTest {

    private static final String PURGE = "/api/v1/admin/storage/purge";

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    @Autowired
    BlobStore blobs;

    @Autowired
    BlobReferences references;

    @Autowired
    BaserDbProperties properties;

    @Autowired
    DSLContext db;

    private Http http;
    private Accounts accounts;
    private Accounts.Account owner;
    private String project;

    @BeforeEach
    void aProjectOfItsOwn() {
        http = new Http(port);
        accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        owner = accounts.anAccount();
        project = tenancy.aProject(owner, tenancy.anOrganization(owner)).id();
    }

    @AfterEach
    void releaseTheClock() {
        clock.release();
    }

    @Test
    void given_files_deploys_orphans_and_leftovers_when_the_grace_has_passed_then_only_orphans_and_leftovers_go() throws Exception {
        Http asOwner = http.bearer(owner.accessToken());
        String bucket = Tenancy.uniqueSlug("b");
        ok(asOwner.post("/api/v1/projects/" + project + "/buckets", Http.json("name", bucket, "public", true)));
        String files = "/api/v1/projects/" + project + "/storage/" + bucket;
        byte[] current = unique("current");
        byte[] overwritten = unique("overwritten");
        byte[] overwriting = unique("overwriting");
        byte[] deleted = unique("deleted");
        ok(StorageHttpTest.upload(asOwner, files, "current.txt", current, null));
        ok(StorageHttpTest.upload(asOwner, files, "over.txt", overwritten, null));
        ok(StorageHttpTest.upload(asOwner, files, "over.txt", overwriting, null));
        ok(StorageHttpTest.upload(asOwner, files, "gone.txt", deleted, null));
        Instant whileGoneExisted = Instant.now();
        StorageHttpTest.awaitNextMillisecond(whileGoneExisted);
        ok(asOwner.delete(files + "/gone.txt"));

        String sites = "/api/v1/projects/" + project + "/sites";
        String site = ok(asOwner.post(sites, Http.json("subdomain", Tenancy.uniqueSlug("s"), "spa_mode", false)))
                .path("id").asText();
        String deploys = sites + "/" + site + "/deploys";
        byte[] zipped = unique("<!doctype html><title>zipped</title>");
        Multipart archive = new Multipart().file("zipfile", "site.zip", zip("index.html", zipped), "application/zip");
        String zipDeploy = ok(asOwner.send("POST", deploys, archive.bytes(), archive.contentType())).path("id").asText();
        ok(asOwner.post(deploys + "/" + zipDeploy + "/publish", null));
        String pending = deploys + "/" + ok(asOwner.post(deploys + "/open", Http.json("label", "by hand")))
                .path("id").asText();
        byte[] added = unique("<!doctype html><title>added</title>");
        byte[] removed = unique("removed again");
        ok(asOwner.send("PUT", pending + "/files?path=index.html", added, "text/html"));
        ok(asOwner.send("PUT", pending + "/files?path=removed.txt", removed, "text/plain"));
        ok(asOwner.delete(pending + "/files?path=removed.txt"));

        // What failed uploads leave: a blob stored but never named by an event.
        byte[] orphan = unique("orphan");
        byte[] orphanUploadedAgain = unique("orphan uploaded again");
        store(orphan);
        store(orphanUploadedAgain);
        Path blobTmp = properties.dataDir().resolve("blobs").resolve("tmp");
        Path spool = properties.uploadDir();
        Path oldPart = leftover(blobTmp.resolve("in-crashed-" + UUID.randomUUID() + ".part"), Instant.now());
        Path oldSpool = leftover(spool.resolve("upload_" + UUID.randomUUID() + ".tmp"), Instant.now());

        clock.freeze();
        Instant later = clock.advance(Duration.ofHours(2));
        byte[] freshOrphan = unique("fresh orphan");
        store(freshOrphan);
        store(orphanUploadedAgain); // the same bytes committed again: they count as fresh
        Path freshPart = leftover(blobTmp.resolve("in-writing-" + UUID.randomUUID() + ".part"), later);

        Http.Response purged = http.bearer(accounts.admin().accessToken()).post(PURGE, null);
        assertThat(purged.status()).as(purged.toString()).isEqualTo(200);
        JsonNode result = purged.data();
        assertThat(result.path("blobs_deleted").asLong()).as(result.toString()).isPositive();
        assertThat(result.path("blob_bytes_freed").asLong()).isGreaterThanOrEqualTo(orphan.length);
        assertThat(result.path("leftovers_removed").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(result.path("blobs_unverified").asLong()).isZero();
        assertThat(Instant.parse(result.path("committed_before").asText())).isEqualTo(later.minus(Duration.ofHours(1)));

        assertThat(stored(orphan)).as("an orphan past the grace").isFalse();
        assertThat(Files.exists(oldPart)).as("an old receive leftover").isFalse();
        assertThat(Files.exists(oldSpool)).as("an old upload spool leftover").isFalse();
        assertThat(Files.exists(freshPart)).as("a receive still being written").isTrue();
        assertThat(stored(freshOrphan)).as("an orphan within the grace").isTrue();
        assertThat(stored(orphanUploadedAgain)).as("old bytes committed again within the grace").isTrue();
        for (Map.Entry<String, byte[]> kept : Map.of("current file", current, "overwritten version", overwritten,
                "overwriting version", overwriting, "deleted file's version", deleted, "zip deploy file", zipped,
                "pending deploy file", added, "file removed from a pending deploy", removed).entrySet()) {
            assertThat(read(kept.getValue())).as(kept.getKey()).isEqualTo(kept.getValue());
        }

        // Downloads and reads still work after the cleanup.
        Http.Response download = http.get(StorageController.objectPath(project, bucket, "current.txt"));
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.text()).isEqualTo(new String(current, StandardCharsets.UTF_8));
        assertThat(http.get(StorageController.objectPath(project, bucket, "over.txt")).text())
                .isEqualTo(new String(overwriting, StandardCharsets.UTF_8));
        Http asOwnerAgain = http.bearer(accounts.login(owner.email(), Accounts.PASSWORD).accessToken());
        JsonNode asOf = ok(asOwnerAgain.get(files + "?as_of=" + whileGoneExisted));
        assertThat(asOf.findValuesAsText("sha256")).contains(StorageHttpTest.sha256(deleted),
                StorageHttpTest.sha256(overwriting));
        JsonNode site1 = ok(asOwnerAgain.get(sites + "/" + site));
        Http.Response served = http.get("/sites/" + site1.path("subdomain").asText() + "/");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.text()).isEqualTo(new String(zipped, StandardCharsets.UTF_8));
    }

    @Test
    void given_blobs_named_only_by_events_when_the_event_store_is_searched_then_each_kind_of_event_counts() throws Exception {
        Http asOwner = http.bearer(owner.accessToken());
        String bucket = Tenancy.uniqueSlug("b");
        ok(asOwner.post("/api/v1/projects/" + project + "/buckets", Http.json("name", bucket)));
        byte[] uploaded = unique("uploaded");
        ok(StorageHttpTest.upload(asOwner, "/api/v1/projects/" + project + "/storage/" + bucket, "f.txt", uploaded,
                null));
        String sites = "/api/v1/projects/" + project + "/sites";
        String deploys = sites + "/" + ok(asOwner.post(sites, Http.json("subdomain", Tenancy.uniqueSlug("s"))))
                .path("id").asText() + "/deploys";
        byte[] zipped = unique("zipped");
        Multipart archive = new Multipart().file("zipfile", "site.zip", zip("a.txt", zipped), "application/zip");
        ok(asOwner.send("POST", deploys, archive.bytes(), archive.contentType()));
        String pending = deploys + "/" + ok(asOwner.post(deploys + "/open", Http.json("label", "x"))).path("id").asText();
        byte[] added = unique("added");
        ok(asOwner.send("PUT", pending + "/files?path=b.txt", added, "text/plain"));
        byte[] orphan = unique("orphan");
        store(orphan);

        List<String> hashes = List.of(StorageHttpTest.sha256(uploaded), StorageHttpTest.sha256(zipped),
                StorageHttpTest.sha256(added), StorageHttpTest.sha256(orphan));
        assertThat(references.inEventStore(hashes)).as("FileUploaded, DeployUploaded, DeployFileAdded; not the orphan")
                .containsExactlyInAnyOrderElementsOf(hashes.subList(0, 3));
    }

    @Test
    void given_a_blob_a_commit_names_after_the_cutoff_when_it_is_deleted_then_it_is_put_back() throws Exception {
        byte[] bytes = unique("raced");
        store(bytes);
        Instant cutoff = clock.instant().minusSeconds(60);
        assertThat(blobs.deleteIfUnnamedSince(StorageHttpTest.sha256(bytes), cutoff)).isEqualTo(-1);
        assertThat(read(bytes)).isEqualTo(bytes);
        assertThat(blobs.deleteIfUnnamedSince(StorageHttpTest.sha256(bytes), clock.instant().plusSeconds(60)))
                .as("named before that cutoff: deleted").isEqualTo(bytes.length);
        assertThat(stored(bytes)).isFalse();
        store(bytes);
        assertThat(read(bytes)).as("stored again after a deletion").isEqualTo(bytes);
    }

    @Test
    void given_a_run_in_progress_on_another_node_when_an_admin_purges_then_409_and_others_get_403() {
        assertThat(http.bearer(owner.accessToken()).post(PURGE, null).status()).isEqualTo(403);
        assertThat(http.post(PURGE, null).status()).isEqualTo(401);
        Http admin = http.bearer(accounts.admin().accessToken());
        db.connection(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, BlobCleanup.LOCK);
                lock.execute();
            }
            try {
                Http.Response busy = admin.post(PURGE, null);
                assertThat(busy.status()).as(busy.toString()).isEqualTo(409);
                assertThat(busy.errorCode()).isEqualTo("CONFLICT");
            } finally {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, BlobCleanup.LOCK);
                    unlock.execute();
                }
            }
        });
        await().untilAsserted(() -> assertThat(admin.post(PURGE, null).status()).isEqualTo(200));
        assertThat(http.get("/metrics").text()).contains("baserdb_storage_cleanup_blobs_deleted_total",
                "baserdb_storage_cleanup_freed_bytes_total");
    }

    @Test
    void given_the_application_when_started_then_the_cleanup_is_a_task_of_the_persistent_scheduler() {
        Object execution = db.fetchValue("SELECT execution_time FROM scheduled_tasks WHERE task_name = ?",
                StorageTasks.CLEANUP);
        assertThat(execution).as("one scheduled execution of " + StorageTasks.CLEANUP).isNotNull();
    }

    /** Bytes no other test stores. */
    private static byte[] unique(String text) {
        return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    /** Stores the bytes as a blob and records no event: what an upload whose command failed leaves. */
    private void store(byte[] bytes) throws IOException {
        try (BlobStore.PendingBlob blob = blobs.receive(new ByteArrayInputStream(bytes), bytes.length)) {
            blob.commit();
        }
    }

    private boolean stored(byte[] bytes) throws Exception {
        return blobs.exists(StorageHttpTest.sha256(bytes));
    }

    private byte[] read(byte[] bytes) throws Exception {
        try (InputStream in = blobs.open(StorageHttpTest.sha256(bytes), 0)) {
            return in.readAllBytes();
        }
    }

    private static Path leftover(Path path, Instant writtenAt) throws IOException {
        Files.write(path, "partial".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(path, FileTime.from(writtenAt));
        return path;
    }

    private static byte[] zip(String name, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
