package dev.baserdb.query.site;

import java.time.Instant;

/** A site as read, with the deploy live on it at the instant read ({@code null} before any publish). */
public record SiteView(String id, String projectId, String organizationId, String subdomain, boolean spaMode,
                       String liveDeployId, Instant createdAt, long version) {
}
