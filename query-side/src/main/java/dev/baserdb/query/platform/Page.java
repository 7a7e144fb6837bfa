package dev.baserdb.query.platform;

import java.util.List;
import java.util.function.Function;

/** One page of a list: the items, where it starts, how many were asked for, and how many there are. */
public record Page<T>(List<T> items, int limit, int offset, long total) {

    public boolean hasMore() {
        return offset + items.size() < total;
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), limit, offset, total);
    }
}
