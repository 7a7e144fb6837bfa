package dev.baserdb.command.credential;

import dev.baserdb.kernel.credential.CredentialCommands.CreateCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RevealCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RevealDecision;
import dev.baserdb.kernel.credential.CredentialCommands.RevokeCredential;
import dev.baserdb.kernel.credential.CredentialCommands.RotateCredential;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialCreated;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealDenied;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevealed;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRevoked;
import dev.baserdb.kernel.credential.CredentialEvents.CredentialRotated;
import dev.baserdb.kernel.credential.RevealDenial;
import dev.baserdb.kernel.credential.RevealPolicy;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.CredentialId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A credential of a project and its reveal policy. The aggregate decides every reveal from the
 * facts the API hands it (the caller's role and token, the reason, the second factor), and records
 * the decision either way: a denial is an event, answered, not thrown, so it is never rolled back.
 */
@Aggregate
class Credential {

    @AggregateIdentifier
    private CredentialId credentialId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private RevealPolicy policy;
    private boolean revoked;

    Credential() {
        // for Axon
    }

    @CommandHandler
    Credential(CreateCredential command) {
        apply(new CredentialCreated(command.credentialId(), command.projectId(), command.organizationId(),
                command.name(), command.kind(), command.revealPolicy(), command.loginRole(), command.uriMasked(),
                command.sealedSecret()));
    }

    @CommandHandler
    RevealDecision handle(RevealCredential command) {
        requireActive();
        RevealDenial denial = denialOf(command);
        String reason = command.reason() == null || command.reason().isBlank() ? null : command.reason().trim();
        if (denial != null) {
            apply(new CredentialRevealDenied(credentialId, projectId, organizationId, reason, denial));
            return RevealDecision.deny(denial);
        }
        apply(new CredentialRevealed(credentialId, projectId, organizationId, reason));
        return RevealDecision.grant();
    }

    /** The policy's rules in the order API.md §8 answers them: role (403), reason (400), second factor (401). */
    private RevealDenial denialOf(RevealCredential command) {
        if (!command.roleMayReveal() || command.callerRole() == null || !policy.roles().contains(command.callerRole())) {
            return RevealDenial.ROLE_NOT_ALLOWED;
        }
        if (!command.tokenMayReveal()) {
            return RevealDenial.SCOPE_MISSING;
        }
        if (policy.requireReason() && (command.reason() == null || command.reason().isBlank())) {
            return RevealDenial.REASON_REQUIRED;
        }
        if (policy.requireMfa() && !command.mfaVerified()) {
            return RevealDenial.MFA_REQUIRED;
        }
        return null;
    }

    @CommandHandler
    void handle(RotateCredential command) {
        requireActive();
        apply(new CredentialRotated(credentialId, projectId, organizationId, command.sealedSecret()));
    }

    @CommandHandler
    void handle(RevokeCredential command) {
        requireActive();
        apply(new CredentialRevoked(credentialId, projectId, organizationId));
    }

    /** A revoked credential answers 404 to everything (its history stays readable). */
    private void requireActive() {
        if (revoked) {
            throw BaserDbException.notFound("Credential");
        }
    }

    @EventSourcingHandler
    void on(CredentialCreated event) {
        credentialId = event.credentialId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        policy = event.revealPolicy();
    }

    @EventSourcingHandler
    void on(CredentialRevoked event) {
        revoked = true;
    }
}
