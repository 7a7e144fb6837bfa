package dev.baserdb.api.identity;

import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.organization.MemberService;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.web.Envelope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accepting an invitation (API.md §4): the single-use link's token and a password sign the new user
 * in, and in the same transaction the invitation into the organization that created the account
 * is accepted, so the membership begins only now.
 */
@RestController
@Tag(name = "users")
class InvitationController {

    record AcceptInvitation(@NotBlank @Size(max = 256) String token,
                         @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
                         @Size(max = 200) String displayName) {
    }

    private final AuthService auth;
    private final MemberService members;
    private final Commands commands;

    InvitationController(AuthService auth, MemberService members, Commands commands) {
        this.auth = auth;
        this.members = members;
        this.commands = commands;
    }

    @Operation(operationId = "acceptEmailedInvitation", summary = "Accept an invitation: set the password, join the organization and sign in")
    @Returns(value = AuthResponses.Tokens.class)
    @PostMapping(path = "/api/v1/invitations/accept", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> accept(@Valid @RequestBody AcceptInvitation request) {
        AuthService.IssuedTokens tokens = commands.inOneTransaction(() -> {
            AuthService.IssuedTokens issued = auth.acceptInvitation(request.token(), request.password(),
                    request.displayName());
            members.acceptTheInvitationThatCreatedTheAccount(issued.user().id());
            return issued;
        });
        return Envelope.ok(AuthResponses.Tokens.of(tokens));
    }
}
