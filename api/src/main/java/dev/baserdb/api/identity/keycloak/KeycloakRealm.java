package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.organization.IdentityProviderInvitations;
import dev.baserdb.kernel.organization.Role;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What BaserDB changes in the realm, through the admin client and the client's service account:
 * the group tree {@code /baserdb/<organization slug>/<role>} and invited users. Every operation is
 * idempotent (find, then create; join and leave are absolute), so a retried event changes nothing twice.
 */
public class KeycloakRealm implements IdentityProviderInvitations {

    /** The top-level group under which every organization is a group. */
    public static final String ROOT_GROUP = "baserdb";

    private final Keycloak admin;
    private final String realmName;

    KeycloakRealm(Keycloak admin, String realmName) {
        this.admin = admin;
        this.realmName = realmName;
    }

    private RealmResource realm() {
        return admin.realm(realmName);
    }

    /** The organization's group path, {@code /baserdb/<slug>}. */
    public static String organizationPath(String slug) {
        return "/" + ROOT_GROUP + "/" + slug;
    }

    /** Makes sure the organization's group and one subgroup per role exist; returns the role groups' ids. */
    Map<Role, String> organizationGroups(String slug) {
        GroupRepresentation root = group("/" + ROOT_GROUP).orElseGet(() -> createTopLevel(ROOT_GROUP));
        GroupRepresentation organization = group(organizationPath(slug))
                .orElseGet(() -> createSubgroup(root.getId(), slug, organizationPath(slug)));
        Map<Role, String> roles = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            String path = organizationPath(slug) + "/" + role.wireName();
            roles.put(role, group(path).orElseGet(() -> createSubgroup(organization.getId(), role.wireName(), path)).getId());
        }
        return roles;
    }

    /**
     * Makes the user a member of exactly the role group {@code role} of the organization, or of none
     * of them when {@code role} is null. A user the realm no longer has is left alone.
     */
    void mirrorMembership(String subject, String slug, Role role) {
        Map<Role, String> groups = organizationGroups(slug);
        var user = realm().users().get(subject);
        try {
            for (Map.Entry<Role, String> group : groups.entrySet()) {
                if (group.getKey() == role) {
                    user.joinGroup(group.getValue());
                } else {
                    user.leaveGroup(group.getValue());
                }
            }
        } catch (NotFoundException gone) {
            // The person was deleted in Keycloak: there is nothing to mirror any more.
        }
    }

    /**
     * The realm user with this email; created, enabled, with the required actions "verify email"
     * and "update password" when the realm has none, so the invited person chooses their password
     * in Keycloak. Returns its id (the {@code sub} of its tokens).
     */
    @Override
    public String provider() {
        return KeycloakSignIn.PROVIDER;
    }

    @Override
    public String invitedUser(String email, String displayName) {
        Optional<UserRepresentation> existing = userByEmail(email);
        if (existing.isPresent()) {
            return existing.get().getId();
        }
        UserRepresentation user = new UserRepresentation();
        user.setUsername(email);
        user.setEmail(email);
        user.setEmailVerified(false);
        user.setEnabled(true);
        if (displayName != null && !displayName.isBlank()) {
            String[] names = displayName.trim().split("\\s+", 2);
            user.setFirstName(names[0]);
            user.setLastName(names.length > 1 ? names[1] : null);
        }
        user.setRequiredActions(List.of("VERIFY_EMAIL", "UPDATE_PASSWORD"));
        try (Response response = realm().users().create(user)) {
            if (response.getStatus() == 409) {
                return userByEmail(email).orElseThrow(() -> new IllegalStateException(
                        "Keycloak refused the user " + email + " as a duplicate but has none with this email")).getId();
            }
            return CreatedResponseUtil.getCreatedId(response);
        }
    }

    private Optional<UserRepresentation> userByEmail(String email) {
        return realm().users().searchByEmail(email, true).stream()
                .filter(user -> email.equalsIgnoreCase(user.getEmail())).findFirst();
    }

    private Optional<GroupRepresentation> group(String path) {
        try {
            return Optional.of(realm().getGroupByPath(path));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private GroupRepresentation createTopLevel(String name) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName(name);
        try (Response response = realm().groups().add(group)) {
            return created(response, "/" + name);
        }
    }

    private GroupRepresentation createSubgroup(String parentId, String name, String path) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName(name);
        try (Response response = realm().groups().group(parentId).subGroup(group)) {
            return created(response, path);
        }
    }

    /** The group just created, or the one another node created meanwhile (409). */
    private GroupRepresentation created(Response response, String path) {
        if (response.getStatus() != 201 && response.getStatus() != 409) {
            throw new IllegalStateException("Keycloak answered " + response.getStatus() + " creating group " + path);
        }
        return group(path).orElseThrow(() -> new IllegalStateException("Group " + path + " missing after creation"));
    }
}
