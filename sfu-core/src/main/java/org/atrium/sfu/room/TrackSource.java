package org.atrium.sfu.room;

import java.util.Locale;

/**
 * What a published track carries, as a participant's application names it: the others
 * lay out a screen share apart from a camera, and show who muted what.
 */
public enum TrackSource {
    MICROPHONE(org.atrium.sfu.media.MediaKind.AUDIO),
    CAMERA(org.atrium.sfu.media.MediaKind.VIDEO),
    SCREEN(org.atrium.sfu.media.MediaKind.VIDEO),
    /** The audio a browser captures with a screen or tab, when it gives any. */
    SCREEN_AUDIO(org.atrium.sfu.media.MediaKind.AUDIO);

    private final org.atrium.sfu.media.MediaKind kind;

    TrackSource(org.atrium.sfu.media.MediaKind kind) {
        this.kind = kind;
    }

    public org.atrium.sfu.media.MediaKind kind() {
        return kind;
    }

    /** The protocol's name: {@code microphone}, {@code camera}, {@code screen}, {@code screen-audio}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The source of that wire name, or null when there is none. */
    public static TrackSource fromWireName(String name) {
        for (TrackSource source : values()) {
            if (source.wireName().equals(name)) {
                return source;
            }
        }
        return null;
    }
}
