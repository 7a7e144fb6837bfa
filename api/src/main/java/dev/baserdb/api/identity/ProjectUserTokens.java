package dev.baserdb.api.identity;

import org.springframework.stereotype.Component;

/** Issues the tokens of the data login: role {@code authenticated}, subject the user's row id. */
@Component
public class ProjectUserTokens {

    private final AccessTokens tokens;

    ProjectUserTokens(AccessTokens tokens) {
        this.tokens = tokens;
    }

    public String issue(String projectId, String tableId, String rowId) {
        return tokens.issueProjectUser(projectId, tableId, rowId);
    }

    public long expiresInSeconds() {
        return tokens.ttl().toSeconds();
    }
}
