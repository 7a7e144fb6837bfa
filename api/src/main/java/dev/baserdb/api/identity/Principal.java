package dev.baserdb.api.identity;

import java.util.List;

/** The authenticated caller of a request: a platform user acting through one session. */
public record Principal(String userId, String sessionId, List<String> platformRoles) {

    public boolean isPlatformAdmin() {
        return platformRoles.contains("platform_admin");
    }
}
