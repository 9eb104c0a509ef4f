package org.atrium.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH (NIST SP 800-38D section 6.4) in plain Java with Shoup's 8-bit tables: per key, the
 * products of H with every byte value (4 KB), and one shared table for the reduction of the 8
 * bits a multiplication by x^8 shifts out. A 16-byte block costs 16 table steps; nothing is
 * allocated per message.
 *
 * <p>Only a comparison subject for {@link CryptoPrimitivesBenchmark}: the half of an AES-GCM of
 * our own that the JDK has no public intrinsic for (the keystream would be AesCounterMode's).
 * The benchmark checks it against the JDK's AES/GCM tag before measuring.
 */
final class PlainJavaGhash {
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** GCM's reduction constant, R = 11100001 || 0^120, as the high word. */
    private static final long R = 0xE100000000000000L;
    /** The high word to XOR in when the low byte {@code b} is shifted out by a multiplication by x^8. */
    private static final long[] REDUCE8 = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            long hi = 0;
            long lo = b;
            for (int k = 0; k < 8; k++) {
                long carry = lo & 1;
                lo = (lo >>> 1) | (hi << 63);
                hi = (hi >>> 1) ^ (-carry & R);
            }
            REDUCE8[b] = hi;
        }
    }

    /** H times the polynomial of byte value i (its most significant bit the x^0 coefficient). */
    private final long[] tableHi = new long[256];
    private final long[] tableLo = new long[256];
    private final byte[] partial = new byte[16];
    private long zHi;
    private long zLo;

    /** @param h the hash subkey, E_K(0^128) */
    PlainJavaGhash(byte[] h) {
        long hi = (long) BIG_ENDIAN_LONG.get(h, 0);
        long lo = (long) BIG_ENDIAN_LONG.get(h, 8);
        for (int bit = 0x80; bit > 0; bit >>>= 1) {
            tableHi[bit] = hi;
            tableLo[bit] = lo;
            long carry = lo & 1;
            lo = (lo >>> 1) | (hi << 63);
            hi = (hi >>> 1) ^ (-carry & R);
        }
        for (int i = 2; i < 256; i <<= 1) {
            for (int j = 1; j < i; j++) {
                tableHi[i + j] = tableHi[i] ^ tableHi[j];
                tableLo[i + j] = tableLo[i] ^ tableLo[j];
            }
        }
    }

    void reset() {
        zHi = 0;
        zLo = 0;
    }

    /** Hashes {@code len} bytes as whole blocks, the last one padded with zeros (AAD, then ciphertext). */
    void update(byte[] b, int off, int len) {
        int end = off + len;
        for (; end - off >= 16; off += 16) {
            block((long) BIG_ENDIAN_LONG.get(b, off), (long) BIG_ENDIAN_LONG.get(b, off + 8));
        }
        if (off < end) {
            java.util.Arrays.fill(partial, (byte) 0);
            System.arraycopy(b, off, partial, 0, end - off);
            block((long) BIG_ENDIAN_LONG.get(partial, 0), (long) BIG_ENDIAN_LONG.get(partial, 8));
        }
    }

    /** Hashes the lengths block and writes GHASH into {@code out[off..off+16)}. */
    void finish(long aadLength, long textLength, byte[] out, int off) {
        block(aadLength * 8, textLength * 8);
        BIG_ENDIAN_LONG.set(out, off, zHi);
        BIG_ENDIAN_LONG.set(out, off + 8, zLo);
    }

    /** Z = (Z xor X) * H, the bytes of X taken from the last (x^120..x^127) to the first. */
    private void block(long xHi, long xLo) {
        xHi ^= zHi;
        xLo ^= zLo;
        long hi = 0;
        long lo = 0;
        for (int shift = 0; shift < 64; shift += 8) {
            int rem = (int) lo & 0xff;
            lo = (lo >>> 8) | (hi << 56);
            hi = (hi >>> 8) ^ REDUCE8[rem];
            int i = (int) (xLo >>> shift) & 0xff;
            hi ^= tableHi[i];
            lo ^= tableLo[i];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            int rem = (int) lo & 0xff;
            lo = (lo >>> 8) | (hi << 56);
            hi = (hi >>> 8) ^ REDUCE8[rem];
            int i = (int) (xHi >>> shift) & 0xff;
            hi ^= tableHi[i];
            lo ^= tableLo[i];
        }
        zHi = hi;
        zLo = lo;
    }
}
