package org.atrium.sfu.turn;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * IPv4 XOR-PEER-ADDRESS values on the data path (RFC 8489 14.2), read and written without ice4j's
 * attribute objects. Relays are IPv4 only, so an IPv6 family is "no address".
 *
 * <pre>
 *  0                   1                   2                   3
 * |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
 * |                X-Address (32 bits: address XOR magic cookie)  |
 * </pre>
 */
final class XorAddress {

    static final int IPV4_VALUE_LENGTH = 8;

    private XorAddress() {
    }

    /** The address in the value at {@code valueAt} of {@code length} bytes; null unless an IPv4 one. */
    static InetSocketAddress readIpv4(byte[] buf, int valueAt, int length) {
        if (length != IPV4_VALUE_LENGTH || buf[valueAt + 1] != 0x01) {
            return null;
        }
        int port = StunIntegrity.readShort(buf, valueAt + 2) ^ (StunScan.MAGIC_COOKIE >>> 16);
        int address = StunIntegrity.readInt(buf, valueAt + 4) ^ StunScan.MAGIC_COOKIE;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            return null;   // not reached: four bytes are always an address
        }
    }

    /** Writes the 8-byte value for an IPv4 {@code peer} at {@code at}. */
    static void writeIpv4(byte[] buf, int at, InetSocketAddress peer) {
        byte[] address = ((Inet4Address) peer.getAddress()).getAddress();
        buf[at] = 0;
        buf[at + 1] = 0x01;
        StunIntegrity.writeShort(buf, at + 2, peer.getPort() ^ (StunScan.MAGIC_COOKIE >>> 16));
        StunIntegrity.writeInt(buf, at + 4, StunIntegrity.readInt(address, 0) ^ StunScan.MAGIC_COOKIE);
    }
}
