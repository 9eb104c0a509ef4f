package org.atrium.sfu.media;

/** Where a participant's outgoing packets go: its transport, which protects and sends them. */
public interface PacketSink {

    /**
     * Protects the RTP packet in place and sends it; the buffer needs
     * {@code org.atrium.srtp.SrtpSession.MAX_TRAILER} free bytes after {@code len}.
     */
    boolean sendRtp(byte[] buf, int off, int len);

    /**
     * Sends a packet of a bandwidth probe (padding), which congestion control counts as part
     * of probe cluster {@code cluster}; as {@link #sendRtp} otherwise.
     */
    default boolean sendProbe(byte[] buf, int off, int len, int cluster) {
        return sendRtp(buf, off, len);
    }

    /** Copies, protects and sends an RTCP compound packet. Safe from any thread. */
    boolean sendRtcp(byte[] buf, int off, int len);
}
