package dev.baserdb.api.backup;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The project filter on stored payloads: only the payload's own top-level {@code projectId} counts. */
class JdbcProjectEventLogTest {

    private static boolean ofProject(String json, String projectId) {
        return JdbcProjectEventLog.topLevelFieldIs(json.getBytes(StandardCharsets.UTF_8),
                "projectId".getBytes(StandardCharsets.UTF_8), projectId.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void given_a_payload_with_the_project_at_its_top_level_then_it_is_the_projects() {
        assertThat(ofProject("{\"rowId\":\"r1\",\"tableId\":\"tbl_1\",\"projectId\":\"prj_a\",\"values\":{\"n\":1}}",
                "prj_a")).isTrue();
        assertThat(ofProject("{ \"n\" : [1, {\"x\": \"}\"}], \"s\": \"a\\\"b\", \"projectId\" : \"prj_a\" }", "prj_a"))
                .isTrue();
    }

    @Test
    void given_the_project_only_inside_a_value_then_it_is_not_the_projects() {
        // a row of another project whose values hold this project's id under the same name
        assertThat(ofProject("{\"rowId\":\"r1\",\"values\":{\"projectId\":\"prj_a\"},\"projectId\":\"prj_b\"}",
                "prj_a")).isFalse();
        assertThat(ofProject("{\"values\":{\"projectId\":\"prj_a\"}}", "prj_a")).isFalse();
        assertThat(ofProject("{\"note\":\"\\\"projectId\\\":\\\"prj_a\\\"\"}", "prj_a")).isFalse();
    }

    @Test
    void given_another_project_or_no_object_then_not_the_projects() {
        assertThat(ofProject("{\"projectId\":\"prj_ab\"}", "prj_a")).isFalse();
        assertThat(ofProject("{\"projectId\":null}", "prj_a")).isFalse();
        assertThat(ofProject("[\"projectId\",\"prj_a\"]", "prj_a")).isFalse();
        assertThat(ofProject("{\"projectId\":\"prj_a", "prj_a")).isFalse();
        assertThat(ofProject("", "prj_a")).isFalse();
    }
}
