package dev.baserdb.api.platform;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Platform-wide beans: the clock everything reads time from, and the OpenAPI document's header. */
@Configuration
class PlatformConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OpenAPI openApi(BuildVersion version) {
        return new OpenAPI()
                .info(new Info().title("BaserDB API").version(version.value())
                        .description("Event-sourced backend platform: every change is an immutable event."))
                .schemaRequirement("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT"));
    }
}
