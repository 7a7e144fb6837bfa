package dev.baserdb.command;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/**
 * Matches a {@link BaserDbException} by its {@link ErrorCode}, for
 * {@code fixture.when(...).expectException(withCode(ErrorCode.CONFLICT))}.
 */
public final class ErrorCodeMatcher extends TypeSafeMatcher<BaserDbException> {

    private final ErrorCode expected;

    private ErrorCodeMatcher(ErrorCode expected) {
        this.expected = expected;
    }

    public static Matcher<BaserDbException> withCode(ErrorCode expected) {
        return new ErrorCodeMatcher(expected);
    }

    @Override
    protected boolean matchesSafely(BaserDbException exception) {
        return exception.code() == expected;
    }

    @Override
    public void describeTo(Description description) {
        description.appendText("a BaserDbException with code ").appendValue(expected);
    }

    @Override
    protected void describeMismatchSafely(BaserDbException exception, Description mismatch) {
        mismatch.appendText("code was ").appendValue(exception.code()).appendText(" (")
                .appendValue(exception.getMessage()).appendText(")");
    }
}
