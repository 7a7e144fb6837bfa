package dev.baserdb.api.data;

import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Principals;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Whose bucket a data request draws from (API.md §7: per project and caller). */
class DataRateLimitTest {

    private static final String PROJECT = "prj_a";
    private static final String OTHER_PROJECT = "prj_b";

    private static Principal session(String userId) {
        return Principal.session(userId, "ses_1", List.of());
    }

    @Test
    void given_anonymous_callers_then_each_client_address_has_its_own_bucket() {
        assertThat(DataRateLimit.bucketKey(PROJECT, null, "10.0.0.1"))
                .isNotEqualTo(DataRateLimit.bucketKey(PROJECT, null, "10.0.0.2"))
                .isEqualTo(DataRateLimit.bucketKey(PROJECT, null, "10.0.0.1"));
    }

    @Test
    void given_one_caller_then_each_project_has_its_own_bucket() {
        assertThat(DataRateLimit.bucketKey(PROJECT, session("usr_1"), "10.0.0.1"))
                .isNotEqualTo(DataRateLimit.bucketKey(OTHER_PROJECT, session("usr_1"), "10.0.0.1"));
        assertThat(DataRateLimit.bucketKey(PROJECT, null, "10.0.0.1"))
                .isNotEqualTo(DataRateLimit.bucketKey(OTHER_PROJECT, null, "10.0.0.1"));
    }

    @Test
    void given_the_service_key_users_and_anonymous_callers_from_one_address_then_their_buckets_differ() {
        String anon = DataRateLimit.bucketKey(PROJECT, null, "127.0.0.1");
        String serviceKey = DataRateLimit.bucketKey(PROJECT, Principal.serviceKey(PROJECT, "org_1"), "127.0.0.1");
        String alice = DataRateLimit.bucketKey(PROJECT, session("usr_alice"), "127.0.0.1");
        String bob = DataRateLimit.bucketKey(PROJECT, session("usr_bob"), "127.0.0.1");
        String rowOne = DataRateLimit.bucketKey(PROJECT, Principal.projectUser(PROJECT, "row-1"), "127.0.0.1");
        String rowTwo = DataRateLimit.bucketKey(PROJECT, Principal.projectUser(PROJECT, "row-2"), "127.0.0.1");

        assertThat(List.of(anon, serviceKey, alice, bob, rowOne, rowTwo)).doesNotHaveDuplicates();
    }

    @Test
    void given_a_platform_user_then_sessions_and_personal_access_tokens_share_the_user_bucket_from_any_address() {
        Principal pat = Principal.personalAccessToken("usr_alice", "tok_1", List.of(), Set.of("read"), null);

        assertThat(DataRateLimit.bucketKey(PROJECT, pat, "10.0.0.9"))
                .isEqualTo(DataRateLimit.bucketKey(PROJECT, session("usr_alice"), "10.0.0.1"));
    }

    @Test
    void given_an_x_forwarded_for_header_then_the_connection_address_decides_not_the_header() {
        MockHttpServletRequest spoofed = new MockHttpServletRequest();
        spoofed.setRemoteAddr("203.0.113.7");
        spoofed.addHeader("X-Forwarded-For", "198.51.100.1");
        MockHttpServletRequest plain = new MockHttpServletRequest();
        plain.setRemoteAddr("203.0.113.7");

        assertThat(DataRateLimit.bucketKey(PROJECT, spoofed)).isEqualTo(DataRateLimit.bucketKey(PROJECT, plain))
                .isEqualTo(DataRateLimit.bucketKey(PROJECT, null, "203.0.113.7"));
    }

    @Test
    void given_an_authenticated_request_then_the_principal_on_the_request_decides() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("203.0.113.7");
        request.setAttribute(Principals.PRINCIPAL, Principal.serviceKey(PROJECT, "org_1"));

        assertThat(DataRateLimit.bucketKey(PROJECT, request))
                .isEqualTo(DataRateLimit.bucketKey(PROJECT, Principal.serviceKey(PROJECT, "org_1"), "198.51.100.1"));
    }

    @Test
    void given_waits_and_instants_then_they_round_up_to_whole_seconds() {
        assertThat(DataRateLimit.secondsCeiling(100_000_000L)).isEqualTo(1);
        assertThat(DataRateLimit.secondsCeiling(1_000_000_000L)).isEqualTo(1);
        assertThat(DataRateLimit.secondsCeiling(1_000_000_001L)).isEqualTo(2);
        assertThat(DataRateLimit.epochSecondsCeiling(Instant.ofEpochSecond(100))).isEqualTo(100);
        assertThat(DataRateLimit.epochSecondsCeiling(Instant.ofEpochSecond(100, 1))).isEqualTo(101);
    }
}
