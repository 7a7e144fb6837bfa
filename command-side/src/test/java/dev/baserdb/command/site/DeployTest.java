package dev.baserdb.command.site;

import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import dev.baserdb.kernel.site.DeployCommands.AddDeployFile;
import dev.baserdb.kernel.site.DeployCommands.FinalizeDeploy;
import dev.baserdb.kernel.site.DeployCommands.OpenDeploy;
import dev.baserdb.kernel.site.DeployCommands.PublishDeploy;
import dev.baserdb.kernel.site.DeployCommands.RemoveDeployFile;
import dev.baserdb.kernel.site.DeployCommands.RollBackToDeploy;
import dev.baserdb.kernel.site.DeployCommands.UploadDeploy;
import dev.baserdb.kernel.site.DeployEvents.DeployFileAdded;
import dev.baserdb.kernel.site.DeployEvents.DeployFileRemoved;
import dev.baserdb.kernel.site.DeployEvents.DeployFinalized;
import dev.baserdb.kernel.site.DeployEvents.DeployOpened;
import dev.baserdb.kernel.site.DeployEvents.DeployPublished;
import dev.baserdb.kernel.site.DeployEvents.DeployRolledBack;
import dev.baserdb.kernel.site.DeployEvents.DeployUploaded;
import dev.baserdb.kernel.site.DeployFile;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.CONFLICT;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.PAYLOAD_TOO_LARGE;
import static dev.baserdb.kernel.error.ErrorCode.UNPROCESSABLE;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;

/** The Deploy aggregate: files while pending, staging, publish once, rollback to a deploy that was live. */
class DeployTest {

    private static final DeployId DEPLOY = DeployId.generate();
    private static final SiteId SITE = SiteId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final DeployFile INDEX = new DeployFile("index.html", "a".repeat(64), 100, "text/html");
    private static final DeployFile CSS = new DeployFile("css/site.css", "b".repeat(64), 50, "text/css");

    private FixtureConfiguration<Deploy> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Deploy.class);
    }

    private static DeployOpened opened() {
        return new DeployOpened(DEPLOY, SITE, PROJECT, ORG, "v1");
    }

    private static DeployUploaded uploaded() {
        return new DeployUploaded(DEPLOY, SITE, PROJECT, ORG, "v1", List.of(INDEX, CSS), 150);
    }

    @Test
    void given_nothing_when_an_archive_is_uploaded_then_DeployUploaded_with_its_files_and_size() {
        fixture.givenNoPriorActivity()
                .when(new UploadDeploy(DEPLOY, SITE, PROJECT, ORG, " v1 ", List.of(INDEX, CSS)))
                .expectEvents(uploaded());
    }

    @Test
    void given_nothing_when_an_archive_is_empty_or_names_a_file_twice_or_climbs_out_then_refused() {
        fixture.givenNoPriorActivity().when(new UploadDeploy(DEPLOY, SITE, PROJECT, ORG, null, List.of()))
                .expectNoEvents().expectException(withCode(UNPROCESSABLE));
        fixture.givenNoPriorActivity().when(new UploadDeploy(DEPLOY, SITE, PROJECT, ORG, null, List.of(INDEX, INDEX)))
                .expectNoEvents().expectException(withCode(VALIDATION_FAILED));
        fixture.givenNoPriorActivity().when(new UploadDeploy(DEPLOY, SITE, PROJECT, ORG, null,
                        List.of(new DeployFile("../etc/passwd", "c".repeat(64), 1, "text/plain"))))
                .expectNoEvents().expectException(withCode(VALIDATION_FAILED));
        fixture.givenNoPriorActivity().when(new UploadDeploy(DEPLOY, SITE, PROJECT, ORG, null,
                        List.of(new DeployFile("run.sh", "c".repeat(64), 1, "text/plain"))))
                .expectNoEvents().expectException(withCode(VALIDATION_FAILED));
        fixture.givenNoPriorActivity().when(new UploadDeploy(DEPLOY, SITE, PROJECT, ORG, null,
                        List.of(new DeployFile("big.bin", "c".repeat(64), 50L * 1024 * 1024 + 1, "application/octet-stream"))))
                .expectNoEvents().expectException(withCode(PAYLOAD_TOO_LARGE));
    }

    @Test
    void given_a_pending_deploy_when_files_are_added_and_removed_then_events() {
        fixture.given(opened()).when(new AddDeployFile(DEPLOY, INDEX))
                .expectEvents(new DeployFileAdded(DEPLOY, SITE, PROJECT, ORG, INDEX));
        fixture.given(opened(), new DeployFileAdded(DEPLOY, SITE, PROJECT, ORG, INDEX))
                .when(new RemoveDeployFile(DEPLOY, "index.html"))
                .expectEvents(new DeployFileRemoved(DEPLOY, SITE, PROJECT, ORG, "index.html"));
        fixture.given(opened()).when(new RemoveDeployFile(DEPLOY, "index.html"))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
    }

    @Test
    void given_a_pending_deploy_when_finalized_then_staging_and_an_empty_one_is_422() {
        fixture.given(opened(), new DeployFileAdded(DEPLOY, SITE, PROJECT, ORG, INDEX))
                .when(new FinalizeDeploy(DEPLOY))
                .expectEvents(new DeployFinalized(DEPLOY, SITE, PROJECT, ORG, 1, 100));
        fixture.given(opened()).when(new FinalizeDeploy(DEPLOY))
                .expectNoEvents().expectException(withCode(UNPROCESSABLE));
    }

    @Test
    void given_a_staged_deploy_when_a_file_is_added_or_it_is_finalized_again_then_409() {
        fixture.given(uploaded()).when(new AddDeployFile(DEPLOY, INDEX))
                .expectNoEvents().expectException(withCode(CONFLICT));
        fixture.given(uploaded()).when(new FinalizeDeploy(DEPLOY))
                .expectNoEvents().expectException(withCode(CONFLICT));
    }

    @Test
    void given_a_staged_deploy_when_published_then_DeployPublished_once() {
        fixture.given(uploaded()).when(new PublishDeploy(DEPLOY))
                .expectEvents(new DeployPublished(DEPLOY, SITE, PROJECT, ORG));
        fixture.given(uploaded(), new DeployPublished(DEPLOY, SITE, PROJECT, ORG)).when(new PublishDeploy(DEPLOY))
                .expectNoEvents().expectException(withCode(CONFLICT));
        fixture.given(opened()).when(new PublishDeploy(DEPLOY))
                .expectNoEvents().expectException(withCode(CONFLICT));
    }

    @Test
    void given_a_deploy_that_was_live_when_rolled_back_to_then_DeployRolledBack_and_never_live_is_409() {
        fixture.given(uploaded(), new DeployPublished(DEPLOY, SITE, PROJECT, ORG)).when(new RollBackToDeploy(DEPLOY))
                .expectEvents(new DeployRolledBack(DEPLOY, SITE, PROJECT, ORG));
        fixture.given(uploaded()).when(new RollBackToDeploy(DEPLOY))
                .expectNoEvents().expectException(withCode(CONFLICT));
    }
}
