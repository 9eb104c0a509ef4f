package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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

    @Test
    void firewallsDropUdpOrAllowOnlyChosenTcpPorts() throws Exception {
        try (NetworkLab lab = NetworkLab.create();
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(NetworkLab.SERVER_ADDRESS, 0));
                ServerSocket allowed = new ServerSocket(0, 5, InetAddress.getByName(NetworkLab.SERVER_ADDRESS));
                ServerSocket other = new ServerSocket(0, 5, InetAddress.getByName(NetworkLab.SERVER_ADDRESS))) {
            LabHost host = lab.addClient("fw");
            udp.setSoTimeout(1500);
            assertTrue(udpArrives(lab, host, udp), "UDP passes without a firewall");

            lab.blockUdp(host);
            assertFalse(udpArrives(lab, host, udp), "blockUdp drops UDP");
            assertEquals(0, tcpConnect(lab, host, allowed.getLocalPort()), "blockUdp lets TCP pass");
            assertEquals(0, tcpConnect(lab, host, other.getLocalPort()), "blockUdp lets TCP pass");

            lab.allowOnlyTcpTo(host, Set.of(allowed.getLocalPort()));
            assertEquals(0, tcpConnect(lab, host, allowed.getLocalPort()), "the allowed TCP port");
            assertEquals(124, tcpConnect(lab, host, other.getLocalPort()), "another TCP port times out");
            assertFalse(udpArrives(lab, host, udp), "allowOnlyTcpTo drops UDP");

            lab.removeFirewall(host);
            assertTrue(udpArrives(lab, host, udp), "UDP passes again");
            assertEquals(0, tcpConnect(lab, host, other.getLocalPort()), "every TCP port again");
        }
    }

    @Test
    void natGivesEachDestinationItsOwnPortAndDropsUnsolicitedPackets() throws Exception {
        String router;
        String client;
        try (NetworkLab lab = NetworkLab.create();
                DatagramSocket first = new DatagramSocket(new InetSocketAddress(NetworkLab.SERVER_ADDRESS, 0));
                DatagramSocket second = new DatagramSocket(new InetSocketAddress(NetworkLab.SERVER_ADDRESS, 0));
                DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(NetworkLab.SERVER_ADDRESS, 0))) {
            lab.addClient("plain"); // the NAT's router gets the next address on the bridge
            LabHost host = lab.addClientBehindNat("natted");
            router = host.natRouter();
            client = host.namespace();
            assertEquals("10.78.2.2", host.addressText());
            assertEquals("10.77.0.12", host.publicAddress().getHostAddress());
            first.setSoTimeout(5000);
            second.setSoTimeout(5000);
            Path log = Files.createTempFile("atrium-lab-nat-", ".log");
            try {
                // One socket, one source port, two destinations; then it prints what comes back.
                String script = String.join("\n",
                        "import socket, sys",
                        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                        "s.bind(('0.0.0.0', 40000))",
                        "for p in sys.argv[1:3]: s.sendto(b'hello', ('" + NetworkLab.SERVER_ADDRESS + "', int(p)))",
                        "s.settimeout(3)",
                        "try:",
                        "    while True:",
                        "        d, a = s.recvfrom(100)",
                        "        print('got', d.decode(), a[1], flush=True)",
                        "except socket.timeout:",
                        "    print('done', flush=True)");
                Process sender = lab.start(host, List.of("python3", "-c", script,
                        Integer.toString(first.getLocalPort()), Integer.toString(second.getLocalPort())), log);
                DatagramPacket toFirst = new DatagramPacket(new byte[100], 100);
                first.receive(toFirst);
                DatagramPacket toSecond = new DatagramPacket(new byte[100], 100);
                second.receive(toSecond);
                InetSocketAddress mapped1 = (InetSocketAddress) toFirst.getSocketAddress();
                InetSocketAddress mapped2 = (InetSocketAddress) toSecond.getSocketAddress();
                System.out.printf("10.78.2.2:40000 -> :%d seen as %s, -> :%d seen as %s%n", first.getLocalPort(),
                        mapped1, second.getLocalPort(), mapped2);
                assertEquals(host.publicAddress(), mapped1.getAddress(), "masqueraded to the router's address");
                assertEquals(host.publicAddress(), mapped2.getAddress());
                assertTrue(mapped1.getPort() != mapped2.getPort(), "a new port for another destination: " + mapped1
                        + " " + mapped2);

                stranger.send(new DatagramPacket("unsolicited".getBytes(), 11, mapped1));
                second.send(new DatagramPacket("wrongport".getBytes(), 9, mapped1));
                // Routed to the private address (the way the test reaches chromedriver): dropped too.
                stranger.send(new DatagramPacket("direct".getBytes(), 6, new InetSocketAddress(host.address(), 40000)));
                BrowserPage.sleep(Duration.ofMillis(200));
                first.send(new DatagramPacket("reply".getBytes(), 5, mapped1));
                assertTrue(sender.waitFor(15, TimeUnit.SECONDS), "the sender finished");
                String out = Files.readString(log);
                System.out.print("behind the NAT: " + out);
                assertTrue(out.contains("got reply " + first.getLocalPort()), out);
                assertFalse(out.contains("unsolicited"), out);
                assertFalse(out.contains("wrongport"), out);
                assertFalse(out.contains("direct"), out);
            } finally {
                Files.deleteIfExists(log);
            }
        }
        assertFalse(Files.exists(Path.of("/run/netns", router)), router + " removed");
        assertFalse(Files.exists(Path.of("/run/netns", client)), client + " removed");
        assertTrue(Chromium.inLoopbackOnlyNamespace(), "only loopback is left");
    }

    /** Sends a datagram from {@code host} to {@code socket}; true when it arrives within its timeout. */
    private static boolean udpArrives(NetworkLab lab, LabHost host, DatagramSocket socket) throws Exception {
        runIn(lab, host, "printf probe > /dev/udp/" + NetworkLab.SERVER_ADDRESS + "/" + socket.getLocalPort());
        try {
            socket.receive(new DatagramPacket(new byte[100], 100));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Opens a TCP connection from {@code host} to the server's {@code port}: 0 when it connects, 124 on timeout. */
    private static int tcpConnect(NetworkLab lab, LabHost host, int port) throws Exception {
        return runIn(lab, host, "timeout 2 bash -c 'exec 3<>/dev/tcp/" + NetworkLab.SERVER_ADDRESS + "/" + port + "'");
    }

    private static int runIn(NetworkLab lab, LabHost host, String bash) throws Exception {
        Path log = Files.createTempFile("atrium-lab-probe-", ".log");
        try {
            Process p = lab.start(host, List.of("bash", "-c", bash), log);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), bash);
            return p.exitValue();
        } finally {
            Files.deleteIfExists(log);
        }
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
