package org.atrium.rtp;

/**
 * Why a packet was rejected by a parser. Parsers return one of these instead of throwing, so the
 * media path can count each drop reason.
 */
public enum PacketError {
    OUT_OF_BOUNDS("offset and length do not lie inside the buffer"),
    TOO_SHORT("shorter than the fixed header"),
    BAD_VERSION("version is not 2"),
    BAD_CSRC_COUNT("CSRC list runs past the end of the packet"),
    BAD_EXTENSION_LENGTH("header extension runs past the end of the packet"),
    BAD_EXTENSION_ELEMENT("an RFC 8285 header extension element runs past the end of its block"),
    BAD_PADDING("padding count is 0 or larger than the room after the header"),
    BAD_RTCP_LENGTH("RTCP length field runs past the end of the buffer or is too small for its type"),
    BAD_RTCP_TYPE("packet type is outside the RTCP range 192..223"),
    TRUNCATED_FEEDBACK("feedback message shorter than its common header or its FCI");

    private final String description;

    PacketError(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
