package dev.baserdb.api.organization;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.mail.Mailer;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.identity.UserCommands.InviteUser;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.organization.OrganizationCommands.AddMember;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.identity.UserView;
import dev.baserdb.query.organization.OrganizationDirectory;
import dev.baserdb.query.organization.OrganizationView;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Adds people to organizations: an existing account becomes a member at once; an unknown email
 * gets an invited account, the membership and a single-use invitation link by email — all one
 * transaction, the email only after it committed.
 */
@Service
class MemberService {

    private final Commands commands;
    private final UserDirectory users;
    private final OrganizationDirectory organizations;
    private final Mailer mailer;
    private final BaserDbProperties platform;
    private final Duration invitationTtl;
    private final Clock clock;
    private final PersonalData personalData;

    MemberService(Commands commands, UserDirectory users, OrganizationDirectory organizations, Mailer mailer,
                  BaserDbProperties platform, @Value("${baserdb.auth.invitation-ttl:7d}") Duration invitationTtl,
                  Clock clock, PersonalData personalData) {
        this.commands = commands;
        this.users = users;
        this.organizations = organizations;
        this.mailer = mailer;
        this.platform = platform;
        this.invitationTtl = invitationTtl;
        this.clock = clock;
        this.personalData = personalData;
    }

    /** Adds the account with this email, inviting it first when there is none. Returns the member's user id. */
    String addByEmail(Principal actor, String organizationId, String email, Role role) {
        UserView existing = users.findByEmail(email).orElse(null);
        if (existing != null) {
            commands.send(new AddMember(new OrganizationId(organizationId), new UserId(existing.id()), role,
                    new UserId(actor.userId())));
            return existing.id();
        }
        return invite(actor, organizationId, email, null, "en", role).id();
    }

    /** Invites a new account into the organization ({@code POST /users}); an existing email is 409. */
    UserView invite(Principal actor, String organizationId, String email, String displayName, String locale, Role role) {
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        if (users.emailTaken(normalized)) {
            throw BaserDbException.conflict("An account with this email already exists");
        }
        UserId userId = UserId.generate();
        String token = Secrets.newToken();
        commands.inOneTransaction(() -> {
            commands.send(new InviteUser(userId, personalData.seal(userId.value(), normalized),
                    personalData.seal(userId.value(), displayName), locale == null ? "en" : locale,
                    Secrets.sha256(token), clock.instant().plus(invitationTtl)));
            return commands.send(new AddMember(new OrganizationId(organizationId), userId, role,
                    new UserId(actor.userId())));
        });
        OrganizationView organization = organizations.find(organizationId, null).orElseThrow();
        mailer.send(normalized, "You are invited to " + organization.name() + " on BaserDB",
                "You have been invited to join " + organization.name() + " as " + role.wireName() + ".\n\n"
                        + "Accept the invitation and choose a password within " + invitationTtl.toDays() + " days:\n"
                        + platform.publicUrl() + "/invitations/accept?token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8) + "\n\n"
                        + "(POST the token with your password to " + platform.publicUrl()
                        + "/api/v1/invitations/accept)\n");
        return users.findById(userId.value()).orElseThrow();
    }
}
