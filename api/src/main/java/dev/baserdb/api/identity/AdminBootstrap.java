package dev.baserdb.api.identity;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.query.identity.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Creates the first platform admin from {@code BASERDB_ADMIN_EMAIL} / {@code BASERDB_ADMIN_PASSWORD}
 * at start. Idempotent: once the account exists, later starts leave it as it is.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final BaserDbProperties properties;
    private final AuthService auth;
    private final UserDirectory users;

    AdminBootstrap(BaserDbProperties properties, AuthService auth, UserDirectory users) {
        this.properties = properties;
        this.auth = auth;
        this.users = users;
    }

    @Override
    public void run(ApplicationArguments args) {
        BaserDbProperties.Admin admin = properties.admin();
        if (admin == null || isBlank(admin.email()) || isBlank(admin.password())) {
            return;
        }
        if (users.emailTaken(admin.email())) {
            return;
        }
        int characters = admin.password().codePointCount(0, admin.password().length());
        if (characters < 8 || characters > 128) {
            throw new IllegalStateException("BASERDB_ADMIN_PASSWORD must be 8 to 128 characters");
        }
        RequestContext.set(RequestContext.system("bootstrap-admin"));
        try {
            auth.register(admin.email(), admin.password(), "Platform admin", "en", Set.of("platform_admin"));
            log.info("Created the first platform admin {}", admin.email());
        } finally {
            RequestContext.clear();
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
