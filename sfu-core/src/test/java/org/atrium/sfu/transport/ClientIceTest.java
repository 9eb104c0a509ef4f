package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two clients' ICE on real loopback ports, one controlling and one controlled, each opened to the
 * other's candidate as a client opens to the SFU's: they complete, their datagrams reach each
 * other's listener on the port's reading thread, a stranger's do not, and a closed client sends
 * nothing and throws nothing.
 */
@Timeout(30)
class ClientIceTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Side offerer = new Side();
    private final Side answerer = new Side();

    @AfterEach
    void close() {
        offerer.close();
        answerer.close();
    }

    /** One client and what its listener heard. */
    private static final class Side implements ClientIce.Listener {
        final CountDownLatch connected = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);
        final BlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
        volatile String readingThread;
        ClientIce ice;

        @Override
        public void onConnected() {
            connected.countDown();
        }

        @Override
        public void onFailed() {
            failed.countDown();
        }

        @Override
        public void onDatagram(byte[] buf, int off, int len) {
            readingThread = Thread.currentThread().getName();
            datagrams.add(Arrays.copyOfRange(buf, off, off + len));
        }

        void close() {
            if (ice != null) {
                ice.close();
            }
        }
    }

    private void connect() throws Exception {
        offerer.ice = new ClientIce(LOOPBACK, "offerer", true, offerer);
        answerer.ice = new ClientIce(LOOPBACK, "answerer", false, answerer);
        answerer.ice.start(offerer.ice.localUfrag(), offerer.ice.localPassword(), offerer.ice.localCandidates());
        offerer.ice.start(answerer.ice.localUfrag(), answerer.ice.localPassword(), answerer.ice.localCandidates());
        assertTrue(offerer.connected.await(10, TimeUnit.SECONDS), "the controlling side completes");
        assertTrue(answerer.connected.await(10, TimeUnit.SECONDS), "the controlled side completes");
    }

    /** An RTP-looking datagram (first byte 0x80: not STUN, so not ICE's). */
    private static byte[] rtp(int sequence) {
        byte[] packet = new byte[40];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        return packet;
    }

    @Test
    void twoClientsCompleteAndTheirDatagramsReachEachOtherInOrder() throws Exception {
        connect();
        for (int i = 0; i < 100; i++) {
            assertTrue(offerer.ice.send(rtp(i), 0, 40));
            assertTrue(answerer.ice.send(rtp(1000 + i), 0, 40));
        }
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(rtp(i), answerer.datagrams.poll(5, TimeUnit.SECONDS), "datagram " + i);
            assertArrayEquals(rtp(1000 + i), offerer.datagrams.poll(5, TimeUnit.SECONDS), "datagram " + i);
        }
        assertEquals(1, offerer.ice.localCandidates().size());
        assertEquals("connected", offerer.ice.state());
        // epoll: the clients' shared loops; NIO: the port's own reading thread.
        assertTrue(answerer.readingThread.startsWith("atrium-client-udp")
                        || answerer.readingThread.startsWith("atrium-udp-"),
                "handed over on the port's reading thread, not a queue's: " + answerer.readingThread);
    }

    @Test
    void aStrangersDatagramsAreNotHandedOver() throws Exception {
        connect();
        IceCandidate host = answerer.ice.localCandidates().get(0);
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(LOOPBACK, 0));
            stranger.send(ByteBuffer.wrap(rtp(7)), new InetSocketAddress(host.address(), host.port()));
        }
        assertTrue(offerer.ice.send(rtp(8), 0, 40));
        assertArrayEquals(rtp(8), answerer.datagrams.poll(5, TimeUnit.SECONDS),
                "the paired side's datagram, and not the stranger's before it");
        assertNull(answerer.datagrams.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void beforeAPairIsValidAndAfterCloseASendIsRefusedNotThrown() throws Exception {
        offerer.ice = new ClientIce(LOOPBACK, "offerer", true, offerer);
        assertFalse(offerer.ice.send(rtp(1), 0, 40), "no valid pair yet");
        assertEquals("new", offerer.ice.state());
        offerer.ice.close();
        assertFalse(offerer.ice.send(rtp(2), 0, 40), "closed");
        offerer.ice.close();
        assertNotNull(offerer.ice.localUfrag());
    }
}
