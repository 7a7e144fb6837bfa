package dev.baserdb.api.platform.security;

import jakarta.servlet.http.HttpServletRequest;

/** Where authentication leaves its result on the request: the principal, or why credentials were refused. */
public final class Principals {

    public static final String PRINCIPAL = Principals.class.getName() + ".principal";
    public static final String FAILURE = Principals.class.getName() + ".failure";

    private Principals() {
    }

    /** The request's principal, or {@code null} when there is none. */
    public static Principal of(HttpServletRequest request) {
        return request.getAttribute(PRINCIPAL) instanceof Principal principal ? principal : null;
    }
}
