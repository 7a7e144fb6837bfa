package dev.baserdb.api.organization;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.HistoryResponses;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.organization.OrganizationCommands.ArchiveOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.ChangeMemberRole;
import dev.baserdb.kernel.organization.OrganizationCommands.CreateOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.RemoveMember;
import dev.baserdb.kernel.organization.OrganizationCommands.RenameOrganization;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.query.history.ResourceHistory;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.query.organization.OrganizationView;
import dev.baserdb.query.platform.AggregateVersions;
import dev.baserdb.query.platform.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Organizations and their members (API.md §4). */
@RestController
@RequestMapping(path = "/api/v1/organizations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "organizations")
class OrganizationController {

    private final Commands commands;
    private final OrganizationDirectory organizations;
    private final Authorization authorization;
    private final MemberService members;
    private final AggregateVersions versions;
    private final ResourceHistory history;
    private final HistoryResponses historyResponses;

    OrganizationController(Commands commands, OrganizationDirectory organizations, Authorization authorization,
                           MemberService members, AggregateVersions versions, ResourceHistory history,
                           HistoryResponses historyResponses) {
        this.commands = commands;
        this.organizations = organizations;
        this.authorization = authorization;
        this.members = members;
        this.versions = versions;
        this.history = history;
        this.historyResponses = historyResponses;
    }

    @Operation(operationId = "listOrganizations", summary = "Organizations the caller belongs to")
    @Returns(value = OrganizationResponses.Organization.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal, @RequestParam(name = "as_of", required = false) String asOf,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) Integer offset) {
        requireUser(principal);
        Instant at = Responses.asOf(asOf);
        Page<OrganizationView> page = organizations.organizationsOf(principal.userId(), at,
                Responses.pageRequest(limit, offset));
        if (principal.organizationId() != null) {
            List<OrganizationView> pinned = page.items().stream()
                    .filter(org -> org.id().equals(principal.organizationId())).toList();
            page = new Page<>(pinned, page.limit(), page.offset(), pinned.size());
        }
        return Responses.page(page, at, OrganizationResponses.Organization::of);
    }

    @Operation(operationId = "createOrganization", summary = "Create an organization; the caller becomes its owner")
    @Returns(value = OrganizationResponses.Organization.class, status = 201)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> create(Principal principal, @Valid @RequestBody OrganizationRequests.NewOrganization request) {
        requireUser(principal);
        if (principal.kind() == Principal.Kind.PERSONAL_ACCESS_TOKEN && principal.organizationId() != null) {
            // A pinned token acts in one organization only; a new one would be outside its pin.
            throw new BaserDbException(dev.baserdb.kernel.error.ErrorCode.TENANT_MISMATCH,
                    "This token is pinned to an organization and cannot create another");
        }
        if (principal.scopes() != null && !principal.scopes().contains("write") && !principal.scopes().contains("admin")) {
            throw new BaserDbException(dev.baserdb.kernel.error.ErrorCode.INVALID_SCOPE,
                    "This token lacks the scope 'write'");
        }
        if (organizations.slugTaken(request.slug())) {
            throw BaserDbException.conflict("The slug " + request.slug() + " is taken");
        }
        OrganizationId id = OrganizationId.generate();
        commands.send(new CreateOrganization(id, request.slug(), request.name().trim(), new UserId(principal.userId())));
        OrganizationView created = organizations.find(id.value(), null).orElseThrow();
        return Responses.created(versions.current(id.value()), OrganizationResponses.Organization.of(created));
    }

    @Operation(operationId = "getOrganization", summary = "Read an organization, now or as of an instant")
    @Returns(value = OrganizationResponses.Organization.class, conditional = true)
    @GetMapping("/{id}")
    ResponseEntity<Envelope> get(Principal principal, @PathVariable String id,
                                 @RequestParam(name = "as_of", required = false) String asOf,
                                 HttpServletRequest request) {
        authorization.require(principal, id, Permission.READ_ORGANIZATION);
        Instant at = Responses.asOf(asOf);
        // The version before the view: a write committing in between then gives a stale ETag (a later
        // If-Match is 412), never a body older than its ETag (a stale body under a current ETag would
        // let an If-Match update overwrite what it never saw).
        long current = at == null ? versions.current(id) : -1;
        OrganizationView organization = organizations.find(id, at)
                .orElseThrow(() -> BaserDbException.notFound("Organization"));
        long version = at == null ? current : organization.version();
        return Responses.resource(request, version, at, OrganizationResponses.Organization.of(organization));
    }

    @Operation(operationId = "renameOrganization", summary = "Rename an organization")
    @Returns(value = OrganizationResponses.Organization.class)
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> rename(Principal principal, @PathVariable String id,
                                    @Valid @RequestBody OrganizationRequests.RenameOrganization body, HttpServletRequest request) {
        authorization.require(principal, id, Permission.RENAME_ORGANIZATION);
        Long expected = Responses.ifMatch(request, versions.current(id));
        commands.send(new RenameOrganization(new OrganizationId(id), body.name().trim(), expected));
        return current(id);
    }

    @Operation(operationId = "archiveOrganization", summary = "Archive an organization (its data and history are kept)")
    @Returns(value = OrganizationResponses.Organization.class)
    @DeleteMapping("/{id}")
    ResponseEntity<Envelope> archive(Principal principal, @PathVariable String id, HttpServletRequest request) {
        authorization.require(principal, id, Permission.ARCHIVE_ORGANIZATION);
        Long expected = Responses.ifMatch(request, versions.current(id));
        commands.send(new ArchiveOrganization(new OrganizationId(id), expected));
        return current(id);
    }

    @Operation(operationId = "getOrganizationHistory", summary = "The organization's events, with actor and request id")
    @Returns(value = HistoryResponses.Entry.class, list = true)
    @GetMapping("/{id}/history")
    ResponseEntity<Envelope> history(Principal principal, @PathVariable String id) {
        authorization.require(principal, id, Permission.READ_AUDIT);
        return historyResponses.of(history.of(id));
    }

    @Operation(operationId = "listMembers", summary = "Members of an organization, now or as of an instant")
    @Returns(value = OrganizationResponses.Member.class, list = true)
    @GetMapping("/{id}/members")
    ResponseEntity<Envelope> members(Principal principal, @PathVariable String id,
                                     @RequestParam(name = "as_of", required = false) String asOf,
                                     @RequestParam(required = false) Integer limit,
                                     @RequestParam(required = false) Integer offset) {
        authorization.require(principal, id, Permission.READ_ORGANIZATION);
        Instant at = Responses.asOf(asOf);
        if (at != null && organizations.find(id, at).isEmpty()) {
            throw BaserDbException.notFound("Organization");
        }
        return Responses.page(organizations.members(id, at, Responses.pageRequest(limit, offset)), at,
                OrganizationResponses.Member::of);
    }

    @Operation(operationId = "inviteMember", summary = "Invite someone by email to become a member with a role",
            description = "Always an invitation: 202 {invitation_id, status: invited}, the same answer whether or "
                    + "not the email has an account. The invitee becomes a member only by accepting.")
    @Returns(value = OrganizationResponses.InvitationReceipt.class, status = 202)
    @PostMapping(path = "/{id}/members", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> addMember(Principal principal, @PathVariable String id,
                                       @Valid @RequestBody OrganizationRequests.AddMember body) {
        authorization.require(principal, id, Permission.MANAGE_MEMBERS);
        Role role = role(body.role());
        String invitation = members.inviteByEmail(principal, id, body.email(), role).value();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(Envelope.success(OrganizationResponses.InvitationReceipt.invited(invitation)));
    }

    @Operation(operationId = "changeMemberRole", summary = "Change a member's role; the last owner cannot be demoted")
    @Returns(value = OrganizationResponses.Member.class)
    @PatchMapping(path = "/{id}/members/{userId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> changeRole(Principal principal, @PathVariable String id, @PathVariable String userId,
                                        @Valid @RequestBody OrganizationRequests.ChangeRole body,
                                        HttpServletRequest request) {
        authorization.require(principal, id, Permission.MANAGE_MEMBERS);
        requireMember(id, userId);
        Long expected = Responses.ifMatch(request, versions.current(id));
        commands.send(new ChangeMemberRole(new OrganizationId(id), new UserId(userId), role(body.role()),
                new UserId(principal.userId()), expected));
        return Envelope.ok(OrganizationResponses.Member.of(organizations.member(id, userId, null).orElseThrow()));
    }

    @Operation(operationId = "removeMember", summary = "Remove a member; the last owner cannot go")
    @Returns(value = OrganizationResponses.Member.class)
    @DeleteMapping("/{id}/members/{userId}")
    ResponseEntity<Envelope> removeMember(Principal principal, @PathVariable String id, @PathVariable String userId,
                                          HttpServletRequest request) {
        authorization.require(principal, id, Permission.MANAGE_MEMBERS);
        OrganizationResponses.Member removed = OrganizationResponses.Member.of(requireMember(id, userId));
        Long expected = Responses.ifMatch(request, versions.current(id));
        commands.send(new RemoveMember(new OrganizationId(id), new UserId(userId), new UserId(principal.userId()),
                expected));
        return Envelope.ok(removed);
    }

    private dev.baserdb.query.organization.MemberView requireMember(String organizationId, String userId) {
        return organizations.member(organizationId, userId, null)
                .orElseThrow(() -> BaserDbException.notFound("Member"));
    }

    private ResponseEntity<Envelope> current(String id) {
        OrganizationView organization = organizations.find(id, null).orElseThrow();
        return ResponseEntity.ok().eTag(Responses.etag(versions.current(id)))
                .body(Envelope.success(OrganizationResponses.Organization.of(organization)));
    }

    private static Role role(String wire) {
        return Role.fromWire(wire).orElseThrow(() -> BaserDbException.invalid("role", OrganizationRequests.ROLE_MESSAGE));
    }

    private static void requireUser(Principal principal) {
        if (!principal.isUser()) {
            throw BaserDbException.forbidden("A service key cannot manage organizations");
        }
    }
}
