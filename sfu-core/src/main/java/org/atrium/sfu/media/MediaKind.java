package org.atrium.sfu.media;

/** The kind of a track, as in SDP's media type. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The name used in SDP m-lines and in the signaling protocol. */
    public String sdpName() {
        return sdpName;
    }

    /** The kind for an SDP media type, or null when it is none of ours. */
    public static MediaKind fromSdpName(String name) {
        for (MediaKind kind : values()) {
            if (kind.sdpName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
