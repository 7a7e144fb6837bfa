package dev.baserdb.api.platform.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The JSON body a handler reads as a tree ({@code @RequestBody JsonNode}), for the OpenAPI document:
 * handlers that read the tree themselves (to name every faulty field in one answer) declare here
 * the schema of what they accept, and the contract customizer puts it in place of a bare object.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Accepts {

    /** The class describing the body; ignored when {@link #schema()} is given. */
    Class<?> value() default Void.class;

    /** A schema declared by the contract itself (e.g. {@code "RowValues"}), instead of a class. */
    String schema() default "";
}
