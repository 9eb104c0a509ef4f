package org.atrium.sctp;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.i64;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.put64;
import static org.atrium.sctp.packet.Bytes.u16;
import static org.atrium.sctp.packet.Bytes.u32;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.atrium.sctp.packet.Bytes;

/**
 * The State Cookie of our INIT ACK (RFC 9260 5.1.3): everything needed to build the association
 * when the COOKIE ECHO returns, so an INIT costs no state. HMAC-SHA256 under a secret of this
 * endpoint signs it; it carries its creation time for the lifetime check.
 *
 * <pre>
 *  0        4              12      16       20        24         28         32     34     36  37   40
 * | magic  | created (ms) | myTag | peerTag | myTSN  | peerTSN  | peerRwnd | peerOS | peerMIS | fl | 0 |
 * | HMAC-SHA256 of bytes 0..40 (32 bytes)                                                              |
 * </pre>
 */
final class StateCookie {
    static final int LENGTH = 72;
    private static final int SIGNED = 40;
    private static final int MAGIC = 0x41545231; // "ATR1"
    private static final int FLAG_FORWARD_TSN = 1;
    private static final int FLAG_RECONFIG = 2;

    /** What the cookie says; {@code my} is the side that made the cookie. */
    record Contents(long createdMillis, int myTag, int peerTag, int myInitialTsn, int peerInitialTsn,
                    long peerWindow, int peerOutboundStreams, int peerInboundStreams, boolean forwardTsn,
                    boolean reconfig) {
    }

    private final Mac mac;
    private final byte[] expected = new byte[32];
    private final byte[] given = new byte[32];

    StateCookie(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Writes a signed cookie of {@link #LENGTH} bytes at {@code off}. */
    void write(byte[] b, int off, Contents c) {
        put32(b, off, MAGIC);
        put64(b, off + 4, c.createdMillis());
        put32(b, off + 12, c.myTag());
        put32(b, off + 16, c.peerTag());
        put32(b, off + 20, c.myInitialTsn());
        put32(b, off + 24, c.peerInitialTsn());
        put32(b, off + 28, c.peerWindow());
        put16(b, off + 32, c.peerOutboundStreams());
        put16(b, off + 34, c.peerInboundStreams());
        b[off + 36] = (byte) ((c.forwardTsn() ? FLAG_FORWARD_TSN : 0) | (c.reconfig() ? FLAG_RECONFIG : 0));
        b[off + 37] = 0;
        b[off + 38] = 0;
        b[off + 39] = 0;
        sign(b, off, b, off + SIGNED);
    }

    /** The contents of a cookie we signed, or null when its length, layout or signature is wrong. */
    Contents read(byte[] b, int off, int len) {
        if (len != LENGTH || !Bytes.inBounds(b, off, len) || i32(b, off) != MAGIC) {
            return null;
        }
        sign(b, off, expected, 0);
        System.arraycopy(b, off + SIGNED, given, 0, 32);
        if (!MessageDigest.isEqual(expected, given)) {
            return null;
        }
        int flags = b[off + 36];
        return new Contents(i64(b, off + 4), i32(b, off + 12), i32(b, off + 16), i32(b, off + 20), i32(b, off + 24),
            u32(b, off + 28), u16(b, off + 32), u16(b, off + 34), (flags & FLAG_FORWARD_TSN) != 0,
            (flags & FLAG_RECONFIG) != 0);
    }

    private void sign(byte[] b, int off, byte[] out, int outOff) {
        try {
            mac.update(b, off, SIGNED);
            mac.doFinal(out, outOff);
        } catch (GeneralSecurityException e) {
            Arrays.fill(out, outOff, outOff + 32, (byte) 0);
            throw new IllegalStateException(e);
        }
    }
}
