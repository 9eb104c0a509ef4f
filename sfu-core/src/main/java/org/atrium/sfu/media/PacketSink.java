package org.atrium.sfu.media;

/** Where a participant's outgoing packets go: its transport, which protects and sends them. */
public interface PacketSink {

    /**
     * Protects the RTP packet in place and sends it; the buffer needs
     * {@code org.atrium.srtp.SrtpSession.MAX_TRAILER} free bytes after {@code len}.
     */
    boolean sendRtp(byte[] buf, int off, int len);

    /** Copies, protects and sends an RTCP compound packet. Safe from any thread. */
    boolean sendRtcp(byte[] buf, int off, int len);
}
