package dev.baserdb.api.project;

import dev.baserdb.api.platform.security.Secrets;

import java.util.Locale;

/** What every new project gets, whether created or restored from a backup: a slug from its name and a service key. */
public final class NewProjects {

    static final String SERVICE_KEY_PREFIX = "bdb_sk_";

    private NewProjects() {
    }

    /** A fresh service key ({@code bdb_sk_…}); only its SHA-256 is ever stored. */
    public static String serviceKey() {
        return SERVICE_KEY_PREFIX + Secrets.newToken();
    }

    /** The slug a name gives when none is asked for. */
    public static String slugOf(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() < 2) {
            slug = "project-" + slug;
        }
        return slug.length() > 63 ? slug.substring(0, 63).replaceAll("-+$", "") : slug;
    }
}
