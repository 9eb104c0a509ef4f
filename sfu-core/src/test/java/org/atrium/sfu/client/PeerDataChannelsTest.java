package org.atrium.sfu.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sctp.SendStatus;
import org.atrium.sfu.client.PeerDataChannels.Message;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.data.DataEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two {@link PeerDataChannels} joined in memory, each direction a thread of its own standing for
 * the network (a packet is never handed to the other side inside a call into the sender).
 */
@Timeout(30)
class PeerDataChannelsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ExecutorService toServer = Executors.newSingleThreadExecutor();
    private final ExecutorService toClient = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService sharedTimers = Executors.newSingleThreadScheduledExecutor();
    private PeerDataChannels client;
    private PeerDataChannels server;

    @BeforeEach
    void connect() throws Exception {
        PeerDataChannels[] sides = new PeerDataChannels[2];
        client = new PeerDataChannels(DataChannels.config(5000), true, (b, off, len) -> {
            byte[] copy = Arrays.copyOfRange(b, off, off + len);
            toServer.execute(() -> sides[1].receive(copy, 0, copy.length));
            return true;
        }, null);
        server = new PeerDataChannels(DataChannels.config(5000), false, (b, off, len) -> {
            byte[] copy = Arrays.copyOfRange(b, off, off + len);
            toClient.execute(() -> sides[0].receive(copy, 0, copy.length));
            return true;
        }, sharedTimers);
        sides[0] = client;
        sides[1] = server;
        // As in WebRTC through the SFU: the server waits, the client sends INIT.
        client.start();
        assertTrue(client.awaitConnected(WAIT));
        assertTrue(server.awaitConnected(WAIT));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        toServer.shutdownNow();
        toClient.shutdownNow();
        sharedTimers.shutdownNow();
        assertTrue(toServer.awaitTermination(5, TimeUnit.SECONDS) && toClient.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void envelopesComeApartIntoSenderTextAndPayload() throws Exception {
        int stream = client.open("chat", ChannelOptions.reliable());
        assertEquals(0, stream % 2, "the DTLS client opens even stream ids");
        assertTrue(server.awaitOpen("chat", WAIT));
        assertTrue(client.awaitOpen("chat", WAIT));

        // What the SFU sends a receiver: flags, the sender's id, the payload.
        byte[] fromSfu = DataEnvelope.fromSender(DataEnvelope.FLAG_TEXT, "p-7", "hi".getBytes(StandardCharsets.UTF_8),
                0, 2);
        assertEquals(SendStatus.SENT, server.send("chat", fromSfu));
        Message text = client.poll(WAIT);
        assertNotNull(text);
        assertEquals("chat", text.label());
        assertEquals(stream, text.streamId());
        assertEquals("p-7", text.senderId());
        assertTrue(text.text());
        assertEquals("hi", text.textPayload());

        byte[] binary = DataEnvelope.fromSender(0, "p-8", new byte[] {9, 8, 7}, 0, 3);
        server.send("chat", binary);
        Message bytes = client.poll(WAIT);
        assertEquals("p-8", bytes.senderId());
        assertFalse(bytes.text());
        assertArrayEquals(new byte[] {9, 8, 7}, bytes.payload());

        // No envelope: a plain string, or bytes that are not one.
        server.sendText("chat", "plain");
        Message plain = client.poll(WAIT);
        assertNull(plain.senderId());
        assertTrue(plain.text());
        assertEquals("plain", plain.textPayload());
        server.send("chat", new byte[] {(byte) 0x80});
        Message raw = client.poll(WAIT);
        assertNull(raw.senderId());
        assertArrayEquals(new byte[] {(byte) 0x80}, raw.payload());

        // And the client's envelope arrives as DataEnvelope reads it at the SFU.
        assertEquals(SendStatus.SENT, client.sendTo("chat", List.of("a", "b"), "to two"));
        Message atServer = server.poll(WAIT);
        assertNull(atServer.senderId(), "the other side here is no SFU: the client's envelope arrives whole");
        DataEnvelope.Incoming read = DataEnvelope.read(atServer.payload());
        assertNotNull(read);
        assertEquals(List.of("a", "b"), read.targets());
        assertTrue(read.text());

        assertEquals(SendStatus.NOT_OPEN, client.sendText("no-such-label", "x"));
        PeerDataChannels.Stats stats = client.stats();
        assertEquals(1, stats.messagesSent());
        assertEquals(1, stats.sendRefused());
        assertEquals(4, stats.messagesReceived());
        assertEquals(2 + 3 + 5 + 1, stats.bytesReceived());
    }

    @Test
    void aListenerTakesTheMessagesInsteadOfTheQueue() throws Exception {
        LinkedBlockingQueue<Message> heard = new LinkedBlockingQueue<>();
        client.setListener(heard::add);
        server.open("news", ChannelOptions.reliable());
        assertTrue(client.awaitOpen("news", WAIT), "a channel the other side opened");
        server.sendText("news", "one");
        Message m = heard.poll(5, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals("news", m.label());
        assertEquals(1, m.streamId() % 2, "the DTLS server opens odd stream ids");
        assertNull(client.poll(Duration.ofMillis(100)));
        // The client answers on the channel the other side opened.
        assertEquals(SendStatus.SENT, client.sendText("news", "two"));
        assertEquals("two", server.poll(WAIT).textPayload());
    }

    @Test
    void pausedReceivingHoldsPacketsAndReadsThemInOrderOnResume() throws Exception {
        client.open("chat", ChannelOptions.reliable());
        assertTrue(server.awaitOpen("chat", WAIT));
        client.pauseReceiving(true);
        for (int i = 0; i < 50; i++) {
            server.sendText("chat", "m" + i);
        }
        assertNull(client.poll(Duration.ofMillis(300)), "nothing is read while paused");
        client.pauseReceiving(false);
        for (int i = 0; i < 50; i++) {
            Message m = client.poll(WAIT);
            assertNotNull(m, "message " + i);
            assertEquals("m" + i, m.textPayload());
        }
        assertEquals(0, client.stats().heldDropped());
    }

    @Test
    void closeAbortsTheAssociationAndTheOtherSideLearnsWhy() throws Exception {
        client.close();
        assertFalse(client.isConnected());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(server.isConnected(), "the ABORT reached the other side");
        assertNotNull(server.closeReason());
        assertEquals(-1, client.open("late", ChannelOptions.reliable()));
        assertEquals(SendStatus.NOT_OPEN, client.sendText("chat", "late"));
        // The client's own timer thread is gone.
        deadline = System.nanoTime() + WAIT.toNanos();
        while (timerThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, timerThreads());
    }

    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("peer-sctp-timer")).count();
    }

    @Test
    void closingTheChannelClosesItOnBothSides() throws Exception {
        client.open("chat", ChannelOptions.reliable());
        assertTrue(server.awaitOpen("chat", WAIT));
        client.closeChannel("chat");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((client.isOpen("chat") || server.isOpen("chat")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(client.isOpen("chat"));
        assertFalse(server.isOpen("chat"));
        assertEquals(1, client.stats().channelsClosed());
        assertEquals(1, server.stats().channelsClosed());
    }
}
