package org.atrium.sfu.turn;

/**
 * What the sans-I/O {@link TurnEngine} asks of its I/O edge (the listeners and relay sockets of
 * {@code TurnServer}). Called on the thread that called into the engine.
 */
public interface TurnIo {

    /**
     * Sends one STUN message or ChannelData message to a client. Over TCP and TLS the bytes are
     * written as they are (both kinds carry their own length; ChannelData is already padded to a
     * multiple of four, RFC 8656 12.5). Never throws. The buffer stays the caller's.
     */
    void sendToClient(TurnClient client, byte[] buf, int off, int len);

    /** Binds a relay socket for a new allocation of {@code client}; null when no relay port is free. */
    RelaySocket openRelay(TurnClient client);
}
