package dev.baserdb.api.identity.keycloak;

import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.identity.UserEvents.UserLinkedToIdentityProvider;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberAdded;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRemoved;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRoleChanged;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationCreated;
import dev.baserdb.kernel.organization.Role;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.organization.OrganizationDirectory;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Mirrors organizations and memberships into the realm: each organization is the group
 * {@code /baserdb/<slug>} with a subgroup per role, each member is in the subgroup of their role.
 * Asynchronous (its own streaming processor, tokens in PostgreSQL), so Keycloak being slow or down
 * never fails a command; a failing call stops the processor, which retries the event with a growing
 * back-off. Every step is idempotent, so a retry or a replay changes nothing twice. Members without a
 * Keycloak account (built-in users) have nothing to mirror; an account linked later (by its verified
 * email) gets its memberships mirrored at the link.
 */
@ProcessingGroup(KeycloakGroupMirror.GROUP)
class KeycloakGroupMirror {

    static final String GROUP = "keycloak-groups";

    private final KeycloakRealm realm;
    private final OrganizationDirectory organizations;
    private final UserDirectory users;

    KeycloakGroupMirror(KeycloakRealm realm, OrganizationDirectory organizations, UserDirectory users) {
        this.realm = realm;
        this.organizations = organizations;
        this.users = users;
    }

    @EventHandler
    void on(OrganizationCreated event) {
        realm.organizationGroups(event.slug());
    }

    @EventHandler
    void on(MemberAdded event) {
        mirror(event.organizationId(), event.userId(), event.role());
    }

    @EventHandler
    void on(MemberRoleChanged event) {
        mirror(event.organizationId(), event.userId(), event.role());
    }

    @EventHandler
    void on(MemberRemoved event) {
        mirror(event.organizationId(), event.userId(), null);
    }

    /** An account linked after it joined organizations (linked by email): its memberships so far. */
    @EventHandler
    void on(UserLinkedToIdentityProvider event) {
        if (!KeycloakSignIn.PROVIDER.equals(event.provider())) {
            return;
        }
        for (var membership : organizations.membershipsOf(event.userId().value())) {
            Role.fromWire(membership.role()).ifPresent(role ->
                    mirror(new OrganizationId(membership.organizationId()), event.userId(), role));
        }
    }

    private void mirror(OrganizationId organizationId, UserId userId, Role role) {
        var subject = users.identitySubjectOf(KeycloakSignIn.PROVIDER, userId.value());
        var organization = organizations.find(organizationId.value(), null);
        if (subject.isEmpty() || organization.isEmpty()) {
            return;
        }
        realm.mirrorMembership(subject.get(), organization.get().slug(), role);
    }
}
