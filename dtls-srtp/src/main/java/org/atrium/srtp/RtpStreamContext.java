package org.atrium.srtp;

/**
 * The SRTP state of one SSRC in one direction: its own cipher, the highest packet index
 * (whose upper 32 bits are the rollover counter and lower 16 the highest sequence number
 * s_l of RFC 3711 section 3.3.1) and, when receiving, the replay window.
 *
 * <p>Methods are synchronized: uncontended when, as usual, one thread handles one SSRC.
 */
final class RtpStreamContext {
    private final PacketCipher cipher;
    private final ReplayWindow window;
    private int ssrc;
    private boolean started;
    private long highestIndex;

    RtpStreamContext(PacketCipher cipher, int replayWindowSize) {
        this.cipher = cipher;
        this.window = replayWindowSize > 0 ? new ReplayWindow(replayWindowSize) : null;
    }

    int ssrc() {
        return ssrc;
    }

    /** Prepares an unused context for a new SSRC. */
    void assign(int ssrc) {
        this.ssrc = ssrc;
    }

    /**
     * The index of a packet with this sequence number, guessing the rollover counter from the
     * highest index so far (RFC 3711 Appendix A). A result below zero means "before the
     * first rollover counter", which only a very old packet can be.
     */
    long estimateIndex(int seq) {
        if (!started) {
            return seq;
        }
        long roc = highestIndex >>> 16;
        int highestSeq = (int) (highestIndex & 0xffff);
        long v;
        if (highestSeq < 32768) {
            v = seq - highestSeq > 32768 ? roc - 1 : roc;
        } else {
            v = highestSeq - 32768 > seq ? roc + 1 : roc;
        }
        return (v << 16) | seq;
    }

    synchronized int protect(byte[] b, int off, int len, int headerLength, int seq) {
        long index = estimateIndex(seq);
        int result = cipher.protectRtp(b, off, len, headerLength, ssrc, (int) (index >> 16), seq);
        // A sender runs no replay check: NACK retransmissions reuse their original index.
        if (!started || index > highestIndex) {
            started = true;
            highestIndex = index;
        }
        return result;
    }

    synchronized int unprotect(byte[] b, int off, int len, int headerLength, int seq) {
        long index = estimateIndex(seq);
        int verdict = window.check(index);
        if (verdict < 0) {
            return verdict;
        }
        if (index < 0) {
            return SrtpError.TOO_OLD;
        }
        int result = cipher.unprotectRtp(b, off, len, headerLength, ssrc, (int) (index >> 16), seq);
        if (result < 0) {
            return result;
        }
        // RFC 3711 section 3.3: ROC, s_l and the window move only for authenticated packets.
        window.accept(index);
        if (!started || index > highestIndex) {
            started = true;
            highestIndex = index;
        }
        return result;
    }

    synchronized long highestIndex() {
        return highestIndex;
    }
}
