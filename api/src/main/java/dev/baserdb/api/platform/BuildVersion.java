package dev.baserdb.api.platform;

import org.springframework.stereotype.Component;

/** The version of this build, as Maven packaged it (or "dev" when run from the IDE). */
@Component
public class BuildVersion {

    public String value() {
        String version = BuildVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
