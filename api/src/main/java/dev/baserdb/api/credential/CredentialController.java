package dev.baserdb.api.credential;

import dev.baserdb.api.platform.openapi.Returns;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.SecondFactors;
import dev.baserdb.api.platform.security.RolePermissions;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.credential.CredentialCommands.CreateCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RevealCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RevealDecision;
import dev.baserdb.kernel.credential.CredentialCommands.RevokeCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RotateCredential;
import dev.baserdb.kernel.credential.CredentialKinds;
import dev.baserdb.kernel.credential.RevealDenial;
import dev.baserdb.kernel.credential.RevealPolicy;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.CredentialId;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.projection.credential.CredentialRoles;
import dev.baserdb.query.credential.CredentialDirectory;
import dev.baserdb.query.credential.CredentialView;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.platform.AggregateVersions;
import dev.baserdb.query.platform.PageRequest;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Credentials of projects (API.md §8). Lists and reads are masked; a reveal is decided by the
 * credential itself from the caller's facts and recorded either way, and only a granted one opens
 * the sealed secret. A {@code postgres_readonly} credential's login role is made, changed and
 * dropped in the same transaction as its event, so the two never disagree after a failure.
 * Creating needs the right to change the project; rotating and revoking, like the project's own
 * service key, the right to delete it.
 */
@RestController
@RequestMapping(path = "/api/v1/credentials", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "credentials")
class CredentialController {

    private final Commands commands;
    private final CredentialDirectory credentials;
    private final ProjectDirectory projects;
    private final Authorization authorization;
    private final AggregateVersions versions;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;
    private final PersonalData sealing;
    private final CredentialRoles credentialRoles;
    private final CredentialUris uris;
    private final SecondFactors secondFactors;

    CredentialController(Commands commands, CredentialDirectory credentials, ProjectDirectory projects,
                         Authorization authorization, AggregateVersions versions, ResourceHistory history,
                         HistoryResponses historyResponses, PersonalData sealing, CredentialRoles credentialRoles,
                         CredentialUris uris, SecondFactors secondFactors) {
        this.secondFactors = secondFactors;
        this.commands = commands;
        this.credentials = credentials;
        this.projects = projects;
        this.authorization = authorization;
        this.versions = versions;
        this.history = history;
        this.historyResponses = historyResponses;
        this.sealing = sealing;
        this.credentialRoles = credentialRoles;
        this.uris = uris;
    }

    @Operation(operationId = "listCredentials", summary = "A project's credentials, masked, now or as of an instant")
    @Returns(value = CredentialResponses.Credential.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal, @RequestParam(name = "project_id") String projectId,
                                  @RequestParam(name = "as_of", required = false) String asOf,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) Integer offset) {
        Instant at = Responses.asOf(asOf);
        PageRequest page = Responses.pageRequest(limit, offset);
        ProjectView project = at == null ? projects.find(projectId, null).orElseThrow(CredentialController::noProject)
                : projects.find(projectId, null).or(() -> projects.lastVersion(projectId))
                .orElseThrow(CredentialController::noProject);
        authorization.requireProject(principal, project, Permission.LIST_CREDENTIALS);
        return Responses.page(credentials.credentialsOf(projectId, at, page), at, this::response);
    }

    @Operation(operationId = "createCredential", summary = "Create a credential; its secret is never in this answer (reveal it)")
    @Returns(value = CredentialResponses.Credential.class, status = 201)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> create(Principal principal, @Valid @RequestBody CredentialRequests.CreateCredential body) {
        ProjectView project = projects.find(body.projectId(), null).orElseThrow(CredentialController::noProject);
        authorization.requireProject(principal, project, Permission.WRITE_PROJECTS);
        RevealPolicy policy = policyOf(body.revealPolicy());
        CredentialId id = CredentialId.generate();
        boolean readOnly = CredentialKinds.POSTGRES_READONLY.equals(body.kind());
        if (readOnly && body.uri() != null) {
            throw BaserDbException.invalid("uri", "must be absent for kind postgres_readonly: the platform makes it");
        }
        String loginRole = readOnly ? CredentialKinds.loginRole(id) : null;
        String uriMasked = readOnly ? null : CredentialUris.checkedExternal(body.uri());
        String secret = readOnly ? Secrets.newToken() : body.uri().trim();
        String sealed = sealing.seal(project.id(), secret);
        commands.inOneTransaction(() -> {
            commands.send(new CreateCredential(id, new ProjectId(project.id()),
                    new OrganizationId(project.organizationId()), body.name().trim(), body.kind(), policy, loginRole,
                    uriMasked, sealed));
            if (readOnly) {
                credentialRoles.create(loginRole, project.id(), secret);
            }
            return null;
        });
        return Responses.created(versions.current(id.value()), response(current(id.value())));
    }

    @Operation(operationId = "getCredential", summary = "Read a credential, masked, now or as of an instant")
    @Returns(value = CredentialResponses.Credential.class, conditional = true)
    @GetMapping("/{id}")
    ResponseEntity<Envelope> get(Principal principal, @PathVariable String id,
                                 @RequestParam(name = "as_of", required = false) String asOf,
                                 HttpServletRequest request) {
        Instant at = Responses.asOf(asOf);
        // The version before the view: a write committing in between then gives a stale ETag (a later
        // If-Match is 412), never a body older than its ETag (a stale body under a current ETag would
        // let an If-Match update overwrite what it never saw).
        long currentVersion = at == null ? versions.current(id) : -1;
        CredentialView credential = at == null ? current(id) : known(id);
        authorize(principal, credential, Permission.LIST_CREDENTIALS);
        if (at != null) {
            credential = credentials.find(id, at).filter(CredentialView::active)
                    .orElseThrow(CredentialController::noCredential);
        }
        long version = at == null ? currentVersion : credential.version();
        return Responses.resource(request, version, at, response(credential));
    }

    @Operation(operationId = "revealCredential", summary = "Reveal the secret: only when the reveal policy allows; every attempt is audited")
    @Returns(value = CredentialResponses.Revealed.class)
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED, or MFA_REQUIRED: the reveal policy needs the caller's current TOTP code")
    @PostMapping("/{id}/reveal")
    ResponseEntity<Envelope> reveal(Principal principal, @PathVariable String id,
                                    @Valid @RequestBody(required = false) CredentialRequests.Reveal body) {
        CredentialView credential = current(id);
        ProjectView project = projectOf(credential);
        // Who may not know the credential exists learns nothing, and leaves no reveal attempt either.
        Role role = null;
        if (principal.kind() == Principal.Kind.SERVICE_KEY) {
            if (!project.id().equals(principal.projectId())) {
                throw noCredential();
            }
        } else {
            if (principal.kind() == Principal.Kind.PROJECT_USER) {
                throw noCredential();
            }
            role = authorization.membership(principal, credential.organizationId());
        }
        boolean roleMayReveal = role != null && RolePermissions.of(role).contains(Permission.REVEAL_CREDENTIALS);
        boolean tokenMayReveal = role != null
                && authorization.effectivePermissions(principal, role).contains(Permission.REVEAL_CREDENTIALS);
        String reason = body == null ? null : body.reason();
        // Under require_mfa the caller's current TOTP code is checked (and used up) before the
        // aggregate decides; without 2FA, or with a wrong code, the reveal is denied MFA_REQUIRED.
        boolean mfaVerified = credential.revealPolicy().requireMfa() && roleMayReveal && tokenMayReveal
                && principal.isUser()
                && body != null && secondFactors.prove(principal.userId(), body.mfaCode());
        RevealDecision decision = commands.send(new RevealCredential(new CredentialId(id),
                role == null ? null : role.wireName(), roleMayReveal, tokenMayReveal, reason, mfaVerified));
        if (!decision.granted()) {
            throw denial(decision.denial());
        }
        String secret = sealing.open(credential.sealedSecret())
                .orElseThrow(() -> BaserDbException.conflict("The credential's secret was erased with its data key"));
        String uri = CredentialKinds.POSTGRES_READONLY.equals(credential.kind())
                ? uris.readOnly(credential.loginRole(), secret) : secret;
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(Envelope.success(new CredentialResponses.Revealed(uri)));
    }

    @Operation(operationId = "rotateCredential", summary = "New secret, old one dead: a read-only role keeps its name and gets a new password")
    @Returns(value = CredentialResponses.Credential.class)
    @PostMapping("/{id}/rotate")
    ResponseEntity<Envelope> rotate(Principal principal, @PathVariable String id,
                                    @RequestBody(required = false) CredentialRequests.Rotate body) {
        CredentialView credential = current(id);
        authorize(principal, credential, Permission.DELETE_PROJECTS);
        String newUri = body == null ? null : body.uri();
        boolean readOnly = CredentialKinds.POSTGRES_READONLY.equals(credential.kind());
        if (readOnly && newUri != null) {
            throw BaserDbException.invalid("uri", "must be absent for kind postgres_readonly: the platform makes it");
        }
        if (!readOnly) {
            String masked = CredentialUris.checkedExternal(newUri);
            if (!masked.equals(credential.uriMasked())) {
                // The mask is part of the resource: a URI to another place is a new credential.
                throw BaserDbException.invalid("uri", "must name the same scheme, user, host, port and path");
            }
        }
        String secret = readOnly ? Secrets.newToken() : newUri.trim();
        String sealed = sealing.seal(credential.projectId(), secret);
        String previous = readOnly ? sealing.open(credential.sealedSecret()).orElse(null) : null;
        commands.inOneTransaction(() -> {
            commands.send(new RotateCredential(new CredentialId(id), sealed));
            if (readOnly) {
                credentialRoles.changePassword(credential.loginRole(), credential.projectId(), secret,
                        previous == null ? Secrets.newToken() : previous);
            }
            return null;
        });
        return ResponseEntity.ok().eTag(Responses.etag(versions.current(id))).body(Envelope.success(response(current(id))));
    }

    @Operation(operationId = "revokeCredential", summary = "Revoke: the role is dropped and its sessions end; afterwards GET and reveal answer 404")
    @Returns(value = CredentialResponses.Credential.class)
    @DeleteMapping("/{id}")
    ResponseEntity<Envelope> revoke(Principal principal, @PathVariable String id, HttpServletRequest request) {
        CredentialView credential = current(id);
        authorize(principal, credential, Permission.DELETE_PROJECTS);
        Long expected = Responses.ifMatch(request, versions.current(id));
        commands.inOneTransaction(() -> {
            commands.send(new RevokeCredential(new CredentialId(id), expected));
            if (credential.loginRole() != null) {
                credentialRoles.drop(credential.loginRole());
            }
            return null;
        });
        CredentialView revoked = credentials.find(id, null).orElse(credential);
        return Envelope.ok(response(revoked));
    }

    @Operation(operationId = "getCredentialHistory", summary = "The credential's events, secrets redacted")
    @Returns(value = HistoryResponses.Entry.class, list = true)
    @GetMapping("/{id}/history")
    ResponseEntity<Envelope> history(Principal principal, @PathVariable String id) {
        authorize(principal, known(id), Permission.READ_AUDIT);
        return historyResponses.of(history.of(id));
    }

    private CredentialResponses.Credential response(CredentialView view) {
        String masked = CredentialKinds.POSTGRES_READONLY.equals(view.kind())
                ? uris.readOnlyMasked(view.loginRole()) : view.uriMasked();
        return CredentialResponses.Credential.of(view, masked);
    }

    private void authorize(Principal principal, CredentialView credential, Permission permission) {
        authorization.requireProject(principal, projectOf(credential), permission);
    }

    /** The credential's project as last known (it answers for its credentials' history after deletion). */
    private ProjectView projectOf(CredentialView credential) {
        return projects.find(credential.projectId(), null).or(() -> projects.lastVersion(credential.projectId()))
                .orElseThrow(CredentialController::noCredential);
    }

    /** The active credential now; a revoked one, or one whose project is gone, is not found. */
    private CredentialView current(String id) {
        if (!Ids.hasShape(id, CredentialId.PREFIX)) {
            throw noCredential();
        }
        return credentials.find(id, null).filter(CredentialView::active).orElseThrow(CredentialController::noCredential);
    }

    /** Any credential that ever existed (for its history and time travel). */
    private CredentialView known(String id) {
        if (!Ids.hasShape(id, CredentialId.PREFIX)) {
            throw noCredential();
        }
        return credentials.lastVersion(id).orElseThrow(CredentialController::noCredential);
    }

    private static RevealPolicy policyOf(CredentialRequests.RevealPolicy requested) {
        if (requested == null) {
            return RevealPolicy.DEFAULT;
        }
        List<String> roles = List.copyOf(new LinkedHashSet<>(requested.roles()));
        return new RevealPolicy(roles,
                requested.requireMfa() == null ? RevealPolicy.DEFAULT.requireMfa() : requested.requireMfa(),
                requested.requireReason() == null ? RevealPolicy.DEFAULT.requireReason() : requested.requireReason());
    }

    private static BaserDbException denial(RevealDenial denial) {
        if (denial == RevealDenial.REASON_REQUIRED) {
            return new BaserDbException(ErrorCode.VALIDATION_FAILED, denial.message(),
                    Map.of("reason", "is required by this credential's reveal policy"));
        }
        return new BaserDbException(denial.code(), denial.message());
    }

    private static BaserDbException noProject() {
        return BaserDbException.notFound("Project");
    }

    private static BaserDbException noCredential() {
        return BaserDbException.notFound("Credential");
    }
}
