package dev.baserdb.command.credential;

import dev.baserdb.kernel.credential.CredentialCommands.CreateCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RevealCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RevealDecision;
import dev.baserdb.kernel.credential.CredentialCommands.RevokeCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RotateCredential;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialCreated;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealDenied;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealed;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevoked;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRotated;
import dev.baserdb.kernel.credential.CredentialKinds;
import dev.baserdb.kernel.credential.RevealDenial;
import dev.baserdb.kernel.credential.RevealPolicy;
import dev.baserdb.kernel.id.CredentialId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;

/** The Credential aggregate: creation, the reveal policy decided from the caller's facts, rotation, revocation. */
class CredentialTest {

    private static final CredentialId CREDENTIAL = CredentialId.generate();
    private static final ProjectId PROJECT = ProjectId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final String SEALED = "pd1:" + PROJECT.value() + ":c2VhbGVk";
    private static final String RESEALED = "pd1:" + PROJECT.value() + ":cmVzZWFsZWQ";
    private static final String ROLE = CredentialKinds.loginRole(CREDENTIAL);

    private FixtureConfiguration<Credential> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Credential.class);
    }

    private static CredentialCreated aCredential(RevealPolicy policy) {
        return new CredentialCreated(CREDENTIAL, PROJECT, ORG, "reporting", CredentialKinds.POSTGRES_READONLY, policy,
                ROLE, null, SEALED);
    }

    private static RevealCredential revealBy(String role, String reason) {
        return new RevealCredential(CREDENTIAL, role, true, true, reason, false);
    }

    @Test
    void given_nothing_when_created_then_CredentialCreated_with_only_the_sealed_secret() {
        fixture.givenNoPriorActivity()
                .when(new CreateCredential(CREDENTIAL, PROJECT, ORG, "reporting", CredentialKinds.POSTGRES_READONLY,
                        RevealPolicy.DEFAULT, ROLE, null, SEALED))
                .expectSuccessfulHandlerExecution()
                .expectEvents(aCredential(RevealPolicy.DEFAULT));
    }

    @Test
    void given_the_default_policy_when_an_owner_reveals_with_a_reason_then_granted_and_recorded() {
        fixture.given(aCredential(RevealPolicy.DEFAULT))
                .when(revealBy("owner", "  quarterly report  "))
                .expectResultMessagePayload(RevealDecision.grant())
                .expectEvents(new CredentialRevealed(CREDENTIAL, PROJECT, ORG, "quarterly report"));
    }

    @Test
    void given_the_default_policy_when_a_developer_reveals_then_denied_for_the_role_and_recorded() {
        fixture.given(aCredential(RevealPolicy.DEFAULT))
                .when(revealBy("developer", "debugging"))
                .expectResultMessagePayload(RevealDecision.deny(RevealDenial.ROLE_NOT_ALLOWED))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, "debugging",
                        RevealDenial.ROLE_NOT_ALLOWED));
    }

    @Test
    void given_a_policy_listing_a_role_the_matrix_refuses_when_that_role_reveals_then_denied_for_the_role() {
        fixture.given(aCredential(new RevealPolicy(List.of("owner", "auditor"), false, false)))
                .when(new RevealCredential(CREDENTIAL, "auditor", false, true, null, false))
                .expectResultMessagePayload(RevealDecision.deny(RevealDenial.ROLE_NOT_ALLOWED))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, null, RevealDenial.ROLE_NOT_ALLOWED));
    }

    @Test
    void given_a_policy_of_owners_only_when_an_admin_reveals_then_denied_for_the_role() {
        fixture.given(aCredential(new RevealPolicy(List.of("owner"), false, true)))
                .when(revealBy("admin", "audit"))
                .expectResultMessagePayload(RevealDecision.deny(RevealDenial.ROLE_NOT_ALLOWED))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, "audit", RevealDenial.ROLE_NOT_ALLOWED));
    }

    @Test
    void given_a_caller_outside_the_organization_when_revealing_then_denied_for_the_role() {
        fixture.given(aCredential(RevealPolicy.DEFAULT))
                .when(new RevealCredential(CREDENTIAL, null, false, false, "x", false))
                .expectResultMessagePayload(RevealDecision.deny(RevealDenial.ROLE_NOT_ALLOWED))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, "x", RevealDenial.ROLE_NOT_ALLOWED));
    }

    @Test
    void given_a_token_without_the_reveal_scope_when_revealing_then_denied_for_the_scope() {
        fixture.given(aCredential(RevealPolicy.DEFAULT))
                .when(new RevealCredential(CREDENTIAL, "owner", true, false, "report", false))
                .expectResultMessagePayload(RevealDecision.deny(RevealDenial.SCOPE_MISSING))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, "report", RevealDenial.SCOPE_MISSING));
    }

    @Test
    void given_a_reason_is_required_when_none_or_a_blank_one_is_given_then_denied_for_the_reason() {
        fixture.given(aCredential(RevealPolicy.DEFAULT))
                .when(revealBy("admin", "   "))
                .expectResultMessagePayload(RevealDecision.deny(RevealDenial.REASON_REQUIRED))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, null, RevealDenial.REASON_REQUIRED));
    }

    @Test
    void given_no_reason_is_required_when_none_is_given_then_granted() {
        fixture.given(aCredential(new RevealPolicy(List.of("owner", "admin"), false, false)))
                .when(revealBy("admin", null))
                .expectResultMessagePayload(RevealDecision.grant())
                .expectEvents(new CredentialRevealed(CREDENTIAL, PROJECT, ORG, null));
    }

    @Test
    void given_mfa_is_required_when_the_request_proves_no_second_factor_then_denied_for_mfa() {
        fixture.given(aCredential(new RevealPolicy(List.of("owner"), true, true)))
                .when(revealBy("owner", "incident 42"))
                .expectResultMessagePayload(RevealDecision.deny(RevealDenial.MFA_REQUIRED))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, "incident 42",
                        RevealDenial.MFA_REQUIRED));
    }

    @Test
    void given_mfa_is_required_when_the_request_proves_a_second_factor_then_granted() {
        fixture.given(aCredential(new RevealPolicy(List.of("owner"), true, true)))
                .when(new RevealCredential(CREDENTIAL, "owner", true, true, "incident 42", true))
                .expectResultMessagePayload(RevealDecision.grant())
                .expectEvents(new CredentialRevealed(CREDENTIAL, PROJECT, ORG, "incident 42"));
    }

    @Test
    void given_a_role_refused_and_no_reason_when_revealing_then_the_role_is_the_denial() {
        fixture.given(aCredential(new RevealPolicy(List.of("owner"), true, true)))
                .when(revealBy("admin", null))
                .expectEvents(new CredentialRevealDenied(CREDENTIAL, PROJECT, ORG, null, RevealDenial.ROLE_NOT_ALLOWED));
    }

    @Test
    void given_a_credential_when_rotated_then_CredentialRotated_with_the_new_sealed_secret() {
        fixture.given(aCredential(RevealPolicy.DEFAULT))
                .when(new RotateCredential(CREDENTIAL, RESEALED))
                .expectEvents(new CredentialRotated(CREDENTIAL, PROJECT, ORG, RESEALED));
    }

    @Test
    void given_a_credential_when_revoked_then_CredentialRevoked() {
        fixture.given(aCredential(RevealPolicy.DEFAULT))
                .when(new RevokeCredential(CREDENTIAL, null))
                .expectEvents(new CredentialRevoked(CREDENTIAL, PROJECT, ORG));
    }

    @Test
    void given_a_revoked_credential_when_revealed_rotated_or_revoked_then_not_found_and_no_event() {
        CredentialRevoked revoked = new CredentialRevoked(CREDENTIAL, PROJECT, ORG);
        fixture.given(aCredential(RevealPolicy.DEFAULT), revoked)
                .when(revealBy("owner", "why"))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
        fixture.given(aCredential(RevealPolicy.DEFAULT), revoked)
                .when(new RotateCredential(CREDENTIAL, RESEALED))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
        fixture.given(aCredential(RevealPolicy.DEFAULT), revoked)
                .when(new RevokeCredential(CREDENTIAL, null))
                .expectNoEvents().expectException(withCode(NOT_FOUND));
    }
}
