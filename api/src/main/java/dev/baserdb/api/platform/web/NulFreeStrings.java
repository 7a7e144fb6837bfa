package dev.baserdb.api.platform.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

import java.io.IOException;

/**
 * Reads every string of a request body (DTO fields, lists of strings) as Jackson does, but refuses
 * one that holds the NUL character: PostgreSQL cannot store it in text, so it would otherwise fail
 * as a 500 deep inside a command. The refusal names the field ({@link ApiExceptionHandler}).
 */
final class NulFreeStrings extends StdScalarDeserializer<String> {

    NulFreeStrings() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String value = StringDeserializer.instance.deserialize(parser, context);
        if (value != null && value.indexOf('\0') >= 0) {
            throw new NulCharacter(parser);
        }
        return value;
    }

    /** A string with a NUL character; Jackson adds the field path as it unwinds. */
    static final class NulCharacter extends MismatchedInputException {

        static final String PROBLEM = "must not contain the NUL character (\\u0000)";

        NulCharacter(JsonParser parser) {
            super(parser, "String " + PROBLEM, String.class);
        }
    }
}
