package dev.baserdb.api.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestClock;
import dev.baserdb.kernel.organization.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.kernel.organization.Role.ADMIN;
import static dev.baserdb.kernel.organization.Role.AUDITOR;
import static dev.baserdb.kernel.organization.Role.DEVELOPER;
import static dev.baserdb.kernel.organization.Role.OWNER;
import static dev.baserdb.kernel.organization.Role.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage over real HTTP (API.md §11): buckets and their bad input and permissions, uploads sniffed
 * and checked against the bucket, downloads with ETag, ranges and nosniff, private buckets behind
 * credentials or signed URLs (tampered and expired ones refused), overwrites and deletes read as of
 * an instant.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageHttpTest {

    /** The first bytes of a PNG: enough for the sniffer, whatever the name says. */
    static final byte[] PNG = HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489");

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    private Http http;
    private final Map<Role, Accounts.Account> member = new EnumMap<>(Role.class);
    private String project;
    private String serviceKey;
    private Accounts.Account stranger;
    private String strangersProject;

    @BeforeAll
    void anOrganizationWithOneMemberPerRole() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        member.put(OWNER, accounts.anAccount());
        String organization = tenancy.anOrganization(member.get(OWNER));
        for (Role role : List.of(ADMIN, DEVELOPER, AUDITOR, VIEWER)) {
            Accounts.Account account = accounts.anAccount();
            tenancy.addMember(member.get(OWNER), organization, account, role.wireName());
            member.put(role, account);
        }
        Tenancy.Project created = tenancy.aProject(member.get(OWNER), organization);
        project = created.id();
        serviceKey = created.serviceKey();
        stranger = accounts.anAccount();
        strangersProject = tenancy.aProject(stranger, tenancy.anOrganization(stranger)).id();
    }

    @AfterEach
    void releaseTheClock() {
        clock.release();
    }

    private Http as(Role role) {
        return http.bearer(member.get(role).accessToken());
    }

    private String buckets() {
        return "/api/v1/projects/" + project + "/buckets";
    }

    private String files(String bucket) {
        return "/api/v1/projects/" + project + "/storage/" + bucket;
    }

    private String aBucket(boolean isPublic, Object maxFileSize, List<String> types) {
        String name = Tenancy.uniqueSlug("b");
        JsonNode body = Http.json("name", name, "public", isPublic, "max_file_size", maxFileSize,
                "allowed_mime_types", types);
        ok(as(OWNER).post(buckets(), body));
        return name;
    }

    static Http.Response upload(Http as, String path, String filename, byte[] content, String name) {
        Multipart form = new Multipart().file("file", filename, content, "application/octet-stream");
        if (name != null) {
            form.field("name", name);
        }
        return as.send("POST", path, form.bytes(), form.contentType());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    // --- buckets ---------------------------------------------------------------------------------------

    @Test
    void given_a_project_when_a_bucket_is_created_then_201_listed_readable_and_a_duplicate_is_409() {
        String name = Tenancy.uniqueSlug("avatars");
        Http.Response created = as(DEVELOPER).post(buckets(), Http.json("name", name, "public", true,
                "allowed_mime_types", List.of("image/*")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode bucket = created.data();
        assertThat(bucket.path("id").asText()).matches("bkt_[0-9a-f]{32}");
        assertThat(bucket.path("name").asText()).isEqualTo(name);
        assertThat(bucket.path("public").asBoolean()).isTrue();
        assertThat(bucket.path("max_file_size").asLong()).isEqualTo(50L * 1024 * 1024);
        assertThat(bucket.path("allowed_mime_types").get(0).asText()).isEqualTo("image/*");

        Http.Response list = as(VIEWER).get(buckets());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.data().findValuesAsText("name")).contains(name);
        Http.Response one = as(VIEWER).get(buckets() + "/" + name);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.header("ETag")).isEqualTo("\"0\"");

        Http.Response duplicate = as(OWNER).post(buckets(), Http.json("name", name));
        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("CONFLICT");
    }

    @Test
    void given_bad_input_when_creating_a_bucket_then_400_and_nothing_is_created() {
        long before = as(OWNER).get(buckets()).data().size();
        for (JsonNode body : List.of(Http.json("name", "A"), Http.json("name", "has space"), Http.json("public", true),
                Http.json("name", "ok-name", "max_file_size", 0),
                Http.json("name", "ok-name", "max_file_size", 50L * 1024 * 1024 + 1),
                Http.json("name", "ok-name", "max_file_size", "big"),
                Http.json("name", "ok-name", "allowed_mime_types", List.of("not a type")),
                Http.json("name", "ok-name", "allowed_mime_types", "image/png"))) {
            Http.Response refused = as(OWNER).post(buckets(), body);
            assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
            assertThat(refused.errorCode()).isIn("VALIDATION_FAILED", "BAD_REQUEST");
        }
        Http.Response malformed = as(OWNER).send("POST", buckets(), "{\"name\": ", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("BAD_REQUEST");
        assertThat(as(OWNER).get(buckets()).data().size()).isEqualTo(before);
    }

    @Test
    void given_the_permissions_of_tables_when_managing_buckets_then_the_matrix_and_tenants_hold() {
        assertThat(as(VIEWER).post(buckets(), Http.json("name", Tenancy.uniqueSlug("v"))).status()).isEqualTo(403);
        assertThat(as(AUDITOR).post(buckets(), Http.json("name", Tenancy.uniqueSlug("a"))).status()).isEqualTo(403);
        assertThat(http.post(buckets(), Http.json("name", Tenancy.uniqueSlug("n"))).status()).isEqualTo(401);
        assertThat(http.bearer(serviceKey).post(buckets(), Http.json("name", Tenancy.uniqueSlug("sk"))).status())
                .isEqualTo(201);
        String name = aBucket(false, null, null);
        Http strangerHttp = http.bearer(stranger.accessToken());
        assertThat(strangerHttp.get(buckets()).status()).isEqualTo(404);
        assertThat(strangerHttp.post(buckets(), Http.json("name", Tenancy.uniqueSlug("x"))).status()).isEqualTo(404);
        assertThat(strangerHttp.patch(buckets() + "/" + name, Http.json("public", true)).status()).isEqualTo(404);
        assertThat(strangerHttp.delete(buckets() + "/" + name).status()).isEqualTo(404);
        assertThat(upload(strangerHttp, files(name), "a.txt", "x".getBytes(), null).status()).isEqualTo(404);
        assertThat(strangerHttp.get(files(name)).status()).isEqualTo(404);
        assertThat(as(OWNER).get("/api/v1/projects/" + strangersProject + "/buckets").status()).isEqualTo(404);
        assertThat(as(VIEWER).delete(buckets() + "/" + name).status()).isEqualTo(403);
        assertThat(as(VIEWER).patch(buckets() + "/" + name, Http.json("public", true)).status()).isEqualTo(403);
        assertThat(as(DEVELOPER).get(buckets() + "/" + name + "/history").status()).isEqualTo(403);
        assertThat(as(AUDITOR).get(buckets() + "/" + name + "/history").status()).isEqualTo(200);
    }

    @Test
    void given_a_bucket_when_updated_with_a_stale_If_Match_then_412_and_with_the_current_one_200_then_deleted() {
        String name = aBucket(false, null, null);
        Http.Response stale = as(OWNER).with("If-Match", "\"7\"").patch(buckets() + "/" + name, Http.json("public", true));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        Http.Response updated = as(OWNER).with("If-Match", "\"0\"").patch(buckets() + "/" + name,
                Http.json("public", true, "max_file_size", 10));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.data().path("public").asBoolean()).isTrue();
        assertThat(updated.data().path("max_file_size").asLong()).isEqualTo(10);
        assertThat(as(DEVELOPER).delete(buckets() + "/" + name).status()).isEqualTo(200);
        assertThat(as(OWNER).get(buckets() + "/" + name).status()).isEqualTo(404);
        assertThat(upload(as(OWNER), files(name), "a.txt", "x".getBytes(), null).status()).isEqualTo(404);
    }

    // --- uploads and downloads -------------------------------------------------------------------------

    @Test
    void given_a_public_bucket_when_a_file_is_uploaded_then_its_type_is_sniffed_and_anyone_downloads_it() throws Exception {
        String bucket = aBucket(true, null, null);
        Http.Response uploaded = upload(as(DEVELOPER), files(bucket), "picture.txt", PNG, "img/a.png");
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        JsonNode file = uploaded.data();
        assertThat(file.path("name").asText()).isEqualTo("img/a.png");
        assertThat(file.path("bucket").asText()).isEqualTo(bucket);
        assertThat(file.path("size").asLong()).isEqualTo(PNG.length);
        assertThat(file.path("sha256").asText()).isEqualTo(sha256(PNG));
        assertThat(file.path("content_type").asText()).isEqualTo("image/png");
        assertThat(file.path("url").asText()).endsWith("/api/v1/storage/" + project + "/" + bucket + "/img/a.png");

        Http.Response download = http.get(pathOf(file.path("url").asText()));
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Length")).isEqualTo(Integer.toString(PNG.length));
        assertThat(download.header("ETag")).isEqualTo("\"" + sha256(PNG) + "\"");
        assertThat(download.header("Cache-Control")).contains("max-age");
        assertThat(download.header("Content-Type")).isEqualTo("image/png");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Content-Disposition")).isNull();
        Http.Response notModified = http.with("If-None-Match", download.header("ETag"))
                .get(pathOf(file.path("url").asText()));
        assertThat(notModified.status()).isEqualTo(304);

        Http.Response list = as(VIEWER).get(files(bucket));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.data().findValuesAsText("name")).containsExactly("img/a.png");
    }

    @Test
    void given_a_stored_file_when_ranges_are_asked_then_206_for_one_416_past_the_end_and_200_for_several() {
        String bucket = aBucket(true, null, null);
        byte[] content = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        ok(upload(as(OWNER), files(bucket), "digits.txt", content, null));
        String path = "/api/v1/storage/" + project + "/" + bucket + "/digits.txt";

        Http.Response first = http.with("Range", "bytes=0-4").get(path);
        assertThat(first.status()).isEqualTo(206);
        assertThat(first.text()).isEqualTo("01234");
        assertThat(first.header("Content-Range")).isEqualTo("bytes 0-4/20");
        Http.Response open = http.with("Range", "bytes=15-").get(path);
        assertThat(open.status()).isEqualTo(206);
        assertThat(open.text()).isEqualTo("fghij");
        Http.Response suffix = http.with("Range", "bytes=-3").get(path);
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.text()).isEqualTo("hij");
        Http.Response clipped = http.with("Range", "bytes=18-99").get(path);
        assertThat(clipped.status()).isEqualTo(206);
        assertThat(clipped.header("Content-Range")).isEqualTo("bytes 18-19/20");
        Http.Response past = http.with("Range", "bytes=20-30").get(path);
        assertThat(past.status()).isEqualTo(416);
        assertThat(past.header("Content-Range")).isEqualTo("bytes */20");
        Http.Response several = http.with("Range", "bytes=0-1,4-5").get(path);
        assertThat(several.status()).isEqualTo(200);
        assertThat(several.text()).isEqualTo("0123456789abcdefghij");
        Http.Response otherVersion = http.with("Range", "bytes=0-1").with("If-Range", "\"other\"").get(path);
        assertThat(otherVersion.status()).isEqualTo(200);
    }

    @Test
    void given_bad_uploads_then_413_415_400_401_403_404_and_nothing_is_listed() {
        String bucket = aBucket(false, 64, List.of("text/plain"));
        List<Http.Response> refused = List.of(
                upload(as(OWNER), files(bucket), "big.txt", "x".repeat(65).getBytes(), null),
                upload(as(OWNER), files(bucket), "run.PHP", "x".getBytes(), null),
                upload(as(OWNER), files(bucket), ".htaccess", "x".getBytes(), null),
                upload(as(OWNER), files(bucket), "p.txt", PNG, null),
                upload(as(OWNER), files(bucket), "a.txt", "x".getBytes(), "../escape.txt"),
                upload(as(OWNER), files(bucket), "a.txt", "x".getBytes(), "/abs.txt"),
                upload(as(OWNER), files(bucket), "a.txt", "x".getBytes(), "a\\b.txt"),
                upload(as(OWNER), files(bucket), "a.txt", "x".getBytes(), "a%2e%2e/b.txt"),
                upload(as(OWNER), files(bucket), "a.txt", "x".getBytes(), "a//b.txt"),
                as(OWNER).send("POST", files(bucket), "x", "text/plain"),
                as(OWNER).send("POST", files(bucket), new Multipart().field("name", "a.txt").bytes(),
                        "multipart/form-data; boundary=nope"),
                upload(http, files(bucket), "a.txt", "x".getBytes(), null),
                upload(as(VIEWER), files(bucket), "a.txt", "x".getBytes(), null),
                upload(as(OWNER), "/api/v1/projects/" + project + "/storage/no-such-bucket", "a.txt", "x".getBytes(), null));
        List<Integer> expected = List.of(413, 415, 415, 415, 400, 400, 400, 400, 400, 415, 400, 401, 403, 404);
        for (int i = 0; i < refused.size(); i++) {
            assertThat(refused.get(i).status()).as(i + ": " + refused.get(i)).isEqualTo(expected.get(i));
            assertThat(refused.get(i).body().path("success").asBoolean(true)).as(i + ": envelope").isFalse();
        }
        assertThat(as(OWNER).get(files(bucket)).data().size()).isZero();
    }

    @Test
    void given_a_file_larger_than_the_json_limit_when_uploaded_then_the_storage_limit_applies_not_the_body_limit() throws Exception {
        String bucket = aBucket(false, null, null);
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(content);
        Http.Response uploaded = upload(as(OWNER), files(bucket), "blob.bin", content, null);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        assertThat(uploaded.data().path("sha256").asText()).isEqualTo(sha256(content));
        assertThat(uploaded.data().path("size").asLong()).isEqualTo(content.length);
    }

    @Test
    void given_html_in_a_public_bucket_when_downloaded_then_it_is_an_attachment_in_a_sandbox() {
        String bucket = aBucket(true, null, null);
        ok(upload(as(OWNER), files(bucket), "page.png", "<html><script>alert(1)</script></html>".getBytes(), null));
        Http.Response download = http.get("/api/v1/storage/" + project + "/" + bucket + "/page.png");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Type")).startsWith("text/html");
        assertThat(download.header("Content-Disposition")).startsWith("attachment");
        assertThat(download.header("Content-Security-Policy")).contains("sandbox");
    }

    // --- private buckets and signed URLs -------------------------------------------------------------------

    @Test
    void given_a_private_bucket_then_anonymous_reads_are_404_members_read_and_strangers_do_not() {
        String bucket = aBucket(false, null, null);
        ok(upload(as(OWNER), files(bucket), "secret.txt", "secret".getBytes(), null));
        String path = "/api/v1/storage/" + project + "/" + bucket + "/secret.txt";
        assertThat(http.get(path).status()).isEqualTo(404);
        assertThat(http.bearer("not-a-token").get(path).status()).isEqualTo(401);
        Http.Response member = as(VIEWER).get(path);
        assertThat(member.status()).isEqualTo(200);
        assertThat(member.text()).isEqualTo("secret");
        assertThat(member.header("Cache-Control")).startsWith("private");
        assertThat(http.bearer(stranger.accessToken()).get(path).status()).isEqualTo(404);
    }

    @Test
    void given_a_signed_url_then_it_reads_without_credentials_and_any_change_or_its_expiry_is_403() {
        String bucket = aBucket(false, null, null);
        ok(upload(as(OWNER), files(bucket), "a.txt", "first".getBytes(), null));
        ok(upload(as(OWNER), files(bucket), "b.txt", "second".getBytes(), null));
        Instant now = clock.freeze();
        Http.Response signed = as(VIEWER).post(files(bucket) + "/sign", Http.json("name", "a.txt", "expires_in", 60));
        assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
        assertThat(Instant.parse(signed.data().path("expires_at").asText())).isEqualTo(now.plusSeconds(60));
        String url = pathOf(signed.data().path("url").asText());

        Http.Response read = http.get(url);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.text()).isEqualTo("first");
        assertThat(http.get(url.replace("/a.txt?", "/b.txt?")).status()).as("another path").isEqualTo(403);
        String expires = url.replaceAll(".*expires=(\\d+).*", "$1");
        assertThat(http.get(url.replace("expires=" + expires, "expires=" + (Long.parseLong(expires) + 3600))).status())
                .as("a later expiry").isEqualTo(403);
        String signature = url.replaceAll(".*signature=([^&]+).*", "$1");
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        assertThat(http.get(url.replace(signature, flipped)).status()).as("another signature").isEqualTo(403);
        assertThat(http.get(url.replace("signature=" + signature, "signature=")).status()).isEqualTo(403);

        clock.advance(Duration.ofSeconds(60));
        Http.Response expired = http.get(url);
        assertThat(expired.status()).as("expired").isEqualTo(403);
        assertThat(expired.errorCode()).isEqualTo("FORBIDDEN");
    }

    @Test
    void given_bad_sign_requests_then_400_or_404() {
        String bucket = aBucket(false, null, null);
        ok(upload(as(OWNER), files(bucket), "a.txt", "x".getBytes(), null));
        assertThat(as(OWNER).post(files(bucket) + "/sign", Http.json("name", "a.txt", "expires_in", 7 * 24 * 3600 + 1))
                .status()).isEqualTo(400);
        assertThat(as(OWNER).post(files(bucket) + "/sign", Http.json("name", "a.txt", "expires_in", 0)).status())
                .isEqualTo(400);
        assertThat(as(OWNER).post(files(bucket) + "/sign", Http.json("name", "../a.txt", "expires_in", 10)).status())
                .isEqualTo(400);
        assertThat(as(OWNER).post(files(bucket) + "/sign", Http.json("name", "missing.txt", "expires_in", 10)).status())
                .isEqualTo(404);
        assertThat(http.bearer(stranger.accessToken())
                .post(files(bucket) + "/sign", Http.json("name", "a.txt", "expires_in", 10)).status()).isEqualTo(404);
    }

    // --- overwrites, deletes, time travel and history ----------------------------------------------------

    @Test
    void given_an_overwrite_and_a_delete_then_as_of_lists_the_bucket_as_it_was_and_history_names_the_actor() throws Exception {
        String bucket = aBucket(false, null, null);
        ok(upload(as(OWNER), files(bucket), "doc.txt", "version one".getBytes(), null));
        Instant afterFirst = Instant.now();
        awaitNextMillisecond(afterFirst);
        ok(upload(as(DEVELOPER), files(bucket), "doc.txt", "version two".getBytes(), null));
        Instant afterSecond = Instant.now();
        awaitNextMillisecond(afterSecond);

        assertThat(sha(as(OWNER).get(files(bucket)))).isEqualTo(sha256("version two".getBytes()));
        Http.Response then = as(OWNER).get(files(bucket) + "?as_of=" + afterFirst);
        assertThat(then.status()).isEqualTo(200);
        assertThat(then.body().path("meta").path("as_of").isMissingNode()).isFalse();
        assertThat(sha(then)).isEqualTo(sha256("version one".getBytes()));

        assertThat(as(DEVELOPER).delete(files(bucket) + "/doc.txt").status()).isEqualTo(200);
        assertThat(as(OWNER).get(files(bucket)).data().size()).isZero();
        assertThat(sha(as(OWNER).get(files(bucket) + "?as_of=" + afterSecond))).isEqualTo(sha256("version two".getBytes()));
        assertThat(as(DEVELOPER).delete(files(bucket) + "/doc.txt").status()).isEqualTo(404);
        assertThat(as(VIEWER).delete(files(bucket) + "/doc.txt").status()).isEqualTo(403);
        assertThat(as(OWNER).get(files(bucket) + "?as_of=yesterday").status()).isEqualTo(400);

        Http.Response history = as(AUDITOR).get(buckets() + "/" + bucket + "/history");
        assertThat(history.status()).isEqualTo(200);
        List<String> types = StreamSupport.stream(history.data().spliterator(), false)
                .map(e -> e.path("type").asText()).toList();
        assertThat(types).containsExactly("bucket.created", "bucket.file_uploaded", "bucket.file_uploaded",
                "bucket.file_deleted");
        assertThat(history.data().get(2).path("actor").path("id").asText()).isEqualTo(member.get(DEVELOPER).userId());
    }

    private static String sha(Http.Response list) {
        assertThat(list.data().size()).as(list.toString()).isEqualTo(1);
        return list.data().get(0).path("sha256").asText();
    }

    static void awaitNextMillisecond(Instant after) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> Instant.now().isAfter(after.plusMillis(2)));
    }
}
