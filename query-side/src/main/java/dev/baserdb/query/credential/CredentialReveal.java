package dev.baserdb.query.credential;

import java.time.Instant;

/** One reveal attempt, granted or denied, as the audit trail recorded it. */
public record CredentialReveal(Instant at, String credentialId, String projectId, Actor actor, boolean granted,
                               String reason, String denial) {

    public record Actor(String type, String id) {
    }
}
