package dev.baserdb.api.organization;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.query.identity.UserView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /users}: invite a new user into an organization (API.md §4). */
@RestController
@Tag(name = "users")
class UserInvitationController {

    private final MemberService members;
    private final Authorization authorization;

    UserInvitationController(MemberService members, Authorization authorization) {
        this.members = members;
        this.authorization = authorization;
    }

    @Operation(operationId = "inviteUser", summary = "Invite a user: an account in state invited and a 7-day single-use link by email; accepting it makes the membership")
    @Returns(value = OrganizationResponses.InvitedUser.class, status = 201)
    @PostMapping(path = "/api/v1/users", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> invite(Principal principal, @Valid @RequestBody OrganizationRequests.InviteUser request) {
        authorization.require(principal, request.organizationId(), Permission.MANAGE_MEMBERS);
        Role role = Role.fromWire(request.role())
                .orElseThrow(() -> BaserDbException.invalid("role", OrganizationRequests.ROLE_MESSAGE));
        UserView user = members.invite(principal, request.organizationId(), request.email(), request.displayName(),
                request.locale(), role);
        return Envelope.created(OrganizationResponses.InvitedUser.of(user, request.organizationId(), role.wireName()));
    }
}
