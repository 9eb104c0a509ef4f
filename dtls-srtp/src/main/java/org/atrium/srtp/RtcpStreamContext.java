package org.atrium.srtp;

/**
 * The SRTCP state of one SSRC in one direction: its own cipher, the next SRTCP index when
 * sending, the replay window over received indices when receiving (RFC 3711 section 3.4).
 *
 * <p>Methods are synchronized: uncontended when one thread handles one SSRC.
 */
final class RtcpStreamContext {
    private final PacketCipher cipher;
    private final ReplayWindow window;
    private int ssrc;
    private int nextIndex;

    RtcpStreamContext(PacketCipher cipher, int replayWindowSize) {
        this.cipher = cipher;
        this.window = replayWindowSize > 0 ? new ReplayWindow(replayWindowSize) : null;
    }

    int ssrc() {
        return ssrc;
    }

    void assign(int ssrc) {
        this.ssrc = ssrc;
    }

    synchronized int protect(byte[] b, int off, int len) {
        int index = nextIndex;
        // RFC 3711 section 3.3.2: the SRTCP index starts at zero and counts modulo 2^31.
        nextIndex = (nextIndex + 1) & 0x7fffffff;
        return cipher.protectRtcp(b, off, len, ssrc, index);
    }

    synchronized int unprotect(byte[] b, int off, int len) {
        int word = PacketCipher.getInt(b, cipher.srtcpIndexWordOffset(off, len));
        long index = word & 0x7fffffffL;
        int verdict = window.check(index);
        if (verdict < 0) {
            return verdict;
        }
        int result = cipher.unprotectRtcp(b, off, len, ssrc, word);
        if (result >= 0) {
            window.accept(index);
        }
        return result;
    }

    /** Sets the index of the next packet protected; for reproducing published vectors. */
    synchronized void setNextIndex(int index) {
        nextIndex = index & 0x7fffffff;
    }
}
