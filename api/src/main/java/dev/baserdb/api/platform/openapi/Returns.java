package dev.baserdb.api.platform.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a handler puts in the envelope's {@code data} on success, for the OpenAPI document: the
 * contract customizer turns it into a typed envelope schema ({@code <Name>Envelope} or
 * {@code <Name>ListEnvelope}) answered with {@link #status()}. Handlers return
 * {@code ResponseEntity<Envelope>}, so without this the document could only say "some data".
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Returns {

    /** The class whose schema {@code data} has; ignored when {@link #schema()} is given. */
    Class<?> value() default Void.class;

    /** A schema declared by the contract itself (e.g. {@code "Row"}), instead of a class. */
    String schema() default "";

    /** {@code data} is an array of the schema, and {@code meta.page} describes the page. */
    boolean list() default false;

    /** The success status: 200, 201 or 202. */
    int status() default 200;

    /** The answer carries an {@code ETag} and honours {@code If-None-Match} with 304 ({@code Responses.resource}). */
    boolean conditional() default false;
}
