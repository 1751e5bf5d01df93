package dev.taskwatch.taskcenter;

/**
 * How a list API reads its {@code offset} query parameter. The documents say "index offset: the query starts from the
 * N+1 piece of data", but the openGauss document's own example sends {@code offset=1} for a first page and public
 * clients (terraform-provider-huaweicloud's {@code data_source_huaweicloud_gaussdb_tasks.go}) page with
 * {@code offset=1,2,3...}: a server that reads page numbers would silently skip everything past the first page of a
 * poller that sends item offsets. The poller learns the reading from the answers themselves.
 */
public enum OffsetReading {
    /** {@code offset} counts elements from 0 (the documented reading). */
    ITEMS,
    /** {@code offset} is a page number counted from 1. */
    PAGES;

    /** The parameter for a page starting {@code itemOffset} elements in, with pages of {@code limit}. */
    public int parameter(int itemOffset, int limit) {
        return switch (this) {
            case ITEMS -> itemOffset;
            case PAGES -> itemOffset / limit + 1;
        };
    }
}
