package dev.baserdb.command.identity;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.ApiTokenId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.ApiTokenCommands.CreateApiToken;
import dev.baserdb.kernel.identity.ApiTokenCommands.RevokeApiToken;
import dev.baserdb.kernel.identity.ApiTokenEvents.ApiTokenCreated;
import dev.baserdb.kernel.identity.ApiTokenEvents.ApiTokenRevoked;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.baserdb.command.ErrorCodeMatcher.withCode;
import static dev.baserdb.kernel.error.ErrorCode.NOT_FOUND;
import static dev.baserdb.kernel.error.ErrorCode.VALIDATION_FAILED;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.instanceOf;

/** Personal access tokens: scopes checked, expiry in the future, revoked only by their owner, once. */
class ApiTokenTest {

    private static final ApiTokenId TOKEN = ApiTokenId.generate();
    private static final UserId OWNER = UserId.generate();
    private static final OrganizationId ORG = OrganizationId.generate();
    private static final String TOKEN_HASH = "c".repeat(64);
    /** The fixture's clock: the aggregate compares expires_at with it. */
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private FixtureConfiguration<ApiToken> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ApiToken.class);
    }

    private static CreateApiToken aTokenRequest(Set<String> scopes, Instant expiresAt) {
        return new CreateApiToken(TOKEN, OWNER, "ci", scopes, ORG, expiresAt, TOKEN_HASH);
    }

    private static ApiTokenCreated aToken() {
        return new ApiTokenCreated(TOKEN, OWNER, "ci", List.of("read"), ORG, null, TOKEN_HASH);
    }

    private static Matcher<BaserDbException> aValidationFailureOf(String field) {
        return allOf(withCode(VALIDATION_FAILED), exceptionWithDetail(field));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Matcher<BaserDbException> exceptionWithDetail(String field) {
        return new org.hamcrest.FeatureMatcher<BaserDbException, java.util.Map<String, String>>(
                (Matcher) hasKey(field), "details", "details") {
            @Override
            protected java.util.Map<String, String> featureValueOf(BaserDbException actual) {
                return actual.details();
            }
        };
    }

    @Test
    void given_nothing_when_a_token_with_known_scopes_is_created_then_ApiTokenCreated() {
        Instant expiresAt = NOW.plus(Duration.ofDays(30));

        fixture.givenCurrentTime(NOW)
                .when(aTokenRequest(Set.of("read", "write"), expiresAt))
                .expectEvents(new ApiTokenCreated(TOKEN, OWNER, "ci", List.of("read", "write"), ORG, expiresAt,
                        TOKEN_HASH));
    }

    @Test
    void given_nothing_when_a_token_without_scopes_is_created_then_VALIDATION_FAILED_on_scopes() {
        fixture.givenCurrentTime(NOW)
                .when(aTokenRequest(Set.of(), null))
                .expectException(BaserDbException.class)
                .expectException(aValidationFailureOf("scopes"))
                .expectNoEvents();
    }

    @Test
    void given_nothing_when_a_token_with_an_unknown_scope_is_created_then_VALIDATION_FAILED_on_scopes() {
        fixture.givenCurrentTime(NOW)
                .when(aTokenRequest(Set.of("read", "superuser"), null))
                .expectException(BaserDbException.class)
                .expectException(aValidationFailureOf("scopes"))
                .expectNoEvents();
    }

    @Test
    void given_nothing_when_a_token_expiring_in_the_past_is_created_then_VALIDATION_FAILED_on_expires_at() {
        fixture.givenCurrentTime(NOW)
                .when(aTokenRequest(Set.of("read"), NOW.minusSeconds(1)))
                .expectException(BaserDbException.class)
                .expectException(aValidationFailureOf("expires_at"))
                .expectNoEvents();
    }

    @Test
    void given_a_token_when_its_owner_revokes_it_then_ApiTokenRevoked() {
        fixture.given(aToken())
                .when(new RevokeApiToken(TOKEN, OWNER))
                .expectEvents(new ApiTokenRevoked(TOKEN, OWNER));
    }

    @Test
    void given_a_revoked_token_when_revoked_again_then_no_event() {
        fixture.given(aToken(), new ApiTokenRevoked(TOKEN, OWNER))
                .when(new RevokeApiToken(TOKEN, OWNER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void given_a_token_when_another_user_revokes_it_then_NOT_FOUND_and_no_event() {
        fixture.given(aToken())
                .when(new RevokeApiToken(TOKEN, UserId.generate()))
                .expectException(instanceOf(BaserDbException.class))
                .expectException(withCode(NOT_FOUND))
                .expectNoEvents();
    }
}
