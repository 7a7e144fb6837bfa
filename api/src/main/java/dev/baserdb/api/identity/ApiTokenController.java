package dev.baserdb.api.identity;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.identity.ApiTokenCommands.CreateApiToken;
import dev.baserdb.kernel.identity.ApiTokenCommands.RevokeApiToken;
import dev.baserdb.kernel.id.ApiTokenId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.query.identity.ApiTokenDirectory;
import dev.baserdb.query.identity.ApiTokenView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Personal access tokens ({@code bdb_pat_…}, API.md §3): shown once, stored as a hash, listed
 * without the secret, revoked at once. Managing tokens needs a signed-in session.
 */
@RestController
@RequestMapping(path = "/api/v1/auth/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "auth")
class ApiTokenController {

    record NewApiToken(@NotBlank @Size(max = 100) String name,
                       @ArraySchema(schema = @Schema(allowableValues = {"read", "write", "delete", "admin", "audit:read",
                               "credentials:reveal"})) @NotEmpty List<@NotBlank String> scopes,
                         String organizationId,
                         Instant expiresAt) {
    }

    @Schema(name = "ApiToken")
    record Token(String id, String name, List<String> scopes, String organizationId, Instant expiresAt,
                 Instant createdAt) {

        static Token of(ApiTokenView view) {
            return new Token(view.id(), view.name(), view.scopes(), view.organizationId(), view.expiresAt(),
                    view.createdAt());
        }
    }

    @Schema(name = "CreatedApiToken", description = "The token itself is in this answer only")
    record CreatedToken(String id, String name, List<String> scopes, String organizationId, Instant expiresAt,
                        Instant createdAt, String token) {
    }

    private final Commands commands;
    private final ApiTokenDirectory tokens;
    private final Authorization authorization;

    ApiTokenController(Commands commands, ApiTokenDirectory tokens, Authorization authorization) {
        this.commands = commands;
        this.tokens = tokens;
        this.authorization = authorization;
    }

    @Operation(operationId = "listApiTokens", summary = "The caller's personal access tokens (never the secret)")
    @Returns(value = Token.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal) {
        authorization.requireSession(principal);
        return Envelope.list(tokens.tokensOf(principal.userId()).stream().map(Token::of).toList());
    }

    @Operation(operationId = "createApiToken", summary = "Create a personal access token; the token is shown only in this response")
    @Returns(value = CreatedToken.class, status = 201)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> create(Principal principal, @Valid @RequestBody NewApiToken request) {
        authorization.requireSession(principal);
        if (request.organizationId() != null) {
            authorization.membership(principal, request.organizationId());
        }
        ApiTokenId id = ApiTokenId.generate();
        String secret = AuthenticationFilter.PAT_PREFIX + Secrets.newToken();
        commands.send(new CreateApiToken(id, new UserId(principal.userId()), request.name().trim(),
                new LinkedHashSet<>(request.scopes()),
                request.organizationId() == null ? null : new OrganizationId(request.organizationId()),
                request.expiresAt(), Secrets.sha256(secret)));
        ApiTokenView created = tokens.find(id.value()).orElseThrow();
        return Envelope.created(new CreatedToken(created.id(), created.name(), created.scopes(),
                created.organizationId(), created.expiresAt(), created.createdAt(), secret));
    }

    @Operation(operationId = "revokeApiToken", summary = "Revoke a personal access token; it stops working at once")
    @Returns(value = Token.class)
    @DeleteMapping("/{id}")
    ResponseEntity<Envelope> revoke(Principal principal, @PathVariable String id) {
        authorization.requireSession(principal);
        ApiTokenView token = tokens.find(id)
                .filter(t -> t.userId().equals(principal.userId()) && t.revokedAt() == null)
                .orElseThrow(() -> BaserDbException.notFound("Token"));
        commands.send(new RevokeApiToken(new ApiTokenId(token.id()), new UserId(principal.userId())));
        return Envelope.ok(Token.of(token));
    }
}
