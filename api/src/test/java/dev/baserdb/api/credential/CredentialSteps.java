package dev.baserdb.api.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials for tests, made and revealed through the public API (API.md §8). */
final class CredentialSteps {

    static final String PATH = "/api/v1/credentials";

    private final Http http;

    CredentialSteps(Http http) {
        this.http = http;
    }

    static ObjectNode readOnlyRequest(String projectId, String name) {
        return Http.json("project_id", projectId, "name", name, "kind", "postgres_readonly");
    }

    static ObjectNode externalRequest(String projectId, String name, String uri) {
        return Http.json("project_id", projectId, "name", name, "kind", "external", "uri", uri);
    }

    static ObjectNode policy(List<String> roles, boolean requireMfa, boolean requireReason) {
        return Http.json("roles", roles, "require_mfa", requireMfa, "require_reason", requireReason);
    }

    /** Creates a credential and returns its data, asserting 201. */
    JsonNode create(Accounts.Account actor, ObjectNode request) {
        Http.Response created = http.bearer(actor.accessToken()).post(PATH, request);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.data();
    }

    JsonNode aReadOnlyCredential(Accounts.Account actor, String projectId) {
        return create(actor, readOnlyRequest(projectId, "reporting"));
    }

    Http.Response reveal(Http as, String credentialId, String reason) {
        return as.post(PATH + "/" + credentialId + "/reveal", reason == null ? Http.json() : Http.json("reason", reason));
    }

    /** Reveals as {@code actor} with a reason and returns the URI, asserting 200. */
    String revealedUri(Accounts.Account actor, String credentialId) {
        Http.Response revealed = reveal(http.bearer(actor.accessToken()), credentialId, "test needs the URI");
        assertThat(revealed.status()).as(revealed.toString()).isEqualTo(200);
        return revealed.data().path("uri").asText();
    }
}
