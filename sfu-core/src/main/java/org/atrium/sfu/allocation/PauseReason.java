package org.atrium.sfu.allocation;

/** Why a video subscription forwards nothing. */
public enum PauseReason {
    /** Even its lowest layer does not fit in what the estimate leaves. */
    BANDWIDTH("bandwidth"),
    /** The receiver does not render it (a 0x0 hint); costs nothing. */
    NOT_VISIBLE("not-visible"),
    /** The receiver or the application paused it. */
    RECEIVER("receiver"),
    /** The source sends no viable layer within the render cap (muted, or not started). */
    UNAVAILABLE("unavailable");

    private final String wireName;

    PauseReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in stats and in messages to clients. */
    public String wireName() {
        return wireName;
    }
}
