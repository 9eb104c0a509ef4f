package org.atrium.srtp;

/**
 * SRTP and SRTCP for one direction of one transport (RFC 3711, RFC 7714): a sending session
 * protects, a receiving session unprotects. Each SSRC gets its own crypto context on first use,
 * up to a fixed number of SSRCs; beyond that new SSRCs get {@link SrtpError#TOO_MANY_SSRCS}.
 *
 * <p>Packets are transformed in place in {@code (b, off, len)}; methods return the new length or
 * a negative {@link SrtpError} code and never throw for bad packets. Protecting appends at most
 * {@link #MAX_TRAILER} bytes, which the caller leaves spare after {@code len}.
 *
 * <p>A receiving session creates a context for a new SSRC only once a packet from it
 * authenticates, so forged packets with made-up SSRCs cannot use up the SSRC limit.
 *
 * <p>Thread-safety: all methods may be called from any thread. Each SSRC's context is
 * internally synchronized (uncontended when one thread handles one SSRC, as expected), and
 * different SSRCs run in parallel; context creation takes a session-wide lock.
 */
public final class SrtpSession {
    /** The largest trailer any profile appends: GCM's 16-byte tag plus the SRTCP index word. */
    public static final int MAX_TRAILER = 20;
    public static final int DEFAULT_MAX_SSRCS = 64;
    /**
     * RTP replay window in packets: RFC 3711 requires at least 64; video bursts reorder more
     * than that, and libwebrtc uses 1024 as well.
     */
    public static final int DEFAULT_RTP_REPLAY_WINDOW = 1024;
    public static final int DEFAULT_RTCP_REPLAY_WINDOW = 128;

    private static final int RTP_HEADER_LENGTH = 12;
    private static final int RTCP_HEADER_LENGTH = 8;

    private final SrtpProfile profile;
    private final SessionKeys keys;
    private final boolean sending;
    private final int maxSsrcs;
    private final int rtpReplayWindow;
    private final int rtcpReplayWindow;
    private final SsrcTable<RtpStreamContext> rtpStreams;
    private final SsrcTable<RtcpStreamContext> rtcpStreams;
    /** Receiving: the context that authenticates a packet of a not yet known SSRC (guarded by this). */
    private RtpStreamContext pendingRtp;
    private RtcpStreamContext pendingRtcp;

    private SrtpSession(SrtpProfile profile, SessionKeys keys, boolean sending, int maxSsrcs, int rtpReplayWindow,
            int rtcpReplayWindow) {
        if (maxSsrcs < 1) {
            throw new IllegalArgumentException("maxSsrcs must be positive: " + maxSsrcs);
        }
        this.profile = profile;
        this.keys = keys;
        this.sending = sending;
        this.maxSsrcs = maxSsrcs;
        this.rtpReplayWindow = sending ? 0 : rtpReplayWindow;
        this.rtcpReplayWindow = sending ? 0 : rtcpReplayWindow;
        if (!sending) {
            // Validate window sizes now rather than on the first packet.
            new ReplayWindow(rtpReplayWindow);
            new ReplayWindow(rtcpReplayWindow);
        }
        this.rtpStreams = new SsrcTable<>(maxSsrcs);
        this.rtcpStreams = new SsrcTable<>(maxSsrcs);
    }

    /** A session protecting outgoing packets with the given master key and salt. */
    public static SrtpSession forSending(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return forSending(profile, masterKey, masterSalt, DEFAULT_MAX_SSRCS);
    }

    public static SrtpSession forSending(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int maxSsrcs) {
        return new SrtpSession(profile, SessionKeys.derive(profile, masterKey, masterSalt), true, maxSsrcs, 0, 0);
    }

    /** A session unprotecting incoming packets with the given master key and salt. */
    public static SrtpSession forReceiving(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return forReceiving(profile, masterKey, masterSalt, DEFAULT_MAX_SSRCS, DEFAULT_RTP_REPLAY_WINDOW);
    }

    /** @param rtpReplayWindow RTP replay window in packets, a power of two of at least 64 */
    public static SrtpSession forReceiving(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int maxSsrcs,
            int rtpReplayWindow) {
        return new SrtpSession(profile, SessionKeys.derive(profile, masterKey, masterSalt), false, maxSsrcs,
                rtpReplayWindow, DEFAULT_RTCP_REPLAY_WINDOW);
    }

    /** A session on session keys given directly (RTP and RTCP alike), as RFC 7714's vectors state them. */
    static SrtpSession withSessionKeys(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey, boolean sending) {
        return new SrtpSession(profile, SessionKeys.ofSessionKeys(profile, key, salt, authKey), sending,
                DEFAULT_MAX_SSRCS, DEFAULT_RTP_REPLAY_WINDOW, DEFAULT_RTCP_REPLAY_WINDOW);
    }

    /**
     * A new session like this one (same keys, direction and limits, no streams yet) whose
     * AEAD_AES_128_GCM runs on {@code implementation} instead of the process's choice: tests and
     * benchmarks compare the implementations with it.
     */
    SrtpSession withGcm(GcmImplementation implementation) {
        return new SrtpSession(profile, keys.withGcm(implementation), sending, maxSsrcs,
                sending ? DEFAULT_RTP_REPLAY_WINDOW : rtpReplayWindow,
                sending ? DEFAULT_RTCP_REPLAY_WINDOW : rtcpReplayWindow);
    }

    public SrtpProfile profile() {
        return profile;
    }

    public boolean isSending() {
        return sending;
    }

    /** Number of SSRCs with an RTP context. */
    public int rtpSsrcCount() {
        return rtpStreams.size();
    }

    /** Number of SSRCs with an RTCP context. */
    public int rtcpSsrcCount() {
        return rtcpStreams.size();
    }

    /** Forgets an SSRC's RTP and RTCP state, freeing its slot; true if it had any. */
    public synchronized boolean removeSsrc(int ssrc) {
        boolean rtp = rtpStreams.remove(ssrc);
        boolean rtcp = rtcpStreams.remove(ssrc);
        return rtp || rtcp;
    }

    /**
     * Encrypts and authenticates an RTP packet in place; the rollover counter follows the
     * sequence numbers given (RFC 3711 section 3.3.1). Returns the new length or an error code.
     */
    public int protectRtp(byte[] b, int off, int len) {
        if (!sending) {
            return SrtpError.WRONG_DIRECTION;
        }
        int headerLength = rtpHeaderLength(b, off, len);
        if (headerLength < 0) {
            return headerLength;
        }
        if (b.length - off - len < profile.rtpTrailerLength()) {
            return SrtpError.BUFFER_TOO_SMALL;
        }
        int ssrc = PacketCipher.getInt(b, off + 8);
        RtpStreamContext stream = rtpStreams.get(ssrc);
        if (stream == null) {
            stream = newSendingRtpStream(ssrc);
            if (stream == null) {
                return SrtpError.TOO_MANY_SSRCS;
            }
        }
        return stream.protect(b, off, len, headerLength, sequenceNumber(b, off));
    }

    /**
     * Verifies and decrypts an SRTP packet in place (RFC 3711 section 3.3). Returns the RTP
     * length or an error code; on error the session state is as before the call.
     */
    public int unprotectRtp(byte[] b, int off, int len) {
        if (sending) {
            return SrtpError.WRONG_DIRECTION;
        }
        int headerLength = rtpHeaderLength(b, off, len);
        if (headerLength < 0) {
            return headerLength;
        }
        if (len - headerLength < profile.rtpTrailerLength()) {
            return SrtpError.TOO_SHORT;
        }
        int ssrc = PacketCipher.getInt(b, off + 8);
        int seq = sequenceNumber(b, off);
        RtpStreamContext stream = rtpStreams.get(ssrc);
        if (stream != null) {
            return stream.unprotect(b, off, len, headerLength, seq);
        }
        synchronized (this) {
            stream = rtpStreams.get(ssrc);
            if (stream != null) {
                return stream.unprotect(b, off, len, headerLength, seq);
            }
            if (rtpStreams.size() >= maxSsrcs) {
                return SrtpError.TOO_MANY_SSRCS;
            }
            if (pendingRtp == null) {
                pendingRtp = new RtpStreamContext(PacketCipher.forRtp(keys), rtpReplayWindow);
            }
            pendingRtp.assign(ssrc);
            int result = pendingRtp.unprotect(b, off, len, headerLength, seq);
            if (result >= 0) {
                rtpStreams.put(ssrc, pendingRtp);
                pendingRtp = null;
            }
            return result;
        }
    }

    /** Encrypts and authenticates an RTCP (compound) packet in place (RFC 3711 section 3.4). */
    public int protectRtcp(byte[] b, int off, int len) {
        if (!sending) {
            return SrtpError.WRONG_DIRECTION;
        }
        int check = checkRtcpHeader(b, off, len, 0);
        if (check < 0) {
            return check;
        }
        if (b.length - off - len < profile.rtcpTrailerLength()) {
            return SrtpError.BUFFER_TOO_SMALL;
        }
        int ssrc = PacketCipher.getInt(b, off + 4);
        RtcpStreamContext stream = rtcpStreams.get(ssrc);
        if (stream == null) {
            stream = newSendingRtcpStream(ssrc);
            if (stream == null) {
                return SrtpError.TOO_MANY_SSRCS;
            }
        }
        return stream.protect(b, off, len);
    }

    /** Verifies and decrypts an SRTCP packet in place; returns the RTCP length or an error code. */
    public int unprotectRtcp(byte[] b, int off, int len) {
        if (sending) {
            return SrtpError.WRONG_DIRECTION;
        }
        int check = checkRtcpHeader(b, off, len, profile.rtcpTrailerLength());
        if (check < 0) {
            return check;
        }
        int ssrc = PacketCipher.getInt(b, off + 4);
        RtcpStreamContext stream = rtcpStreams.get(ssrc);
        if (stream != null) {
            return stream.unprotect(b, off, len);
        }
        synchronized (this) {
            stream = rtcpStreams.get(ssrc);
            if (stream != null) {
                return stream.unprotect(b, off, len);
            }
            if (rtcpStreams.size() >= maxSsrcs) {
                return SrtpError.TOO_MANY_SSRCS;
            }
            if (pendingRtcp == null) {
                pendingRtcp = new RtcpStreamContext(PacketCipher.forRtcp(keys), rtcpReplayWindow);
            }
            pendingRtcp.assign(ssrc);
            int result = pendingRtcp.unprotect(b, off, len);
            if (result >= 0) {
                rtcpStreams.put(ssrc, pendingRtcp);
                pendingRtcp = null;
            }
            return result;
        }
    }

    /** Sets the SRTCP index the next protected packet of that SSRC carries (published vectors only). */
    void setNextSrtcpIndex(int ssrc, int index) {
        RtcpStreamContext stream = rtcpStreams.get(ssrc);
        if (stream == null) {
            stream = newSendingRtcpStream(ssrc);
        }
        stream.setNextIndex(index);
    }

    private synchronized RtpStreamContext newSendingRtpStream(int ssrc) {
        RtpStreamContext stream = rtpStreams.get(ssrc);
        if (stream != null) {
            return stream;
        }
        if (rtpStreams.size() >= maxSsrcs) {
            return null;
        }
        stream = new RtpStreamContext(PacketCipher.forRtp(keys), 0);
        stream.assign(ssrc);
        rtpStreams.put(ssrc, stream);
        return stream;
    }

    private synchronized RtcpStreamContext newSendingRtcpStream(int ssrc) {
        RtcpStreamContext stream = rtcpStreams.get(ssrc);
        if (stream != null) {
            return stream;
        }
        if (rtcpStreams.size() >= maxSsrcs) {
            return null;
        }
        stream = new RtcpStreamContext(PacketCipher.forRtcp(keys), 0);
        stream.assign(ssrc);
        rtcpStreams.put(ssrc, stream);
        return stream;
    }

    private static int sequenceNumber(byte[] b, int off) {
        return ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /**
     * RTP header length including CSRCs and the extension (RFC 3550 section 5.1, 5.3.1), or an
     * error code.
     */
    private static int rtpHeaderLength(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            return SrtpError.MALFORMED;
        }
        if (len < RTP_HEADER_LENGTH) {
            return SrtpError.TOO_SHORT;
        }
        int first = b[off] & 0xff;
        if ((first >>> 6) != 2) {
            return SrtpError.MALFORMED;
        }
        int headerLength = RTP_HEADER_LENGTH + 4 * (first & 0x0f);
        if ((first & 0x10) != 0) {
            if (headerLength + 4 > len) {
                return SrtpError.MALFORMED;
            }
            int words = ((b[off + headerLength + 2] & 0xff) << 8) | (b[off + headerLength + 3] & 0xff);
            headerLength += 4 + 4 * words;
        }
        return headerLength > len ? SrtpError.MALFORMED : headerLength;
    }

    private static int checkRtcpHeader(byte[] b, int off, int len, int trailerLength) {
        if (off < 0 || len < 0 || off > b.length - len) {
            return SrtpError.MALFORMED;
        }
        if (len < RTCP_HEADER_LENGTH + trailerLength) {
            return SrtpError.TOO_SHORT;
        }
        if (((b[off] & 0xff) >>> 6) != 2) {
            return SrtpError.MALFORMED;
        }
        return 0;
    }
}
