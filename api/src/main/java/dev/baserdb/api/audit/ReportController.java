package dev.baserdb.api.audit;

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
import dev.baserdb.query.organization.MemberView;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.query.platform.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Compliance reports (API.md §10): who can do what, and what changed in a period. */
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

    ReportController(OrganizationDirectory organizations, AuditLog audit, Authorization authorization) {
        this.organizations = organizations;
        this.audit = audit;
        this.authorization = authorization;
    }

    @Operation(summary = "Every member of an organization with role and effective permissions, now or as of an instant")
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

    @Operation(summary = "Changes per action, resource type and actor in a period")
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

    /** Reports are read like the audit trail: by owners, admins and auditors (and audit:read tokens), and platform admins. */
    private void requireAuditReader(Principal principal, String organizationId) {
        if (!principal.isPlatformAdmin()) {
            authorization.require(principal, organizationId, Permission.READ_AUDIT);
        }
    }
}
