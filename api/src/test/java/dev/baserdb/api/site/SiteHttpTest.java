package dev.baserdb.api.site;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.storage.Multipart;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.kernel.organization.Role;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;

import static dev.baserdb.api.site.Zips.zip;
import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.kernel.organization.Role.ADMIN;
import static dev.baserdb.kernel.organization.Role.AUDITOR;
import static dev.baserdb.kernel.organization.Role.DEVELOPER;
import static dev.baserdb.kernel.organization.Role.OWNER;
import static dev.baserdb.kernel.organization.Role.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sites and deploys over real HTTP (API.md §12): sites and their permissions, zip uploads and the
 * archives refused whole, file-by-file deploys, publish, rollback, diff, serving live and staged
 * with spa_mode, and which deploy was live as of an instant.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteHttpTest {

    static final String INDEX = "<!doctype html><html><head><title>v1</title></head><body>home</body></html>";

    @LocalServerPort
    int port;

    private Http http;
    private Accounts accounts;
    private Tenancy tenancy;
    private final Map<Role, Accounts.Account> member = new EnumMap<>(Role.class);
    private String organization;
    private Accounts.Account stranger;

    @BeforeAll
    void anOrganizationWithOneMemberPerRole() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new Tenancy(http);
        member.put(OWNER, accounts.anAccount());
        organization = tenancy.anOrganization(member.get(OWNER));
        for (Role role : List.of(ADMIN, DEVELOPER, AUDITOR, VIEWER)) {
            Accounts.Account account = accounts.anAccount();
            tenancy.addMember(member.get(OWNER), organization, account, role.wireName());
            member.put(role, account);
        }
        stranger = accounts.anAccount();
    }

    private Http as(Role role) {
        return http.bearer(member.get(role).accessToken());
    }

    /** A fresh project with a site: {projectId, siteId, subdomain}. */
    private Site aSite(boolean spaMode) {
        String project = tenancy.aProject(member.get(OWNER), organization).id();
        String subdomain = Tenancy.uniqueSlug("site");
        JsonNode site = ok(as(OWNER).post("/api/v1/projects/" + project + "/sites",
                Http.json("subdomain", subdomain, "spa_mode", spaMode)));
        return new Site(project, site.path("id").asText(), subdomain);
    }

    record Site(String project, String id, String subdomain) {
        String path() {
            return "/api/v1/projects/" + project + "/sites/" + id;
        }

        String deploys() {
            return path() + "/deploys";
        }
    }

    private static Http.Response uploadZip(Http as, Site site, byte[] zip, String label) {
        Multipart form = new Multipart().file("zipfile", "site.zip", zip, "application/zip");
        if (label != null) {
            form.field("label", label);
        }
        return as.send("POST", site.deploys(), form.bytes(), form.contentType());
    }

    private static byte[] aWebsite(String title) {
        return zip().file("index.html", INDEX.replace("v1", title))
                .file("css/site.css", "body { color: " + title.length() + "; }")
                .file("js/app.js", "console.log('" + title + "');")
                .file("docs/index.html", "<!doctype html><html><body>docs " + title + "</body></html>")
                .bytes();
    }

    private String deployOf(Site site, String title) {
        JsonNode deploy = ok(uploadZip(as(DEVELOPER), site, aWebsite(title), title));
        return deploy.path("id").asText();
    }

    // --- sites -----------------------------------------------------------------------------------------

    @Test
    void given_a_project_when_a_site_is_created_then_201_and_a_second_site_or_a_taken_subdomain_is_409() {
        String project = tenancy.aProject(member.get(OWNER), organization).id();
        String subdomain = Tenancy.uniqueSlug("docs");
        Http.Response created = as(DEVELOPER).post("/api/v1/projects/" + project + "/sites",
                Http.json("subdomain", subdomain, "spa_mode", true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode site = created.data();
        assertThat(site.path("id").asText()).matches("site_[0-9a-f]{32}");
        assertThat(site.path("subdomain").asText()).isEqualTo(subdomain);
        assertThat(site.path("spa_mode").asBoolean()).isTrue();
        assertThat(site.path("live_deploy_id").isNull()).isTrue();
        assertThat(site.path("url").asText()).endsWith("/sites/" + subdomain + "/");

        assertThat(as(OWNER).post("/api/v1/projects/" + project + "/sites", Http.json("subdomain",
                Tenancy.uniqueSlug("other"))).status()).isEqualTo(409);
        String other = tenancy.aProject(member.get(OWNER), organization).id();
        assertThat(as(OWNER).post("/api/v1/projects/" + other + "/sites", Http.json("subdomain", subdomain)).status())
                .isEqualTo(409);
        Http.Response list = as(VIEWER).get("/api/v1/projects/" + project + "/sites");
        assertThat(list.data().size()).isEqualTo(1);
        assertThat(as(VIEWER).get("/api/v1/projects/" + project + "/sites/" + site.path("id").asText()).status())
                .isEqualTo(200);
    }

    @Test
    void given_bad_input_or_another_tenant_when_creating_or_reading_sites_then_400_403_404() {
        String project = tenancy.aProject(member.get(OWNER), organization).id();
        String sites = "/api/v1/projects/" + project + "/sites";
        for (JsonNode body : List.of(Http.json("subdomain", "UPPER"), Http.json("subdomain", "a"),
                Http.json("subdomain", "under_score"), Http.json("spa_mode", true), Http.json("subdomain", 12))) {
            Http.Response refused = as(OWNER).post(sites, body);
            assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
        }
        assertThat(as(OWNER).send("POST", sites, "{", "application/json").status()).isEqualTo(400);
        assertThat(as(VIEWER).post(sites, Http.json("subdomain", Tenancy.uniqueSlug("v"))).status()).isEqualTo(403);
        assertThat(http.bearer(stranger.accessToken()).post(sites, Http.json("subdomain", Tenancy.uniqueSlug("s")))
                .status()).isEqualTo(404);
        assertThat(as(OWNER).get(sites).data().size()).isZero();
        Site site = aSite(false);
        Http strangerHttp = http.bearer(stranger.accessToken());
        assertThat(strangerHttp.get(site.path()).status()).isEqualTo(404);
        assertThat(strangerHttp.get(site.deploys()).status()).isEqualTo(404);
        assertThat(uploadZip(strangerHttp, site, aWebsite("x"), null).status()).isEqualTo(404);
        assertThat(strangerHttp.delete(site.path()).status()).isEqualTo(404);
        assertThat(as(OWNER).get("/api/v1/projects/" + project + "/sites/" + site.id()).status())
                .as("a site through another project's path").isEqualTo(404);
        assertThat(as(VIEWER).delete(site.path()).status()).isEqualTo(403);
        assertThat(uploadZip(as(VIEWER), site, aWebsite("x"), null).status()).isEqualTo(403);
        assertThat(uploadZip(http, site, aWebsite("x"), null).status()).isEqualTo(401);
        assertThat(as(DEVELOPER).get(site.path() + "/history").status()).isEqualTo(403);
    }

    // --- zip upload, publish, serving ----------------------------------------------------------------------

    @Test
    void given_a_zip_when_uploaded_then_staging_is_served_the_live_url_is_404_until_published() {
        Site site = aSite(false);
        Http.Response uploaded = uploadZip(as(DEVELOPER), site, aWebsite("v1"), "first");
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        JsonNode deploy = uploaded.data();
        assertThat(deploy.path("id").asText()).matches("dep_[0-9a-f]{32}");
        assertThat(deploy.path("status").asText()).isEqualTo("staging");
        assertThat(deploy.path("label").asText()).isEqualTo("first");
        assertThat(deploy.path("files").asInt()).isEqualTo(4);
        assertThat(deploy.path("size_bytes").asLong()).isPositive();
        assertThat(deploy.path("actor").path("id").asText()).isEqualTo(member.get(DEVELOPER).userId());

        String live = "/sites/" + site.subdomain() + "/";
        assertThat(http.get(live).status()).isEqualTo(404);
        Http.Response staged = http.get(live + "_staging/");
        assertThat(staged.status()).isEqualTo(200);
        assertThat(staged.text()).contains("<title>v1</title>");

        Http.Response published = as(DEVELOPER).post(site.deploys() + "/" + deploy.path("id").asText() + "/publish", null);
        assertThat(published.status()).as(published.toString()).isEqualTo(200);
        assertThat(published.data().path("status").asText()).isEqualTo("live");
        assertThat(published.data().path("published_at").asText()).isNotBlank();

        Http.Response home = http.get(live);
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.header("Content-Type")).startsWith("text/html");
        assertThat(home.header("ETag")).matches("\"[0-9a-f]{64}\"");
        assertThat(home.header("Cache-Control")).isNotBlank();
        assertThat(home.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(http.get(live + "css/site.css").header("Content-Type")).startsWith("text/css");
        assertThat(http.get(live + "js/app.js").header("Content-Type")).contains("javascript");
        assertThat(http.with("If-None-Match", home.header("ETag")).get(live).status()).isEqualTo(304);
        Http.Response directory = http.get(live + "docs");
        assertThat(directory.status()).isEqualTo(302);
        assertThat(directory.header("Location")).endsWith("/sites/" + site.subdomain() + "/docs/");
        assertThat(http.get(live + "docs/").text()).contains("docs v1");
        assertThat(http.get(live + "missing.html").status()).isEqualTo(404);
        assertThat(http.get(live + "missing.html").errorCode()).isEqualTo("NOT_FOUND");
        assertThat(http.get(live + "..%2f..%2fetc/passwd").status()).isIn(400, 404);
        assertThat(http.get(live + "%2e%2e/%2e%2e/pom.xml").status()).isIn(400, 404);
        assertThat(http.get("/sites/no-such-site-here/").status()).isEqualTo(404);
        assertThat(http.get(live + "_staging/").status()).as("nothing left in staging").isEqualTo(404);
    }

    @Test
    void given_spa_mode_when_an_unknown_path_is_asked_then_index_html_is_served() {
        Site site = aSite(true);
        String deploy = deployOf(site, "spa");
        ok(as(OWNER).post(site.deploys() + "/" + deploy + "/publish", null));
        Http.Response route = http.get("/sites/" + site.subdomain() + "/app/users/42");
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.text()).contains("<title>spa</title>");
    }

    @Test
    void given_two_publishes_then_the_first_is_superseded_diff_compares_them_and_rollback_brings_it_back() throws Exception {
        Site site = aSite(false);
        String first = deployOf(site, "v1");
        ok(as(OWNER).post(site.deploys() + "/" + first + "/publish", null));
        Instant whileFirstLive = Instant.now();
        awaitNextMillisecond(whileFirstLive);
        byte[] second = zip().file("index.html", INDEX.replace("v1", "v2"))
                .file("css/site.css", "body { color: 22; }")
                .file("docs/index.html", "<!doctype html><html><body>docs v1</body></html>")
                .file("new.html", "<p>new</p>").bytes();
        String secondId = ok(uploadZip(as(ADMIN), site, second, "second")).path("id").asText();

        Http.Response diff = as(VIEWER).get(site.deploys() + "/" + secondId + "/diff?vs=" + first);
        assertThat(diff.status()).as(diff.toString()).isEqualTo(200);
        assertThat(texts(diff.data().path("added"))).containsExactly("new.html");
        assertThat(texts(diff.data().path("removed"))).containsExactly("js/app.js");
        assertThat(texts(diff.data().path("modified"))).containsExactly("css/site.css", "index.html");
        assertThat(texts(diff.data().path("unchanged"))).containsExactly("docs/index.html");

        ok(as(ADMIN).post(site.deploys() + "/" + secondId + "/publish", null));
        Instant whileSecondLive = Instant.now();
        awaitNextMillisecond(whileSecondLive);
        assertThat(http.get("/sites/" + site.subdomain() + "/").text()).contains("v2");
        assertThat(status(site, first)).isEqualTo("superseded");
        assertThat(as(OWNER).post(site.deploys() + "/" + secondId + "/publish", null).status()).isEqualTo(409);
        assertThat(as(OWNER).post(site.deploys() + "/" + first + "/publish", null).status())
                .as("a deploy is published once; then it is rolled back to").isEqualTo(409);

        Http.Response rolledBack = as(OWNER).post(site.path() + "/rollback", Http.json("deploy_id", first));
        assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
        assertThat(rolledBack.data().path("live_deploy_id").asText()).isEqualTo(first);
        assertThat(http.get("/sites/" + site.subdomain() + "/").text()).contains("<title>v1</title>");
        assertThat(status(site, first)).isEqualTo("live");
        assertThat(status(site, secondId)).isEqualTo("superseded");
        assertThat(as(OWNER).post(site.path() + "/rollback", Http.json("deploy_id", first)).status()).isEqualTo(409);
        String neverLive = deployOf(site, "v3");
        assertThat(as(OWNER).post(site.path() + "/rollback", Http.json("deploy_id", neverLive)).status()).isEqualTo(409);
        assertThat(as(OWNER).post(site.path() + "/rollback", Http.json("deploy_id", "dep_" + "0".repeat(32))).status())
                .isEqualTo(400);

        // as_of: which deploy was live at each instant
        assertThat(as(OWNER).get(site.path() + "?as_of=" + whileFirstLive).data().path("live_deploy_id").asText())
                .isEqualTo(first);
        assertThat(as(OWNER).get(site.path() + "?as_of=" + whileSecondLive).data().path("live_deploy_id").asText())
                .isEqualTo(secondId);
        assertThat(as(OWNER).get(site.deploys() + "/" + secondId + "?as_of=" + whileFirstLive).status())
                .as("not yet uploaded").isEqualTo(404);
        assertThat(as(OWNER).get(site.deploys() + "/" + first + "?as_of=" + whileSecondLive).data().path("status")
                .asText()).isEqualTo("superseded");
        Http.Response listThen = as(OWNER).get(site.deploys() + "?as_of=" + whileFirstLive);
        assertThat(listThen.data().size()).isEqualTo(1);
        assertThat(listThen.data().get(0).path("status").asText()).isEqualTo("live");
        Http.Response list = as(OWNER).get(site.deploys());
        assertThat(list.data().get(0).path("id").asText()).as("newest first").isEqualTo(neverLive);

        // history: every upload, publish and rollback, with its actor
        Http.Response history = as(AUDITOR).get(site.path() + "/history");
        assertThat(history.status()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        for (JsonNode entry : history.data()) {
            types.add(entry.path("type").asText());
            assertThat(entry.path("actor").path("id").asText()).isNotBlank();
        }
        assertThat(types).containsSubsequence("site.created", "deploy.uploaded", "deploy.published",
                "site.live_deploy_changed", "deploy.uploaded", "deploy.published", "site.live_deploy_changed",
                "deploy.rolled_back", "site.live_deploy_changed");
    }

    /**
     * A rollback writes the deploy's event and then the site's in one transaction; events keep their
     * time to the millisecond, so the two often share it. Axon's event clock held still for the
     * rollback makes them always share it: the history still lists them in the order they happened.
     */
    @Test
    void given_a_rollback_whose_two_events_share_a_millisecond_then_the_history_lists_the_deploys_first() {
        Site site = aSite(false);
        String first = deployOf(site, "v1");
        ok(as(OWNER).post(site.deploys() + "/" + first + "/publish", null));
        String second = deployOf(site, "v2");
        ok(as(OWNER).post(site.deploys() + "/" + second + "/publish", null));
        Instant published = Instant.now();
        awaitNextMillisecond(published);

        Clock eventClock = GenericEventMessage.clock;
        GenericEventMessage.clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        try {
            ok(as(OWNER).post(site.path() + "/rollback", Http.json("deploy_id", first)));
        } finally {
            GenericEventMessage.clock = eventClock;
        }

        List<JsonNode> history = new ArrayList<>();
        ok(as(AUDITOR).get(site.path() + "/history")).forEach(history::add);
        List<JsonNode> rollback = history.subList(history.size() - 2, history.size());
        assertThat(rollback).extracting(entry -> entry.path("type").asText())
                .containsExactly("deploy.rolled_back", "site.live_deploy_changed");
        assertThat(rollback.get(0).path("occurred_at").asText()).as("one instant")
                .isEqualTo(rollback.get(1).path("occurred_at").asText());
        assertThat(history.get(history.size() - 3).path("type").asText()).isEqualTo("site.live_deploy_changed");
    }

    @Test
    void given_a_pending_deploy_when_files_are_added_removed_and_it_is_finalized_then_it_moves_to_staging() {
        Site site = aSite(false);
        Http.Response opened = as(DEVELOPER).post(site.deploys() + "/open", Http.json("label", "by hand"));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        assertThat(opened.data().path("status").asText()).isEqualTo("pending");
        String deploy = site.deploys() + "/" + opened.data().path("id").asText();
        assertThat(as(DEVELOPER).post(deploy + "/finalize", null).status()).as("empty").isEqualTo(422);

        Http.Response added = as(DEVELOPER).send("PUT", deploy + "/files?path=index.html", INDEX, "text/html");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.data().path("content_type").asText()).startsWith("text/html");
        ok(as(DEVELOPER).send("PUT", deploy + "/files?path=extra.txt", "extra", "text/plain"));
        assertThat(texts(as(VIEWER).get(deploy + "/files").data().findValues("path")))
                .containsExactly("extra.txt", "index.html");
        assertThat(as(DEVELOPER).delete(deploy + "/files?path=extra.txt").status()).isEqualTo(200);
        assertThat(as(DEVELOPER).delete(deploy + "/files?path=extra.txt").status()).isEqualTo(404);
        for (String bad : List.of("../x.html", "/abs.html", "a%5Cb.html", "C:%2Fx.html", "run.sh", "a//b.html")) {
            Http.Response refused = as(DEVELOPER).send("PUT", deploy + "/files?path=" + bad, "x", "text/plain");
            assertThat(refused.status()).as(bad + " → " + refused).isEqualTo(400);
        }
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        assertThat(as(DEVELOPER).send("PUT", deploy + "/files?path=image.png", elf, "image/png").status())
                .as("a program whatever its name").isEqualTo(400);
        assertThat(as(DEVELOPER).send("PUT", deploy + "/files", "x", "text/plain").status()).isEqualTo(400);
        assertThat(as(VIEWER).send("PUT", deploy + "/files?path=v.html", "x", "text/plain").status()).isEqualTo(403);
        assertThat(http.bearer(stranger.accessToken()).send("PUT", deploy + "/files?path=s.html", "x", "text/plain")
                .status()).isEqualTo(404);

        Http.Response finalized = as(DEVELOPER).post(deploy + "/finalize", null);
        assertThat(finalized.status()).as(finalized.toString()).isEqualTo(200);
        assertThat(finalized.data().path("status").asText()).isEqualTo("staging");
        assertThat(finalized.data().path("files").asInt()).isEqualTo(1);
        assertThat(as(DEVELOPER).send("PUT", deploy + "/files?path=late.html", "x", "text/plain").status())
                .isEqualTo(409);
        assertThat(as(DEVELOPER).delete(deploy + "/files?path=index.html").status()).isEqualTo(409);
        assertThat(as(DEVELOPER).post(deploy + "/finalize", null).status()).isEqualTo(409);
        assertThat(http.get("/sites/" + site.subdomain() + "/_staging/").text()).contains("home");
    }

    @Test
    void given_a_deleted_site_or_project_then_nothing_is_served_and_the_subdomain_is_free_again() {
        Site site = aSite(false);
        String deploy = deployOf(site, "gone");
        ok(as(OWNER).post(site.deploys() + "/" + deploy + "/publish", null));
        assertThat(http.get("/sites/" + site.subdomain() + "/").status()).isEqualTo(200);
        ok(as(OWNER).delete("/api/v1/projects/" + site.project()));
        assertThat(http.get("/sites/" + site.subdomain() + "/").status()).isEqualTo(404);
        String project = tenancy.aProject(member.get(OWNER), organization).id();
        assertThat(as(OWNER).post("/api/v1/projects/" + project + "/sites", Http.json("subdomain", site.subdomain()))
                .status()).isEqualTo(201);

        Site other = aSite(false);
        ok(as(OWNER).post(other.deploys() + "/" + deployOf(other, "x") + "/publish", null));
        assertThat(as(DEVELOPER).delete(other.path()).status()).isEqualTo(200);
        assertThat(http.get("/sites/" + other.subdomain() + "/").status()).isEqualTo(404);
        assertThat(as(OWNER).get(other.path()).status()).isEqualTo(404);
        assertThat(as(AUDITOR).get(other.path() + "/history").status()).as("history outlives the site").isEqualTo(200);
    }

    @Test
    void given_another_tenant_then_every_site_and_deploy_route_is_404_and_bad_ids_or_bodies_are_404_or_400() {
        Site site = aSite(false);
        String deploy = deployOf(site, "t");
        String pending = ok(as(OWNER).post(site.deploys() + "/open", null)).path("id").asText();
        String d = site.deploys() + "/" + deploy;
        Http strangerHttp = http.bearer(stranger.accessToken());
        List<Http.Response> answers = List.of(
                strangerHttp.get("/api/v1/projects/" + site.project() + "/sites"),
                strangerHttp.get(site.path()),
                strangerHttp.get(site.path() + "/history"),
                strangerHttp.post(site.path() + "/rollback", Http.json("deploy_id", deploy)),
                strangerHttp.get(site.deploys()),
                strangerHttp.post(site.deploys() + "/open", null),
                strangerHttp.get(d),
                strangerHttp.get(d + "/files"),
                strangerHttp.delete(site.deploys() + "/" + pending + "/files?path=a.html"),
                strangerHttp.post(site.deploys() + "/" + pending + "/finalize", null),
                strangerHttp.post(d + "/publish", null),
                strangerHttp.get(d + "/diff?vs=" + deploy),
                strangerHttp.get(d + "/history"));
        for (Http.Response answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
            assertThat(answer.errorCode()).isEqualTo("NOT_FOUND");
        }
        assertThat(as(VIEWER).post(d + "/publish", null).status()).isEqualTo(403);
        assertThat(as(VIEWER).post(site.deploys() + "/open", null).status()).isEqualTo(403);
        assertThat(as(VIEWER).post(site.path() + "/rollback", Http.json("deploy_id", deploy)).status()).isEqualTo(403);
        assertThat(as(DEVELOPER).get(d + "/history").status()).isEqualTo(403);
        assertThat(as(AUDITOR).get(d + "/history").status()).isEqualTo(200);
        assertThat(as(OWNER).get(site.deploys() + "/dep_" + "0".repeat(32)).status()).isEqualTo(404);
        assertThat(as(OWNER).get(site.deploys() + "/not-an-id").status()).isEqualTo(404);
        assertThat(as(OWNER).get("/api/v1/projects/" + site.project() + "/sites/not-an-id").status()).isEqualTo(404);
        assertThat(as(OWNER).get(d + "/diff").status()).isEqualTo(400);
        assertThat(as(OWNER).get(d + "/diff?vs=dep_" + "0".repeat(32)).status()).isEqualTo(400);
        assertThat(as(OWNER).post(site.path() + "/rollback", Http.json()).status()).isEqualTo(400);
        assertThat(as(OWNER).send("POST", site.path() + "/rollback", "{", "application/json").status()).isEqualTo(400);
        assertThat(as(OWNER).post(site.deploys() + "/open", Http.json("label", "x".repeat(201))).status()).isEqualTo(400);
        assertThat(as(OWNER).get(site.path() + "?as_of=not-a-time").status()).isEqualTo(400);
    }

    // --- zip safety: refused whole, nothing stored ---------------------------------------------------------

    @Test
    void given_hostile_archives_when_uploaded_then_each_is_refused_whole_naming_the_entry_and_nothing_is_stored()
            throws IOException {
        Site site = aSite(false);
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};
        byte[] pe = {'M', 'Z', (byte) 0x90, 0, 3, 0};
        byte[] machO = {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe, 7, 0, 0, 1};
        Map<String, byte[]> archives = new java.util.LinkedHashMap<>();
        archives.put("../evil.html", zip().file("index.html", "ok").file("../evil.html", "x").bytes());
        archives.put("a/../../evil.html", zip().file("a/../../evil.html", "x").bytes());
        archives.put("/etc/passwd", zip().file("/etc/passwd", "x").bytes());
        archives.put("C:/windows/x.html", zip().file("C:/windows/x.html", "x").bytes());
        archives.put("a\\b.html", Zips.verbatim("a\\b.html", "x"));
        archives.put("link.html", zip().file("index.html", "ok").symlink("link.html", "/etc/passwd").bytes());
        archives.put("pipe", zip().fifo("pipe").bytes());
        archives.put("deploy.sh", zip().file("deploy.sh", "#!/bin/sh").bytes());
        archives.put("tool.EXE", zip().file("tool.EXE", "x").bytes());
        archives.put("index.php", zip().file("index.php", "<?php").bytes());
        archives.put("logo.png", zip().file("index.html", "ok").stored("logo.png", elf).bytes());
        archives.put("setup.jpg", zip().stored("setup.jpg", pe).bytes());
        archives.put("app.gif", zip().stored("app.gif", machO).bytes());
        archives.put("index.html twice", zip().file("index.html", "a").file("index.html", "b").bytes());
        archives.put("empty", zip().bytes());
        archives.put("not a zip", "this is not a zip file at all".getBytes());
        long deploysBefore = as(OWNER).get(site.deploys()).data().size();
        for (Map.Entry<String, byte[]> archive : archives.entrySet()) {
            Http.Response refused = uploadZip(as(OWNER), site, archive.getValue(), null);
            assertThat(refused.status()).as(archive.getKey() + " → " + refused).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("VALIDATION_FAILED");
            String named = archive.getKey().split(" ")[0];
            if (!named.equals("empty") && !named.equals("not")) {
                assertThat(refused.body().path("error").path("details").path("zipfile").asText())
                        .as(archive.getKey()).contains(named);
            }
        }
        assertThat(as(OWNER).get(site.deploys()).data().size()).isEqualTo(deploysBefore);
        assertThat(as(OWNER).send("POST", site.deploys(), "x", "text/plain").status()).isEqualTo(415);
        assertThat(as(OWNER).send("POST", site.deploys(), new Multipart().field("label", "x").bytes(),
                "multipart/form-data; boundary=nope").status()).isEqualTo(400);
    }

    @Test
    void given_more_than_10000_entries_when_uploaded_then_refused() {
        Site site = aSite(false);
        Zips many = zip();
        for (int i = 0; i <= 10_000; i++) {
            many.stored("f" + i + ".txt", new byte[0]);
        }
        Http.Response refused = uploadZip(as(OWNER), site, many.bytes(), null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body().path("error").path("details").path("zipfile").asText()).contains("10000");
    }

    @Test
    void given_an_archive_over_50_MB_or_expanding_beyond_it_when_uploaded_then_refused() {
        Site site = aSite(false);
        byte[] noise = new byte[50 * 1024 * 1024 + 1024];
        new Random(3).nextBytes(noise);
        Http.Response tooBig = uploadZip(as(OWNER), site, zip().stored("noise.bin", noise).bytes(), null);
        assertThat(tooBig.status()).as(tooBig.toString()).isIn(400, 413);
        noise = null;

        Http.Response expands = uploadZip(as(OWNER), site,
                zip().file("a.html", new byte[30 * 1024 * 1024]).file("b.html", new byte[30 * 1024 * 1024]).bytes(), null);
        assertThat(expands.status()).as(expands.toString()).isEqualTo(400);
        assertThat(expands.body().path("error").path("details").path("zipfile").asText()).startsWith("b.html");
        assertThat(as(OWNER).get(site.deploys()).data().size()).isZero();
    }

    @Test
    void given_a_1_KB_zip_that_inflates_to_1_GB_when_uploaded_then_inflating_stops_at_the_limit() throws IOException {
        Site site = aSite(false);
        byte[] bomb;
        try (InputStream in = getClass().getResourceAsStream("/zips/bomb-1gb-bzip2.zip")) {
            bomb = in.readAllBytes();
        }
        assertThat(bomb.length).isLessThan(1024);
        long started = System.nanoTime();
        Http.Response refused = uploadZip(as(OWNER), site, bomb, null);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body().path("error").path("details").path("zipfile").asText())
                .startsWith("zeros.html").contains("beyond");
        assertThat(took).as("inflating 1 GB would take far longer than stopping at 50 MB")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(as(OWNER).get(site.deploys()).data().size()).isZero();
    }

    // ------------------------------------------------------------------------------------------------------

    private String status(Site site, String deploy) {
        return as(OWNER).get(site.deploys() + "/" + deploy).data().path("status").asText();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }

    private static void awaitNextMillisecond(Instant after) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> Instant.now().isAfter(after.plusMillis(2)));
    }
}
