package dev.baserdb.api.platform.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks handlers that serve callers with or without credentials (the data API: anonymous callers
 * get the {@code anon} role), so the OpenAPI document offers bearer, {@code X-API-Key} or nothing.
 * Handlers that take a {@code Principal} require credentials; handlers with neither are public.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface AnonymousAllowed {
}
