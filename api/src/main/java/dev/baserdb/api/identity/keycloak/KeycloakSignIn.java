package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.organization.MemberService;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.UserCommands.AcceptInvitationThroughIdentityProvider;
import dev.baserdb.kernel.identity.UserCommands.LinkUserToIdentityProvider;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.identity.UserView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns a realm access token into the request's principal. The realm user is a BaserDB user by
 * its {@code sub}: on first sight the account is made (event {@code UserLinkedToIdentityProvider},
 * email and name from the token), or an existing account with the same email is linked when the
 * realm has verified that email; an account BaserDB invited into the realm accepts its invitation
 * the first time it signs in. Every later request is one indexed lookup, so a removed membership
 * or an erased account counts from the next request on.
 */
public class KeycloakSignIn {

    /** The provider name in identity links and events. */
    public static final String PROVIDER = "keycloak";

    private static final Logger log = LoggerFactory.getLogger(KeycloakSignIn.class);

    private final KeycloakTokens tokens;
    private final UserDirectory users;
    private final Commands commands;
    private final PersonalData personalData;
    private final MemberService members;

    KeycloakSignIn(KeycloakTokens tokens, UserDirectory users, Commands commands, PersonalData personalData,
                   MemberService members) {
        this.tokens = tokens;
        this.users = users;
        this.commands = commands;
        this.personalData = personalData;
        this.members = members;
    }

    /** Whether the bearer token names this realm as its issuer (only then is it a Keycloak token to check). */
    public boolean recognizes(String token) {
        return tokens.claimsThisRealm(token);
    }

    /** The principal of a valid realm token; 401 for anything else. */
    public Principal authenticate(String token) {
        KeycloakIdentity identity = tokens.verify(token);
        UserView user = users.findByIdentity(PROVIDER, identity.subject()).orElseGet(() -> firstSight(identity));
        if ("invited".equals(user.status())) {
            user = acceptInvitation(user, identity);
        }
        if ("invited".equals(user.status())) {
            throw BaserDbException.unauthorized("The invitation of this account has expired; ask to be invited again");
        }
        if (!"active".equals(user.status())) {
            throw BaserDbException.unauthorized("Account is not active");
        }
        return Principal.session(user.id(), "kc_" + identity.sessionId(), user.platformRoles());
    }

    private UserView firstSight(KeycloakIdentity identity) {
        if (identity.email() == null || identity.email().isBlank()) {
            throw BaserDbException.unauthorized(
                    "The token carries no email (scope 'email'): BaserDB needs one to make the account");
        }
        String email = identity.email().trim().toLowerCase(Locale.ROOT);
        Optional<UserView> sameEmail = users.findByEmail(email);
        UserId userId;
        if (sameEmail.isPresent()) {
            if (!identity.emailVerified()) {
                throw BaserDbException.unauthorized(
                        "An account with this email exists; verify the email in Keycloak to sign in to it");
            }
            if (users.identitySubjectOf(PROVIDER, sameEmail.get().id()).isPresent()) {
                throw BaserDbException.unauthorized("This email belongs to another Keycloak user");
            }
            userId = new UserId(sameEmail.get().id());
        } else {
            userId = UserId.generate();
        }
        actAs(userId);
        try {
            commands.send(new LinkUserToIdentityProvider(userId, PROVIDER, identity.subject(),
                    personalData.seal(userId.value(), email), personalData.seal(userId.value(), identity.name())));
        } catch (RuntimeException raced) {
            // Two first requests of the same person at once: the other one made the account.
            Optional<UserView> other = users.findByIdentity(PROVIDER, identity.subject());
            if (other.isPresent()) {
                return other.get();
            }
            throw raced;
        }
        log.info("Keycloak user {} signed in for the first time as {}", identity.subject(), userId.value());
        return users.findById(userId.value()).orElseThrow();
    }

    /** The account BaserDB invited into the realm signs in: its invitation, and the membership it offered, are accepted. */
    private UserView acceptInvitation(UserView user, KeycloakIdentity identity) {
        actAs(new UserId(user.id()));
        try {
            commands.inOneTransaction(() -> {
                commands.send(new AcceptInvitationThroughIdentityProvider(new UserId(user.id()), PROVIDER,
                        identity.subject()));
                members.acceptTheInvitationThatCreatedTheAccount(user.id());
                return null;
            });
        } catch (BaserDbException expiredOrAnswered) {
            // An expired invitation: the account stays invited, and the caller is told so below.
        }
        return users.findById(user.id()).orElseThrow();
    }

    private static void actAs(UserId userId) {
        RequestContext context = RequestContext.current();
        if (context != null) {
            context.actor("user", userId.value());
        }
    }
}
