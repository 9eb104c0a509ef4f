package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Datagrams the kernel dropped for a UDP port because its receive buffer was full, read from
 * the {@code drops} column of Linux's {@code /proc/net/udp} and {@code /proc/net/udp6}, summed
 * over the sockets bound to that address and port (the port's sockets, one per loop, share
 * them with SO_REUSEPORT). A server that falls behind loses what arrives next in the kernel,
 * connectivity checks and DTLS of joining clients as well as media, and no counter of its own
 * sees it. 0 where those files do not exist.
 */
final class KernelUdpDrops {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private KernelUdpDrops() {
    }

    /** The kernel's drops for the sockets bound to {@code bound} (its address, or a wildcard, and its port). */
    static long of(InetSocketAddress bound) {
        long drops = 0;
        for (Path table : TABLES) {
            try {
                for (String line : Files.readAllLines(table)) {
                    drops += dropsIfBound(line, bound);
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux, or no procfs: nothing to read.
            }
        }
        return drops;
    }

    /**
     * One line of the table: {@code sl local_address rem_address st ... drops}, the local
     * address as hex (the bytes of each 32-bit word in host order) and the port as hex.
     */
    static long dropsIfBound(String line, InetSocketAddress bound) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 13 || !fields[0].endsWith(":")) {
            return 0;
        }
        int colon = fields[1].indexOf(':');
        if (colon < 0 || Integer.parseInt(fields[1].substring(colon + 1), 16) != bound.getPort()) {
            return 0;
        }
        InetAddress local = address(fields[1].substring(0, colon));
        if (local == null || !(local.isAnyLocalAddress() || local.equals(bound.getAddress()))) {
            return 0;
        }
        return Long.parseLong(fields[fields.length - 1]);
    }

    /** The hex of {@code /proc/net/udp{,6}}, an IPv4-mapped IPv6 address as IPv4; null if unreadable. */
    static InetAddress address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < hex.length() / 8; word++) {
            int value = (int) Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                value = Integer.reverseBytes(value);
            }
            bytes[word * 4] = (byte) (value >>> 24);
            bytes[word * 4 + 1] = (byte) (value >>> 16);
            bytes[word * 4 + 2] = (byte) (value >>> 8);
            bytes[word * 4 + 3] = (byte) value;
        }
        try {
            // getByAddress returns an Inet4Address for an IPv4-mapped IPv6 address.
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
