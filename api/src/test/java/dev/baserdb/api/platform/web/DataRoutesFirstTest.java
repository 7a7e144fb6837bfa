package dev.baserdb.api.platform.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which routes the data API's shortcut keeps: every one that could match a path under /api/v1/data/. */
class DataRoutesFirstTest {

    @Test
    void routesOfTheDataApiAndRoutesWhoseFixedBeginningAllowsADataPathAreKept() {
        assertThat(DataRoutesFirst.couldMatchData("/api/v1/data/{project}/{table}")).isTrue();
        assertThat(DataRoutesFirst.couldMatchData("/api/v1/data/{project}/auth/login")).isTrue();
        assertThat(DataRoutesFirst.couldMatchData("/api/v1/{section}/{id}")).isTrue();
        assertThat(DataRoutesFirst.couldMatchData("/{*path}")).isTrue();
        assertThat(DataRoutesFirst.couldMatchData("/**")).isTrue();
        assertThat(DataRoutesFirst.couldMatchData("/api/v1/da?a/{x}")).isTrue();
    }

    @Test
    void routesThatCannotMatchADataPathAreLeftToTheFullLookup() {
        assertThat(DataRoutesFirst.couldMatchData("/api/v1/projects/{id}")).isFalse();
        assertThat(DataRoutesFirst.couldMatchData("/api/v1/data")).isFalse();
        assertThat(DataRoutesFirst.couldMatchData("/error")).isFalse();
        assertThat(DataRoutesFirst.couldMatchData("/api/v1/storage/{project}/**")).isFalse();
    }
}
