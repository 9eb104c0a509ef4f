package org.atrium.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * HMAC-SHA1 (RFC 2104, FIPS 180-4) in plain Java with the keyed inner and outer states
 * computed once, so a message costs its own blocks plus two finalisations and allocates nothing.
 *
 * <p>Only a comparison subject for {@link CryptoPrimitivesBenchmark}: on CPUs with SHA
 * instructions the JDK's intrinsic SHA-1 that Atrium's {@code HmacSha1} uses is several times
 * faster. The benchmark checks it against {@code javax.crypto.Mac} before measuring.
 */
final class PlainJavaHmacSha1 {
    static final int DIGEST_LENGTH = 20;
    private static final int BLOCK_LENGTH = 64;
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** SHA-1 state after the key XOR ipad, and after the key XOR opad (RFC 2104 section 2). */
    private final int[] innerStart = new int[5];
    private final int[] outerStart = new int[5];
    private final int[] state = new int[5];
    private final int[] w = new int[80];
    /** Bytes of a block not yet complete. */
    private final byte[] pending = new byte[BLOCK_LENGTH];
    private int pendingLength;
    private long totalLength;

    PlainJavaHmacSha1(byte[] key) {
        byte[] k = key;
        if (k.length > BLOCK_LENGTH) {
            // RFC 2104: keys longer than the block are hashed first (SRTP keys never are).
            PlainJavaHmacSha1 plain = new PlainJavaHmacSha1(new byte[0]);
            plain.resetTo(INITIAL_STATE);
            plain.update(key, 0, key.length);
            k = new byte[DIGEST_LENGTH];
            plain.finishHash(k, 0);
        }
        byte[] block = new byte[BLOCK_LENGTH];
        for (int i = 0; i < BLOCK_LENGTH; i++) {
            block[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
        }
        System.arraycopy(INITIAL_STATE, 0, innerStart, 0, 5);
        compress(innerStart, block, 0);
        for (int i = 0; i < BLOCK_LENGTH; i++) {
            block[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
        }
        System.arraycopy(INITIAL_STATE, 0, outerStart, 0, 5);
        compress(outerStart, block, 0);
    }

    private static final int[] INITIAL_STATE = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};

    /** Begins a new message. */
    void start() {
        resetTo(innerStart);
        totalLength = BLOCK_LENGTH;
    }

    private void resetTo(int[] start) {
        System.arraycopy(start, 0, state, 0, 5);
        pendingLength = 0;
        totalLength = 0;
    }

    void update(byte[] b, int off, int len) {
        totalLength += len;
        if (pendingLength > 0) {
            int take = Math.min(len, BLOCK_LENGTH - pendingLength);
            System.arraycopy(b, off, pending, pendingLength, take);
            pendingLength += take;
            off += take;
            len -= take;
            if (pendingLength < BLOCK_LENGTH) {
                return;
            }
            compress(state, pending, 0);
            pendingLength = 0;
        }
        // Whole blocks are read straight from the packet: no copy.
        while (len >= BLOCK_LENGTH) {
            compress(state, b, off);
            off += BLOCK_LENGTH;
            len -= BLOCK_LENGTH;
        }
        if (len > 0) {
            System.arraycopy(b, off, pending, 0, len);
            pendingLength = len;
        }
    }

    /** Appends a 32-bit big-endian value (SRTP's rollover counter). */
    void updateInt(int v) {
        if (pendingLength <= BLOCK_LENGTH - 4) {
            BIG_ENDIAN_INT.set(pending, pendingLength, v);
            pendingLength += 4;
            totalLength += 4;
            if (pendingLength == BLOCK_LENGTH) {
                compress(state, pending, 0);
                pendingLength = 0;
            }
            return;
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            pending[pendingLength++] = (byte) (v >>> shift);
            totalLength++;
            if (pendingLength == BLOCK_LENGTH) {
                compress(state, pending, 0);
                pendingLength = 0;
            }
        }
    }

    /** Writes the 20-byte MAC to out[0..20). */
    void finish(byte[] out) {
        finishHash(null, 0);
        // The outer hash is one block: the inner digest, the 0x80 pad byte, zeros and the bit length.
        int[] x = w;
        x[0] = state[0];
        x[1] = state[1];
        x[2] = state[2];
        x[3] = state[3];
        x[4] = state[4];
        x[5] = 0x80000000;
        for (int i = 6; i < 15; i++) {
            x[i] = 0;
        }
        x[15] = (BLOCK_LENGTH + DIGEST_LENGTH) * 8;
        System.arraycopy(outerStart, 0, state, 0, 5);
        compressWords(state, x);
        for (int i = 0; i < 5; i++) {
            BIG_ENDIAN_INT.set(out, 4 * i, state[i]);
        }
    }

    /** Pads and compresses the last block(s); the digest is left in state (and copied to out when given). */
    private void finishHash(byte[] out, int outOff) {
        long bits = totalLength << 3;
        pending[pendingLength++] = (byte) 0x80;
        if (pendingLength > BLOCK_LENGTH - 8) {
            for (int i = pendingLength; i < BLOCK_LENGTH; i++) {
                pending[i] = 0;
            }
            compress(state, pending, 0);
            pendingLength = 0;
        }
        for (int i = pendingLength; i < BLOCK_LENGTH - 8; i++) {
            pending[i] = 0;
        }
        BIG_ENDIAN_INT.set(pending, BLOCK_LENGTH - 8, (int) (bits >>> 32));
        BIG_ENDIAN_INT.set(pending, BLOCK_LENGTH - 4, (int) bits);
        compress(state, pending, 0);
        pendingLength = 0;
        if (out != null) {
            for (int i = 0; i < 5; i++) {
                BIG_ENDIAN_INT.set(out, outOff + 4 * i, state[i]);
            }
        }
    }

    private void compress(int[] h, byte[] b, int off) {
        int[] x = w;
        for (int i = 0; i < 16; i++) {
            x[i] = (int) BIG_ENDIAN_INT.get(b, off + 4 * i);
        }
        compressWords(h, x);
    }

    /**
     * One SHA-1 compression over x[0..16); x[16..80) is the message schedule. Rounds are unrolled
     * by five with the roles of a..e rotating, so no register shuffling is needed.
     */
    private static void compressWords(int[] h, int[] x) {
        for (int t = 16; t < 80; t++) {
            x[t] = Integer.rotateLeft(x[t - 3] ^ x[t - 8] ^ x[t - 14] ^ x[t - 16], 1);
        }
        int a = h[0];
        int b = h[1];
        int c = h[2];
        int d = h[3];
        int e = h[4];
        int t = 0;
        for (; t < 20; t += 5) {
            e += Integer.rotateLeft(a, 5) + (d ^ (b & (c ^ d))) + x[t] + 0x5A827999;
            b = Integer.rotateLeft(b, 30);
            d += Integer.rotateLeft(e, 5) + (c ^ (a & (b ^ c))) + x[t + 1] + 0x5A827999;
            a = Integer.rotateLeft(a, 30);
            c += Integer.rotateLeft(d, 5) + (b ^ (e & (a ^ b))) + x[t + 2] + 0x5A827999;
            e = Integer.rotateLeft(e, 30);
            b += Integer.rotateLeft(c, 5) + (a ^ (d & (e ^ a))) + x[t + 3] + 0x5A827999;
            d = Integer.rotateLeft(d, 30);
            a += Integer.rotateLeft(b, 5) + (e ^ (c & (d ^ e))) + x[t + 4] + 0x5A827999;
            c = Integer.rotateLeft(c, 30);
        }
        for (; t < 40; t += 5) {
            e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + x[t] + 0x6ED9EBA1;
            b = Integer.rotateLeft(b, 30);
            d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + x[t + 1] + 0x6ED9EBA1;
            a = Integer.rotateLeft(a, 30);
            c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + x[t + 2] + 0x6ED9EBA1;
            e = Integer.rotateLeft(e, 30);
            b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + x[t + 3] + 0x6ED9EBA1;
            d = Integer.rotateLeft(d, 30);
            a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + x[t + 4] + 0x6ED9EBA1;
            c = Integer.rotateLeft(c, 30);
        }
        for (; t < 60; t += 5) {
            e += Integer.rotateLeft(a, 5) + ((b & c) | (d & (b | c))) + x[t] + 0x8F1BBCDC;
            b = Integer.rotateLeft(b, 30);
            d += Integer.rotateLeft(e, 5) + ((a & b) | (c & (a | b))) + x[t + 1] + 0x8F1BBCDC;
            a = Integer.rotateLeft(a, 30);
            c += Integer.rotateLeft(d, 5) + ((e & a) | (b & (e | a))) + x[t + 2] + 0x8F1BBCDC;
            e = Integer.rotateLeft(e, 30);
            b += Integer.rotateLeft(c, 5) + ((d & e) | (a & (d | e))) + x[t + 3] + 0x8F1BBCDC;
            d = Integer.rotateLeft(d, 30);
            a += Integer.rotateLeft(b, 5) + ((c & d) | (e & (c | d))) + x[t + 4] + 0x8F1BBCDC;
            c = Integer.rotateLeft(c, 30);
        }
        for (; t < 80; t += 5) {
            e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + x[t] + 0xCA62C1D6;
            b = Integer.rotateLeft(b, 30);
            d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + x[t + 1] + 0xCA62C1D6;
            a = Integer.rotateLeft(a, 30);
            c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + x[t + 2] + 0xCA62C1D6;
            e = Integer.rotateLeft(e, 30);
            b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + x[t + 3] + 0xCA62C1D6;
            d = Integer.rotateLeft(d, 30);
            a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + x[t + 4] + 0xCA62C1D6;
            c = Integer.rotateLeft(c, 30);
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
}
