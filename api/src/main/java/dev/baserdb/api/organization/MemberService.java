package dev.baserdb.api.organization;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.mail.Mailer;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.InvitationId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.UserCommands.InviteUser;
import dev.baserdb.kernel.identity.UserCommands.LinkUserToIdentityProvider;
import dev.baserdb.kernel.organization.OrganizationCommands.AcceptMemberInvitation;
import dev.baserdb.kernel.organization.OrganizationCommands.DeclineMemberInvitation;
import dev.baserdb.kernel.organization.OrganizationCommands.InviteMember;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.identity.UserView;
import dev.baserdb.query.organization.InvitationView;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.query.organization.OrganizationView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Invitations into organizations (API.md §4). Adding someone is always an invitation, and nobody
 * becomes a member without accepting it: an existing account accepts with its own session
 * ({@code /auth/invitations/{id}/accept}); an email without an account gets an invited account
 * and a single-use link whose acceptance ({@code /invitations/accept}) also accepts the
 * invitation that created the account. The inviter gets the same answer whether or not the email
 * had an account. Emails go out only after the commands committed.
 */
@Service
public class MemberService {

    private final Commands commands;
    private final UserDirectory users;
    private final OrganizationDirectory organizations;
    private final Mailer mailer;
    private final BaserDbProperties platform;
    private final Duration invitationTtl;
    private final Clock clock;
    private final PersonalData personalData;
    /** The realm in identity mode keycloak (docs/keycloak.md), where invited people get their account. */
    private final ObjectProvider<IdentityProviderInvitations> identityProvider;

    MemberService(Commands commands, UserDirectory users, OrganizationDirectory organizations, Mailer mailer,
                  BaserDbProperties platform, @Value("${baserdb.auth.invitation-ttl:7d}") Duration invitationTtl,
                  Clock clock, PersonalData personalData, ObjectProvider<IdentityProviderInvitations> identityProvider) {
        this.identityProvider = identityProvider;
        this.commands = commands;
        this.users = users;
        this.organizations = organizations;
        this.mailer = mailer;
        this.platform = platform;
        this.invitationTtl = invitationTtl;
        this.clock = clock;
        this.personalData = personalData;
    }

    /**
     * Invites the owner of this email ({@code POST /organizations/{id}/members}); an email without
     * an account gets an invited account. Returns the invitation's id, whichever it was.
     */
    InvitationId inviteByEmail(Principal actor, String organizationId, String email, Role role) {
        String normalized = normalize(email);
        InvitationId invitation = InvitationId.generate();
        Instant expiresAt = clock.instant().plus(invitationTtl);
        UserView existing = users.findByEmail(normalized).orElse(null);
        if (existing == null) {
            inviteNewAccount(actor, organizationId, normalized, null, "en", role, invitation, expiresAt);
            return invitation;
        }
        commands.send(new InviteMember(new OrganizationId(organizationId), invitation, new UserId(existing.id()), role,
                new UserId(actor.userId()), expiresAt));
        OrganizationView organization = organizations.find(organizationId, null).orElseThrow();
        mailer.send(normalized, subject(organization),
                "You have been invited to join " + organization.name() + " as " + role.wireName() + ".\n\n"
                        + "Sign in to BaserDB to accept or decline within " + invitationTtl.toDays() + " days:\n"
                        + platform.publicUrl() + "/invitations/" + invitation.value() + "\n\n"
                        + "(POST with your access token to " + platform.publicUrl() + "/api/v1/auth/invitations/"
                        + invitation.value() + "/accept or /decline)\n");
        return invitation;
    }

    /** Invites a new account into the organization ({@code POST /users}); an existing email is 409. */
    UserView invite(Principal actor, String organizationId, String email, String displayName, String locale, Role role) {
        String normalized = normalize(email);
        if (users.emailTaken(normalized)) {
            throw BaserDbException.conflict("An account with this email already exists");
        }
        UserId userId = inviteNewAccount(actor, organizationId, normalized, displayName, locale, role,
                InvitationId.generate(), clock.instant().plus(invitationTtl));
        return users.findById(userId.value()).orElseThrow();
    }

    /**
     * The invited account, its invitation into the organization (one transaction), then the email with
     * the link. In identity mode keycloak the person's account is made in the realm instead (required
     * actions: verify the email, choose a password) and linked to the invited one, which accepts its
     * invitation when it first signs in; no BaserDB password is ever set.
     */
    private UserId inviteNewAccount(Principal actor, String organizationId, String email, String displayName,
                                    String locale, Role role, InvitationId invitation, Instant expiresAt) {
        UserId userId = UserId.generate();
        String token = Secrets.newToken();
        IdentityProviderInvitations provider = identityProvider.getIfAvailable();
        String subject = provider == null ? null : provider.invitedUser(email, displayName);
        commands.inOneTransaction(() -> {
            commands.send(new InviteUser(userId, personalData.seal(userId.value(), email),
                    personalData.seal(userId.value(), displayName), locale == null ? "en" : locale,
                    Secrets.sha256(token), expiresAt));
            if (subject != null) {
                commands.send(new LinkUserToIdentityProvider(userId, provider.provider(), subject,
                        personalData.seal(userId.value(), email), personalData.seal(userId.value(), displayName)));
            }
            return commands.send(new InviteMember(new OrganizationId(organizationId), invitation, userId, role,
                    new UserId(actor.userId()), expiresAt));
        });
        OrganizationView organization = organizations.find(organizationId, null).orElseThrow();
        if (subject != null) {
            mailer.send(email, subject(organization),
                    "You have been invited to join " + organization.name() + " as " + role.wireName() + ".\n\n"
                            + "Sign in to BaserDB with your organization's single sign-on within "
                            + invitationTtl.toDays() + " days: it will ask you to verify this email address and to "
                            + "choose a password. Your first sign-in accepts the invitation.\n" + platform.publicUrl()
                            + "\n");
            return userId;
        }
        mailer.send(email, subject(organization),
                "You have been invited to join " + organization.name() + " as " + role.wireName() + ".\n\n"
                        + "Accept the invitation and choose a password within " + invitationTtl.toDays() + " days:\n"
                        + platform.publicUrl() + "/invitations/accept?token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8) + "\n\n"
                        + "(POST the token with your password to " + platform.publicUrl()
                        + "/api/v1/invitations/accept)\n");
        return userId;
    }

    /** The caller's invitations still open now. */
    List<InvitationView> openInvitationsOf(Principal invitee) {
        return organizations.openInvitationsOf(invitee.userId(), clock.instant());
    }

    /** The invitee accepts: the membership begins with the invitation's role. */
    InvitationView accept(Principal invitee, String invitationId) {
        InvitationView invitation = answerable(invitee, invitationId);
        commands.send(new AcceptMemberInvitation(new OrganizationId(invitation.organizationId()),
                new InvitationId(invitationId), new UserId(invitee.userId())));
        return organizations.invitation(invitationId).orElseThrow();
    }

    /** The invitee declines: no membership; the answer is recorded. */
    InvitationView decline(Principal invitee, String invitationId) {
        InvitationView invitation = answerable(invitee, invitationId);
        commands.send(new DeclineMemberInvitation(new OrganizationId(invitation.organizationId()),
                new InvitationId(invitationId), new UserId(invitee.userId())));
        return organizations.invitation(invitationId).orElseThrow();
    }

    /**
     * Accepts the invitation that created this account, when its owner accepts the emailed link
     * ({@code POST /invitations/accept}); called in that acceptance's transaction. An invited
     * account is made together with its first invitation, so that one is the account's first;
     * invitations from other organizations since stay open for the user to answer. One into an
     * organization archived meanwhile is left alone, so it cannot block the account.
     */
    public void acceptTheInvitationThatCreatedTheAccount(String userId) {
        organizations.firstInvitationOf(userId)
                .filter(first -> organizations.openInvitationsOf(userId, clock.instant()).stream()
                        .anyMatch(open -> open.id().equals(first.id())))
                .ifPresent(first -> commands.send(new AcceptMemberInvitation(new OrganizationId(first.organizationId()),
                        new InvitationId(first.id()), new UserId(userId))));
    }

    /**
     * The caller's own invitation. Another user's, or none, is 404 whatever the credentials, so
     * nobody learns whom an organization invited; the invitee answers with a signed-in session
     * (consent is the account holder's, not an API key's), else 403.
     */
    private InvitationView answerable(Principal invitee, String invitationId) {
        InvitationView invitation = organizations.invitation(invitationId)
                .filter(found -> invitee.isUser() && found.userId().equals(invitee.userId()))
                .orElseThrow(() -> BaserDbException.notFound("Invitation"));
        if (invitee.kind() != Principal.Kind.SESSION) {
            throw BaserDbException.forbidden("Answering an invitation needs a signed-in session, not an API key");
        }
        return invitation;
    }

    private static String subject(OrganizationView organization) {
        return "You are invited to " + organization.name() + " on BaserDB";
    }

    private static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
