package org.atrium.sfu.turn;

import java.util.Locale;

/** How a TURN client reaches the server (RFC 8656 3.1): its transport to the server, not the relay's. */
public enum TurnTransport {
    UDP,
    TCP,
    TLS;

    /** Lower-case name, as in metric tags and {@code turn:} URLs' {@code transport=}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
