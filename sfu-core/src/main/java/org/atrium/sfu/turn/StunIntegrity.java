package org.atrium.sfu.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (RFC 8489 14.5) and FINGERPRINT (14.7) over raw STUN bytes. ice4j computes
 * them only through a StunStack and its credentials manager, which a sans-I/O engine has not;
 * the arithmetic is small, and RFC 5769's vectors pin it.
 *
 * <p>Both cover the message up to the attribute with the header's length field set as if the
 * attribute were the last one: MESSAGE-INTEGRITY is HMAC-SHA1 with the key, FINGERPRINT is
 * CRC-32 XOR 0x5354554E.
 */
final class StunIntegrity {

    static final int INTEGRITY = 0x0008;
    static final int FINGERPRINT = 0x8028;
    static final int INTEGRITY_LENGTH = 20;
    private static final int FINGERPRINT_XOR = 0x5354554E;

    private StunIntegrity() {
    }

    /** The long-term key (RFC 8489 9.2.2): MD5(username ":" realm ":" password), after SASLprep, which our ASCII names need not. */
    static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /** The short-term key (RFC 8489 9.1.1) is the password itself; RFC 5769's first vectors use one. */
    static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hmacSha1(byte[] key, byte[] data) {
        return hmacSha1(key, data, 0, data.length);
    }

    static byte[] hmacSha1(byte[] key, byte[] data, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    /**
     * Whether the MESSAGE-INTEGRITY attribute at {@code integrityAt} (its header's offset in
     * {@code msg}, a message starting at 0) matches {@code key}. {@code msg} is left as it was.
     */
    static boolean verifyIntegrity(byte[] msg, int integrityAt, byte[] key) {
        if (integrityAt < 20 || integrityAt + 4 + INTEGRITY_LENGTH > msg.length) {
            return false;
        }
        byte hi = msg[2];
        byte lo = msg[3];
        setLength(msg, integrityAt - 20 + 4 + INTEGRITY_LENGTH);
        byte[] expected = hmacSha1(key, msg, 0, integrityAt);
        msg[2] = hi;
        msg[3] = lo;
        return MessageDigest.isEqual(expected,
                Arrays.copyOfRange(msg, integrityAt + 4, integrityAt + 4 + INTEGRITY_LENGTH));
    }

    /** Whether the FINGERPRINT attribute at {@code fingerprintAt}, the message's last, holds the CRC of what precedes it. */
    static boolean verifyFingerprint(byte[] buf, int off, int fingerprintAt) {
        return readInt(buf, fingerprintAt + 4) == fingerprint(buf, off, fingerprintAt - off);
    }

    /** FINGERPRINT's value over {@code len} bytes of a message whose length field already counts the FINGERPRINT. */
    static int fingerprint(byte[] buf, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(buf, off, len);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /**
     * {@code msg} (a whole message without either attribute) with MESSAGE-INTEGRITY by {@code key}
     * (none when null) and then FINGERPRINT appended, each over the message so far (RFC 8489 14.5, 14.7).
     */
    static byte[] seal(byte[] msg, byte[] key) {
        int integrity = key == null ? 0 : 4 + INTEGRITY_LENGTH;
        byte[] out = Arrays.copyOf(msg, msg.length + integrity + 8);
        int at = msg.length;
        if (key != null) {
            setLength(out, at - 20 + integrity);
            byte[] mac = hmacSha1(key, out, 0, at);
            writeShort(out, at, INTEGRITY);
            writeShort(out, at + 2, INTEGRITY_LENGTH);
            System.arraycopy(mac, 0, out, at + 4, INTEGRITY_LENGTH);
            at += integrity;
        }
        setLength(out, at - 20 + 8);
        writeShort(out, at, FINGERPRINT);
        writeShort(out, at + 2, 4);
        writeInt(out, at + 4, fingerprint(out, 0, at));
        return out;
    }

    private static void setLength(byte[] msg, int length) {
        writeShort(msg, 2, length);
    }

    static void writeShort(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 8);
        buf[at + 1] = (byte) value;
    }

    static void writeInt(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }

    static int readShort(byte[] buf, int at) {
        return ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
    }

    static int readInt(byte[] buf, int at) {
        return ((buf[at] & 0xFF) << 24) | ((buf[at + 1] & 0xFF) << 16) | ((buf[at + 2] & 0xFF) << 8)
                | (buf[at + 3] & 0xFF);
    }
}
