package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.organization.MemberService;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.web.EnvelopeWriter;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.organization.OrganizationDirectory;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.ws.rs.client.ClientBuilder;
import org.axonframework.config.EventProcessingConfigurer;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Identity mode keycloak ({@code BASERDB_IDENTITY=keycloak}, docs/keycloak.md): realm tokens on
 * every platform route, the realm's users as BaserDB users, organizations mirrored as groups,
 * invitations made in the realm, the built-in password routes closed. Nothing here exists in the
 * default mode {@code builtin}, which needs nothing of Keycloak.
 */
@Configuration
@ConditionalOnProperty(name = "baserdb.identity", havingValue = "keycloak")
@EnableConfigurationProperties(KeycloakProperties.class)
public class KeycloakConfiguration {

    @Bean
    KeycloakTokens keycloakTokens(KeycloakProperties properties, Clock clock) {
        properties.requireComplete();
        return new KeycloakTokens(properties, clock);
    }

    @Bean
    KeycloakSignIn keycloakSignIn(KeycloakTokens tokens, UserDirectory users, Commands commands,
                                  PersonalData personalData, MemberService members) {
        return new KeycloakSignIn(tokens, users, commands, personalData, members);
    }

    /** The admin client, signed in as the confidential client's service account (client credentials). */
    @Bean(destroyMethod = "close")
    Keycloak keycloakAdminClient(KeycloakProperties properties) {
        properties.requireComplete();
        long timeout = properties.timeout().toMillis();
        return KeycloakBuilder.builder()
                .serverUrl(properties.url())
                .realm(properties.realm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .resteasyClient(ClientBuilder.newBuilder()
                        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS)
                        .build())
                .build();
    }

    @Bean
    KeycloakRealm keycloakRealm(Keycloak adminClient, KeycloakProperties properties) {
        return new KeycloakRealm(adminClient, properties.realm());
    }

    @Bean
    KeycloakGroupMirror keycloakGroupMirror(KeycloakRealm realm, OrganizationDirectory organizations,
                                            UserDirectory users) {
        return new KeycloakGroupMirror(realm, organizations, users);
    }

    /** One segment: group creation and memberships are applied in event order, by one thread. */
    @Autowired
    void configureGroupMirror(EventProcessingConfigurer processing) {
        processing.registerPooledStreamingEventProcessor(KeycloakGroupMirror.GROUP,
                org.axonframework.config.Configuration::eventStore,
                (configuration, builder) -> builder.initialSegmentCount(1));
    }

    /** Before authentication: a closed route answers 400 whatever credentials came with it. */
    @Bean
    FilterRegistrationBean<KeycloakOnlyRoutes> keycloakOnlyRoutes(EnvelopeWriter envelopes) {
        FilterRegistrationBean<KeycloakOnlyRoutes> registration =
                new FilterRegistrationBean<>(new KeycloakOnlyRoutes(envelopes));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** The OpenAPI document declares the realm as an OpenID Connect scheme beside the bearer one. */
    @Bean
    OpenApiCustomizer keycloakOpenApi(KeycloakProperties properties) {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes("keycloak", new SecurityScheme()
                    .type(SecurityScheme.Type.OPENIDCONNECT)
                    .openIdConnectUrl(properties.issuer() + "/.well-known/openid-configuration")
                    .description("Access tokens of the Keycloak realm '" + properties.realm() + "' (RS256), "
                            + "sent as 'Authorization: Bearer <token>'"));
        };
    }
}
