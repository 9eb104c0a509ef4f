package org.atrium.sfu.turn;

import java.time.Instant;
import java.util.Objects;

/** One client's TURN credential, handed to the browser in its ICE servers; valid until {@code expires}. */
public record TurnCredential(String username, String password, Instant expires) {

    public TurnCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(expires, "expires");
    }

    /** Leaves the password out. */
    @Override
    public String toString() {
        return "TurnCredential[username=" + username + ", expires=" + expires + "]";
    }
}
