package org.atrium.sfu.turn;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Send and Data indications on the data path (RFC 8656 10), read and written over the raw bytes:
 * ice4j's message objects would allocate a map, attribute objects and a copy of the data per packet.
 */
final class TurnIndications {

    static final int SEND_INDICATION = 0x0016;
    static final int DATA_INDICATION = 0x0017;
    private static final int XOR_PEER_ADDRESS_SIZE = 4 + XorAddress.IPV4_VALUE_LENGTH;

    private TurnIndications() {
    }

    /** What a Send indication asks to relay: {@code length} bytes at {@code dataAt} to {@code peer}. */
    record Send(InetSocketAddress peer, int dataAt, int length) {
    }

    /**
     * The peer and data of a Send indication already scanned; null when either is missing, the peer
     * is not IPv4, or the message has comprehension-required attributes we do not know (RFC 8489
     * 6.3.1: an indication with those is discarded).
     */
    static Send readSend(byte[] buf, StunScan scan) {
        if (scan.peersAt.length == 0 || scan.dataAt < 0 || scan.unknown.length > 0) {
            return null;
        }
        int peerAt = scan.peersAt[0];
        InetSocketAddress peer = XorAddress.readIpv4(buf, peerAt + 4, StunIntegrity.readShort(buf, peerAt + 2));
        if (peer == null) {
            return null;
        }
        return new Send(peer, scan.dataAt + 4, StunIntegrity.readShort(buf, scan.dataAt + 2));
    }

    /** A Data indication (RFC 8656 10.3) from {@code peer} carrying {@code len} bytes, with a fresh transaction id and no FINGERPRINT. */
    static byte[] writeData(InetSocketAddress peer, byte[] buf, int off, int len) {
        int padded = (len + 3) & ~3;
        byte[] out = new byte[StunScan.HEADER + XOR_PEER_ADDRESS_SIZE + 4 + padded];
        StunIntegrity.writeShort(out, 0, DATA_INDICATION);
        StunIntegrity.writeShort(out, 2, out.length - StunScan.HEADER);
        StunIntegrity.writeInt(out, 4, StunScan.MAGIC_COOKIE);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StunIntegrity.writeInt(out, 8, random.nextInt());
        StunIntegrity.writeInt(out, 12, random.nextInt());
        StunIntegrity.writeInt(out, 16, random.nextInt());
        int at = StunScan.HEADER;
        StunIntegrity.writeShort(out, at, StunScan.XOR_PEER_ADDRESS);
        StunIntegrity.writeShort(out, at + 2, XorAddress.IPV4_VALUE_LENGTH);
        XorAddress.writeIpv4(out, at + 4, peer);
        at += XOR_PEER_ADDRESS_SIZE;
        StunIntegrity.writeShort(out, at, StunScan.DATA);
        StunIntegrity.writeShort(out, at + 2, len);
        System.arraycopy(buf, off, out, at + 4, len);
        return out;
    }
}
