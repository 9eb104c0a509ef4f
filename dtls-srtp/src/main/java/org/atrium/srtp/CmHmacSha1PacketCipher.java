package org.atrium.srtp;

/**
 * AES-128 counter mode with HMAC-SHA1 (RFC 3711 sections 4.1.1 and 4.2.1), for
 * AES128_CM_HMAC_SHA1_80.
 */
final class CmHmacSha1PacketCipher extends PacketCipher {
    private static final int E_FLAG = 0x80000000;

    private final AesCounterMode ctr;
    private final HmacSha1 hmac;
    private final byte[] salt;
    private final int tagLength;
    private final byte[] iv = new byte[16];
    private final byte[] mac = new byte[HmacSha1.DIGEST_LENGTH];

    CmHmacSha1PacketCipher(byte[] key, byte[] salt, byte[] authKey, int tagLength) {
        this.ctr = new AesCounterMode(key);
        this.hmac = new HmacSha1(authKey);
        this.salt = salt.clone();
        this.tagLength = tagLength;
    }

    /** RFC 3711 section 4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
    private void buildIv(int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
    }

    private static long rtpIndex(int roc, int seq) {
        return ((roc & 0xffffffffL) << 16) | seq;
    }

    @Override
    int protectRtp(byte[] b, int off, int len, int headerLength, int ssrc, int roc, int seq) {
        buildIv(ssrc, rtpIndex(roc, seq));
        ctr.apply(iv, b, off + headerLength, len - headerLength);
        // RFC 3711 section 4.2: the authenticated portion is the packet followed by the ROC.
        hmac.start();
        hmac.update(b, off, len);
        hmac.updateInt(roc);
        hmac.finish(mac);
        System.arraycopy(mac, 0, b, off + len, tagLength);
        return len + tagLength;
    }

    @Override
    int unprotectRtp(byte[] b, int off, int len, int headerLength, int ssrc, int roc, int seq) {
        int bodyLength = len - tagLength;
        hmac.start();
        hmac.update(b, off, bodyLength);
        hmac.updateInt(roc);
        hmac.finish(mac);
        if (!tagMatches(b, off + bodyLength)) {
            return SrtpError.AUTH_FAILED;
        }
        buildIv(ssrc, rtpIndex(roc, seq));
        ctr.apply(iv, b, off + headerLength, bodyLength - headerLength);
        return bodyLength;
    }

    @Override
    int protectRtcp(byte[] b, int off, int len, int ssrc, int index) {
        buildIv(ssrc, index);
        ctr.apply(iv, b, off + 8, len - 8);
        putInt(b, off + len, E_FLAG | index);
        // RFC 3711 section 3.4: the tag covers the header, the encrypted portion and E|index.
        hmac.start();
        hmac.update(b, off, len + 4);
        hmac.finish(mac);
        System.arraycopy(mac, 0, b, off + len + 4, tagLength);
        return len + 4 + tagLength;
    }

    @Override
    int srtcpIndexWordOffset(int off, int len) {
        return off + len - tagLength - 4;
    }

    @Override
    int unprotectRtcp(byte[] b, int off, int len, int ssrc, int indexWord) {
        int authenticatedLength = len - tagLength;
        hmac.start();
        hmac.update(b, off, authenticatedLength);
        hmac.finish(mac);
        if (!tagMatches(b, off + authenticatedLength)) {
            return SrtpError.AUTH_FAILED;
        }
        int rtcpLength = authenticatedLength - 4;
        if ((indexWord & E_FLAG) != 0) {
            buildIv(ssrc, indexWord & 0x7fffffff);
            ctr.apply(iv, b, off + 8, rtcpLength - 8);
        }
        return rtcpLength;
    }

    /** Compares without an early exit so the time taken says nothing about where a forgery differs. */
    private boolean tagMatches(byte[] b, int tagOffset) {
        int diff = 0;
        for (int i = 0; i < tagLength; i++) {
            diff |= mac[i] ^ b[tagOffset + i];
        }
        return diff == 0;
    }
}
