package dev.baserdb.api.audit;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Runs the audit checkpoint job ({@link AuditCheckpoints#scheduled}) on Spring's scheduler. */
@Configuration
@EnableScheduling
class AuditScheduling {
}
