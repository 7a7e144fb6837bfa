package dev.baserdb.api.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Platform-wide beans: the clock everything reads time from (the OpenAPI document is platform.openapi's). */
@Configuration
class PlatformConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
