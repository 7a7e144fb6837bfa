package dev.baserdb.api.organization;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;

/**
 * The caller's own invitations into organizations (API.md §4): list the open ones, accept or
 * decline. Another user's invitation answers 404; one already accepted or declined, or expired,
 * answers 409. Answering needs a signed-in session (403 with an API key): consent is the account
 * holder's.
 */
@RestController
@RequestMapping(path = "/api/v1/auth/invitations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "organizations")
class MemberInvitationController {

    private final MemberService members;
    private final Clock clock;

    MemberInvitationController(MemberService members, Clock clock) {
        this.members = members;
        this.clock = clock;
    }

    @Operation(operationId = "listMyInvitations", summary = "The caller's open invitations into organizations")
    @Returns(value = OrganizationResponses.Invitation.class, list = true)
    @GetMapping
    ResponseEntity<Envelope> list(Principal principal) {
        if (!principal.isUser()) {
            throw BaserDbException.forbidden("Only users have invitations");
        }
        Instant now = clock.instant();
        return Envelope.list(members.openInvitationsOf(principal).stream()
                .map(invitation -> OrganizationResponses.Invitation.of(invitation, now)).toList());
    }

    @Operation(operationId = "acceptInvitation", summary = "Accept an invitation: the caller becomes a member with its role",
            description = "404 for another user's invitation; 409 when already accepted, declined or expired.")
    @Returns(value = OrganizationResponses.Invitation.class)
    @PostMapping("/{id}/accept")
    ResponseEntity<Envelope> accept(Principal principal, @PathVariable String id) {
        return Envelope.ok(OrganizationResponses.Invitation.of(members.accept(principal, id), clock.instant()));
    }

    @Operation(operationId = "declineInvitation", summary = "Decline an invitation: no membership",
            description = "404 for another user's invitation; 409 when already accepted, declined or expired.")
    @Returns(value = OrganizationResponses.Invitation.class)
    @PostMapping("/{id}/decline")
    ResponseEntity<Envelope> decline(Principal principal, @PathVariable String id) {
        return Envelope.ok(OrganizationResponses.Invitation.of(members.decline(principal, id), clock.instant()));
    }
}
