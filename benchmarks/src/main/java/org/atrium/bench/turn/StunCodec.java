package org.atrium.bench.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The few STUN (RFC 8489) and TURN (RFC 8656) messages a load client needs, written and read
 * from raw bytes: requests with USERNAME, REALM, NONCE, MESSAGE-INTEGRITY (HMAC-SHA1 with the
 * long-term key) and FINGERPRINT; responses with ERROR-CODE, REALM, NONCE and the XOR addresses.
 * Independent of the server's own codec, so that the server is checked against a second reading
 * of the RFCs.
 */
final class StunCodec {

    static final int MAGIC_COOKIE = 0x2112A442;
    static final int HEADER = 20;

    static final int ALLOCATE = 0x003;
    static final int CREATE_PERMISSION = 0x008;
    static final int CHANNEL_BIND = 0x009;

    /** Class bits of the message type (RFC 8489 5): request 00, success 10, error 11. */
    static final int SUCCESS = 0x0100;
    static final int ERROR = 0x0110;

    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int CHANNEL_NUMBER = 0x000C;
    static final int XOR_PEER_ADDRESS = 0x0012;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int XOR_RELAYED_ADDRESS = 0x0016;
    static final int REQUESTED_TRANSPORT = 0x0019;
    static final int FINGERPRINT = 0x8028;

    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final int INTEGRITY_LENGTH = 20;

    private StunCodec() {
    }

    static byte[] newTransaction() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    /** The long-term key (RFC 8489 9.2.2): MD5(username ":" realm ":" password). */
    static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request being written: the header, then attributes in the order added. */
    static final class Request {
        private byte[] buf = new byte[256];
        private int len = HEADER;

        Request(int method, byte[] transaction) {
            writeShort(buf, 0, method);   // class bits 00: a request
            writeInt(buf, 4, MAGIC_COOKIE);
            System.arraycopy(transaction, 0, buf, 8, 12);
        }

        Request attribute(int type, byte[] value) {
            int padded = (value.length + 3) & ~3;
            ensure(4 + padded);
            writeShort(buf, len, type);
            writeShort(buf, len + 2, value.length);
            System.arraycopy(value, 0, buf, len + 4, value.length);
            len += 4 + padded;
            return this;
        }

        Request text(int type, String value) {
            return attribute(type, value.getBytes(StandardCharsets.UTF_8));
        }

        /** REQUESTED-TRANSPORT UDP (RFC 8656 18.7: protocol 17, then 3 bytes RFFU). */
        Request requestedTransportUdp() {
            return attribute(REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0});
        }

        /** CHANNEL-NUMBER (RFC 8656 18.1): the number, then 2 bytes RFFU. */
        Request channelNumber(int channel) {
            return attribute(CHANNEL_NUMBER, new byte[] {(byte) (channel >>> 8), (byte) channel, 0, 0});
        }

        Request xorAddress(int type, InetSocketAddress address) {
            return attribute(type, StunCodec.xorAddress(address));
        }

        /** The finished message: MESSAGE-INTEGRITY with {@code key} when not null, then FINGERPRINT (RFC 8489 14.5, 14.7). */
        byte[] build(byte[] key) {
            ensure(4 + INTEGRITY_LENGTH + 8);
            if (key != null) {
                writeShort(buf, 2, len - HEADER + 4 + INTEGRITY_LENGTH);
                byte[] mac = hmacSha1(key, buf, 0, len);
                writeShort(buf, len, MESSAGE_INTEGRITY);
                writeShort(buf, len + 2, INTEGRITY_LENGTH);
                System.arraycopy(mac, 0, buf, len + 4, INTEGRITY_LENGTH);
                len += 4 + INTEGRITY_LENGTH;
            }
            writeShort(buf, 2, len - HEADER + 8);
            CRC32 crc = new CRC32();
            crc.update(buf, 0, len);
            writeShort(buf, len, FINGERPRINT);
            writeShort(buf, len + 2, 4);
            writeInt(buf, len + 4, (int) crc.getValue() ^ FINGERPRINT_XOR);
            len += 8;
            return Arrays.copyOf(buf, len);
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }
    }

    /** A response read: its type, transaction, the first value of each attribute, and where MESSAGE-INTEGRITY is. */
    record Response(int type, byte[] transaction, Map<Integer, byte[]> attributes, byte[] raw, int integrityAt) {

        int method() {
            return type & ~0x0110;
        }

        boolean isSuccess() {
            return (type & 0x0110) == SUCCESS;
        }

        boolean isError() {
            return (type & 0x0110) == ERROR;
        }

        /** ERROR-CODE's class * 100 + number (RFC 8489 14.8), or -1 when absent. */
        int errorCode() {
            byte[] v = attributes.get(ERROR_CODE);
            return v == null || v.length < 4 ? -1 : (v[2] & 0x07) * 100 + (v[3] & 0xFF);
        }

        String text(int type) {
            byte[] v = attributes.get(type);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        InetSocketAddress xorAddress(int type) {
            byte[] v = attributes.get(type);
            return v == null ? null : StunCodec.readXorAddress(v);
        }

        /** Whether MESSAGE-INTEGRITY is present and matches {@code key}. */
        boolean integrityMatches(byte[] key) {
            if (integrityAt < 0) {
                return false;
            }
            byte[] copy = raw.clone();
            writeShort(copy, 2, integrityAt - HEADER + 4 + INTEGRITY_LENGTH);
            byte[] mac = hmacSha1(key, copy, 0, integrityAt);
            return MessageDigest.isEqual(mac, Arrays.copyOfRange(raw, integrityAt + 4, integrityAt + 4 + INTEGRITY_LENGTH));
        }
    }

    /** A STUN response or indication, or null when the bytes are not one (a ChannelData message, say). */
    static Response parse(byte[] buf, int off, int len) {
        if (len < HEADER || (buf[off] & 0xC0) != 0 || readInt(buf, off + 4) != MAGIC_COOKIE) {
            return null;
        }
        int length = readShort(buf, off + 2);
        if (HEADER + length > len || (length & 3) != 0) {
            return null;
        }
        byte[] raw = Arrays.copyOfRange(buf, off, off + HEADER + length);
        Map<Integer, byte[]> attributes = new HashMap<>();
        int integrityAt = -1;
        int at = HEADER;
        while (at + 4 <= raw.length) {
            int type = readShort(raw, at);
            int vlen = readShort(raw, at + 2);
            if (at + 4 + vlen > raw.length) {
                return null;
            }
            if (type == MESSAGE_INTEGRITY && integrityAt < 0) {
                integrityAt = at;
            }
            attributes.putIfAbsent(type, Arrays.copyOfRange(raw, at + 4, at + 4 + vlen));
            at += 4 + ((vlen + 3) & ~3);
        }
        return new Response(readShort(raw, 0), Arrays.copyOfRange(raw, 8, 20), attributes, raw, integrityAt);
    }

    /** An XOR-*-ADDRESS value for IPv4 (RFC 8489 14.2). */
    static byte[] xorAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        if (ip.length != 4) {
            throw new IllegalArgumentException("IPv4 only: " + address);
        }
        byte[] v = new byte[8];
        v[1] = 0x01;
        writeShort(v, 2, address.getPort() ^ (MAGIC_COOKIE >>> 16));
        writeInt(v, 4, readInt(ip, 0) ^ MAGIC_COOKIE);
        return v;
    }

    static InetSocketAddress readXorAddress(byte[] v) {
        if (v.length != 8 || v[1] != 0x01) {
            return null;
        }
        int port = readShort(v, 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] ip = new byte[4];
        writeInt(ip, 0, readInt(v, 4) ^ MAGIC_COOKIE);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A ChannelData message (RFC 8656 12.4) of {@code payload} bytes of zeros, channel in the header. */
    static byte[] channelData(int channel, int payload) {
        byte[] out = new byte[4 + payload];
        writeShort(out, 0, channel);
        writeShort(out, 2, payload);
        return out;
    }

    static byte[] hmacSha1(byte[] key, byte[] data, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
