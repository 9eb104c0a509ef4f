package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab itself, without browsers: namespaces and links come and go, and each direction of a link
 * carries no more than its shape. UDP floods the link (to the discard port; nothing listens), and
 * the kernel's counters of the shaped queue tell what passed. Runs where the browser tests run
 * ({@code unshare -n}, as root); skipped elsewhere.
 */
@Tag("browser")
class NetworkLabTest {

    private static final int PACKET = 1200;

    @Test
    void shapesEachDirectionChangesTheRateMidwayAndRemovesEverythingOnClose() throws Exception {
        String namespace;
        String bridgePort;
        String bridge;
        try (NetworkLab lab = NetworkLab.create()) {
            bridge = lab.prefix() + "br";
            LabHost host = lab.addClient("a");
            namespace = host.namespace();
            bridgePort = host.serverSideDevice();
            assertEquals("10.77.0.11", host.addressText());
            assertTrue(Files.exists(Path.of("/run/netns", namespace)), namespace);
            assertTrue(NetworkLab.linkExists(bridgePort), bridgePort);

            lab.shapeDownlink(host, 400);
            double slow = flood(lab, host, Duration.ofSeconds(1));
            NetworkLab.QueueStats atSlow = lab.downlinkStats(host);
            System.out.printf("downlink at 400 kbit/s: %.0f kbit/s passed, %s%n", slow, atSlow);
            assertTrue(slow < 400 * 1.25 && slow > 400 * 0.5, "downlink at 400 kbit/s passed " + slow);
            assertTrue(atSlow.dropped() > 0, atSlow.toString());

            lab.shapeDownlink(host, 2000); // changed while the link is in use
            double fast = flood(lab, host, Duration.ofSeconds(1));
            System.out.printf("downlink at 2000 kbit/s: %.0f kbit/s passed, %s%n", fast, lab.downlinkStats(host));
            assertTrue(fast < 2000 * 1.25 && fast > 2000 * 0.5, "downlink at 2000 kbit/s passed " + fast);

            lab.shapeUplink(host, 200);
            assertEquals(200, lab.uplinkShape(host).kbitPerSecond());
            NetworkLab.QueueStats upBefore = lab.uplinkStats(host);
            Path log = Files.createTempFile("atrium-lab-uplink-", ".log");
            try {
                // 500 datagrams of 1200 bytes from inside the client, as fast as bash writes them.
                Process sender = lab.start(host, List.of("bash", "-c",
                        "p=$(head -c " + PACKET + " /dev/zero | tr '\\0' x); for i in $(seq 500); do"
                                + " printf %s \"$p\" > /dev/udp/" + NetworkLab.SERVER_ADDRESS + "/9; done"), log);
                assertTrue(sender.waitFor(30, TimeUnit.SECONDS), "the uplink sender finished");
            } finally {
                Files.deleteIfExists(log);
            }
            NetworkLab.QueueStats up = lab.uplinkStats(host);
            System.out.printf("uplink at 200 kbit/s: %s%n", up);
            assertTrue(up.dropped() - upBefore.dropped() > 0, "the uplink queue dropped: " + up);
            assertTrue(up.sentPackets() - upBefore.sentPackets() < 500, up.toString());

            lab.unshape(host);
            assertNull(lab.downlinkShape(host));
            assertNull(lab.uplinkShape(host));
            assertEquals(new NetworkLab.QueueStats(0, 0, 0, 0), lab.downlinkStats(host));
            double free = flood(lab, host, Duration.ofMillis(500));
            System.out.printf("downlink unshaped: %.0f kbit/s passed%n", free);
            assertTrue(free > 10_000, "an unshaped link passes " + free + " kbit/s");
        }
        assertFalse(Files.exists(Path.of("/run/netns", namespace)), namespace + " removed");
        assertFalse(NetworkLab.linkExists(bridgePort), bridgePort + " removed");
        assertFalse(NetworkLab.linkExists(bridge), bridge + " removed");
        assertTrue(Chromium.inLoopbackOnlyNamespace(), "only loopback is left");
    }

    /**
     * Sends 1200-byte datagrams from the server's address to {@code host} as fast as the socket
     * takes them for {@code duration}; returns what left the shaped queue (or, unshaped, what was
     * sent), in kbit/s.
     */
    private static double flood(NetworkLab lab, LabHost host, Duration duration) throws IOException {
        NetworkLab.QueueStats before = lab.downlinkStats(host);
        boolean shaped = lab.downlinkShape(host) != null;
        long sent = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(lab.serverAddress(), 0))) {
            DatagramPacket packet = new DatagramPacket(new byte[PACKET], PACKET,
                    new InetSocketAddress(host.address(), 9));
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            while (System.nanoTime() < end) {
                try {
                    socket.send(packet);
                    sent += PACKET;
                } catch (IOException refused) {
                    // ICMP port unreachable from the client, reported on a later send: keep going.
                }
                if (sent % (PACKET * 32) == 0) {
                    BrowserPage.sleep(Duration.ofMillis(1)); // no more than ~38 MB/s
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!shaped) {
                return sent * 8 / 1000.0 / seconds;
            }
            NetworkLab.QueueStats after = lab.downlinkStats(host);
            return (after.sentBytes() - before.sentBytes()) * 8 / 1000.0 / seconds;
        }
    }
}
