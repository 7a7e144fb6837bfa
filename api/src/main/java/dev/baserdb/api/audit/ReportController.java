package dev.baserdb.api.audit;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.RolePermissions;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.query.audit.AuditFilter;
import dev.baserdb.query.audit.AuditLog;
import dev.baserdb.query.audit.ChangeCount;
import dev.baserdb.query.credential.CredentialDirectory;
import dev.baserdb.query.credential.CredentialReveal;
import dev.baserdb.query.organization.MemberView;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.query.platform.PageRequest;
import dev.baserdb.query.project.ProjectDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Compliance reports (API.md §10): who can do what, what changed in a period, who revealed which credential. */
@RestController
@RequestMapping(path = "/api/v1/reports", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "reports")
class ReportController {

    record AccessRow(String userId, String email, String displayName, String status, String role,
                     Instant memberSince, List<String> permissions) {
    }

    record AccessReport(String organizationId, Instant asOf, List<AccessRow> members) {
    }

    record ChangesReport(String organizationId, Instant from, Instant to, long total, List<ChangeCount> changes) {
    }

    private final OrganizationDirectory organizations;
    private final AuditLog audit;
    private final Authorization authorization;
    private final CredentialDirectory credentials;
    private final ProjectDirectory projects;

    ReportController(OrganizationDirectory organizations, AuditLog audit, Authorization authorization,
                     CredentialDirectory credentials, ProjectDirectory projects) {
        this.organizations = organizations;
        this.audit = audit;
        this.authorization = authorization;
        this.credentials = credentials;
        this.projects = projects;
    }

    @Operation(operationId = "getAccessReport", summary = "Every member of an organization with role and effective permissions, now or as of an instant")
    @Returns(value = AccessReport.class)
    @GetMapping("/access")
    ResponseEntity<Envelope> access(Principal principal,
                                    @RequestParam(name = "organization_id") String organizationId,
                                    @RequestParam(name = "as_of", required = false) String asOf) {
        requireAuditReader(principal, organizationId);
        Instant at = Responses.asOf(asOf);
        if (organizations.find(organizationId, at).isEmpty()) {
            throw BaserDbException.notFound("Organization");
        }
        List<AccessRow> rows = new ArrayList<>();
        int offset = 0;
        while (true) {
            var page = organizations.members(organizationId, at, new PageRequest(PageRequest.MAX_LIMIT, offset));
            for (MemberView member : page.items()) {
                Role role = Role.fromWire(member.role()).orElseThrow();
                rows.add(new AccessRow(member.userId(), member.email(), member.displayName(), member.status(),
                        member.role(), member.joinedAt(),
                        RolePermissions.of(role).stream().map(Permission::wireName).sorted().toList()));
            }
            if (!page.hasMore()) {
                break;
            }
            offset += page.limit();
        }
        Envelope envelope = Envelope.success(new AccessReport(organizationId, at, rows));
        if (at != null) {
            envelope.meta().put("as_of", at);
        }
        return ResponseEntity.ok(envelope);
    }

    @Operation(operationId = "getChangesReport", summary = "Changes per action, resource type and actor in a period")
    @Returns(value = ChangesReport.class)
    @GetMapping("/changes")
    ResponseEntity<Envelope> changes(Principal principal,
                                     @RequestParam(name = "organization_id") String organizationId,
                                     @RequestParam(required = false) String from,
                                     @RequestParam(required = false) String to) {
        requireAuditReader(principal, organizationId);
        Instant start = Responses.asOf(from);
        Instant end = Responses.asOf(to);
        List<ChangeCount> counts = audit.changes(new AuditFilter(organizationId, null, null, null, null, null,
                start, end));
        long total = counts.stream().mapToLong(ChangeCount::count).sum();
        return Envelope.ok(new ChangesReport(organizationId, start, end, total, counts));
    }

    @Operation(operationId = "listCredentialReveals", summary = "Credential reveals in a period, granted and denied, oldest first")
    @Returns(value = CredentialReveal.class, list = true)
    @GetMapping("/credential-reveals")
    ResponseEntity<Envelope> credentialReveals(Principal principal,
                                               @RequestParam(name = "organization_id") String organizationId,
                                               @RequestParam(name = "project_id", required = false) String projectId,
                                               @RequestParam(required = false) String from,
                                               @RequestParam(required = false) String to) {
        requireAuditReader(principal, organizationId);
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw BaserDbException.invalid("to", "must be after from");
        }
        if (projectId != null && projects.lastVersion(projectId)
                .filter(project -> project.organizationId().equals(organizationId)).isEmpty()) {
            throw BaserDbException.notFound("Project");
        }
        List<CredentialReveal> reveals = credentials.reveals(organizationId, projectId, start, end);
        return Envelope.list(reveals);
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw BaserDbException.invalid(field, "must be an RFC 3339 instant such as 2026-11-22T10:15:30Z");
        }
    }

    /** Reports are read like the audit trail: by owners, admins and auditors (and audit:read tokens), and platform admins. */
    private void requireAuditReader(Principal principal, String organizationId) {
        if (!principal.isPlatformAdmin()) {
            authorization.require(principal, organizationId, Permission.READ_AUDIT);
        }
    }
}
