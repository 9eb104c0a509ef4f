package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernel's receive drops of a UDP port, read from /proc/net/udp{,6}: lines as Linux prints them, then a real overflow. */
class KernelUdpDropsTest {

    private static final InetSocketAddress LOOPBACK_47421 = new InetSocketAddress("127.0.0.1", 47421);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // /proc/net/udp6 on x86-64, an IPv4-mapped 127.0.0.1:47421 (B93D) with 16669 drops
        "v4-mapped, the port's     | 12: 0000000000000000FFFF00000100007F:B93D 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3898303 2 00000000e7275108 16669 | 16669",
        // /proc/net/udp, 127.0.0.1:47421
        "IPv4, the port's          | 4735: 0100007F:B93D 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3898303 2 00000000e7275108 12 | 12",
        // 0.0.0.0:47421, a wildcard bind
        "IPv4 wildcard             | 4735: 00000000:B93D 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3898303 2 00000000e7275108 3 | 3",
        // 127.0.0.1:47422
        "another port              | 4735: 0100007F:B93E 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3898303 2 00000000e7275108 9 | 0",
        // 127.0.0.2:47421
        "another address           | 4735: 0200007F:B93D 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3898303 2 00000000e7275108 9 | 0",
        "the header                |    sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops | 0"})
    void readsTheDropsOfTheBoundAddressAndPort(String what, String line, long expected) {
        assertEquals(expected, KernelUdpDrops.dropsIfBound(line, LOOPBACK_47421), what);
    }

    @Test
    void countsWhatAFullReceiveBufferDropped() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "Linux's /proc/net/udp");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramChannel receiver = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            receiver.bind(new InetSocketAddress(loopback, 0));
            InetSocketAddress bound = (InetSocketAddress) receiver.getLocalAddress();
            assertEquals(0, KernelUdpDrops.of(bound));
            ByteBuffer datagram = ByteBuffer.allocate(1000);
            for (int i = 0; i < 100; i++) {
                datagram.clear();
                sender.send(datagram, bound);
            }
            // Nothing reads the receiver: past its few kilobytes, the kernel drops.
            assertTrue(KernelUdpDrops.of(bound) > 0, "drops counted");
        }
    }
}
