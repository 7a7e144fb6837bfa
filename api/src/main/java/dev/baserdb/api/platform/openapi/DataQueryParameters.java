package dev.baserdb.api.platform.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks data-API handlers that read their query string as a whole (filters are
 * {@code column=op.value} pairs whose names are the table's columns): the OpenAPI document then
 * lists the query parameters one by one, with the filters as a free-form object
 * ({@code style: form, explode: true}), instead of one opaque map.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface DataQueryParameters {

    /** Which query parameters besides the filters the handler reads. */
    Kind value();

    enum Kind {
        /** {@code order select limit offset count as_of search include_deleted} */
        LIST,
        /** {@code search as_of include_deleted} */
        COUNT,
        /** {@code fn column group_by search as_of include_deleted} */
        AGGREGATE
    }
}
