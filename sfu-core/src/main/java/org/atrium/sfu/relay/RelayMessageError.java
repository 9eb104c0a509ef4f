package org.atrium.sfu.relay;

/** Why bytes from a relay link are not a {@link RelayMessage}; the link drops the message and counts it by its label. */
public enum RelayMessageError {
    OUT_OF_BOUNDS("out_of_bounds", "offset and length do not lie inside the buffer"),
    UNKNOWN_TYPE("unknown_type", "the type byte is no message of this version"),
    TRUNCATED("truncated", "a field runs past the end of the message"),
    TRAILING_BYTES("trailing_bytes", "bytes after the last field"),
    RESERVED_FLAGS("reserved_flags", "a reserved bit of a flags byte or of a layer mask is set"),
    BAD_LENGTH("bad_length", "a string of length 0 where one is required, or longer than its field allows"),
    BAD_UTF8("bad_utf8", "a string that is not well-formed UTF-8"),
    BAD_TOKEN("bad_token", "a node id or a reason with a character outside A-Z a-z 0-9 . _ -"),
    BAD_VERSION("bad_version", "a hello with version 0"),
    UNKNOWN_KIND("unknown_kind", "a media kind code that is none of ours"),
    UNKNOWN_SOURCE("unknown_source", "a track source code that is none of ours"),
    SOURCE_KIND_MISMATCH("source_kind_mismatch", "a track source of the other kind than its track"),
    BAD_LAYER_COUNT("bad_layer_count", "a track with no layer or more than three"),
    BAD_LAYER_RIDS("bad_layer_rids", "several layers of a track, not each with its own rid");

    private final String label;
    private final String description;

    RelayMessageError(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The name to count it under. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }
}
