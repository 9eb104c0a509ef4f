package org.atrium.bench.load;

/** Where a publisher's packets go: the WebRTC peer or a UDP socket to the raw relay, each protecting them with SRTP. */
interface PacketSink {

    /**
     * Sends one plain RTP packet. The sink may change the bytes in place (SRTP) and may use
     * {@link SyntheticStream#TRAILER_ROOM} bytes after {@code len}; ownership returns to the
     * caller when the method returns. Returns false when the packet was not sent.
     */
    boolean send(byte[] b, int off, int len);
}
