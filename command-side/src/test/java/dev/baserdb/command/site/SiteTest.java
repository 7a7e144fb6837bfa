package dev.baserdb.command.site;

import dev.baserdb.kernel.id.DeployId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.SiteId;
import dev.baserdb.kernel.site.SiteCommands.ChangeLiveDeploy;
import dev.baserdb.kernel.site.SiteCommands.CreateSite;
import dev.baserdb.kernel.site.SiteCommands.DeleteSite;
import dev.baserdb.kernel.site.SiteEvents.SiteCreated;
import dev.baserdb.kernel.site.SiteEvents.SiteDeleted;
import dev.baserdb.kernel.site.SiteEvents.SiteLiveDeployChanged;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.CONFLICT;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;

/** The Site aggregate: creation, and each change of the live deploy recording the one it replaced. */
class SiteTest {

    private static final SiteId SITE = SiteId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final DeployId FIRST = DeployId.generate();
    private static final DeployId SECOND = DeployId.generate();

    private FixtureConfiguration<Site> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Site.class);
    }

    private static SiteCreated aSite() {
        return new SiteCreated(SITE, PROJECT, ORG, "docs", true);
    }

    @Test
    void given_nothing_when_created_then_SiteCreated_and_a_bad_subdomain_is_400() {
        fixture.givenNoPriorActivity().when(new CreateSite(SITE, PROJECT, ORG, "docs", true)).expectEvents(aSite());
        fixture.givenNoPriorActivity().when(new CreateSite(SITE, PROJECT, ORG, "Not_A_Subdomain", false))
                .expectNoEvents().expectException(withCode(VALIDATION_FAILED));
    }

    @Test
    void given_a_site_when_a_first_deploy_goes_live_then_no_previous_is_recorded() {
        fixture.given(aSite()).when(new ChangeLiveDeploy(SITE, FIRST, false))
                .expectEvents(new SiteLiveDeployChanged(SITE, PROJECT, ORG, FIRST, null, false));
    }

    @Test
    void given_a_live_deploy_when_another_goes_live_then_it_names_the_one_it_replaced() {
        fixture.given(aSite(), new SiteLiveDeployChanged(SITE, PROJECT, ORG, FIRST, null, false))
                .when(new ChangeLiveDeploy(SITE, SECOND, false))
                .expectEvents(new SiteLiveDeployChanged(SITE, PROJECT, ORG, SECOND, FIRST, false));
        fixture.given(aSite(), new SiteLiveDeployChanged(SITE, PROJECT, ORG, FIRST, null, false),
                        new SiteLiveDeployChanged(SITE, PROJECT, ORG, SECOND, FIRST, false))
                .when(new ChangeLiveDeploy(SITE, FIRST, true))
                .expectEvents(new SiteLiveDeployChanged(SITE, PROJECT, ORG, FIRST, SECOND, true));
    }

    @Test
    void given_a_live_deploy_when_it_is_made_live_again_then_409() {
        fixture.given(aSite(), new SiteLiveDeployChanged(SITE, PROJECT, ORG, FIRST, null, false))
                .when(new ChangeLiveDeploy(SITE, FIRST, true))
                .expectNoEvents().expectException(withCode(CONFLICT));
    }

    @Test
    void given_a_deleted_site_when_anything_then_404() {
        fixture.given(aSite(), new SiteDeleted(SITE, PROJECT, ORG)).when(new ChangeLiveDeploy(SITE, FIRST, false))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
        fixture.given(aSite()).when(new DeleteSite(SITE, null)).expectEvents(new SiteDeleted(SITE, PROJECT, ORG));
    }
}
