package org.atrium.sctp;

/**
 * What a {@link DataChannelEndpoint} tells its host. Called on the thread that called the endpoint
 * (inside receive, handleTimeout, connect, send...); the host may call the endpoint back from a
 * callback, and what it sends then goes out when the outer call returns.
 */
public interface DataChannelListener {
    /** One SCTP packet to send over DTLS. The bytes are valid only during the call. */
    void sendPacket(byte[] packet, int offset, int length);

    /** The association is established (COOKIE ACK received or sent). */
    default void onConnected() {
    }

    /**
     * A channel opened: by the peer's DATA_CHANNEL_OPEN (the ACK is already sent), by the peer's
     * ACK of our own OPEN, or, for a negotiated channel, once the association is up.
     */
    void onChannelOpen(DataChannelInfo channel, boolean openedByPeer);

    /** A whole message; the array is the listener's to keep. */
    void onMessage(int streamId, boolean binary, byte[] message);

    /** The channel's stream was reset in both directions; its id may be opened again. */
    void onChannelClosed(int streamId);

    /** The channel's buffered amount fell to its threshold (0 unless set). */
    default void onBufferedAmountLow(int streamId) {
    }

    /** The association ended (ABORT either way, SHUTDOWN, too many retransmissions); no callback follows. */
    void onClosed(String reason);
}
