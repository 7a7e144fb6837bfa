package dev.baserdb.api.identity;

/** The session id ({@code sid} claim) of an access token, for tests outside this package. */
public final class SessionIds {

    private SessionIds() {
    }

    public static String of(String accessToken) {
        return AuthAssertions.sessionIdOf(accessToken);
    }
}
