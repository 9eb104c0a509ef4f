package org.atrium.sfu.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.NonceAttribute;
import org.junit.jupiter.api.Test;

/**
 * The edge's threads at once: clients sending ChannelData, a relay selector delivering peer data,
 * and control traffic (permission refreshes, allocations made and deleted, expiry) on the same
 * engine. Every packet is either relayed or counted as dropped, and nothing is lost or thrown.
 */
class TurnEngineConcurrencyTest {

    private static final long NOW = TurnHarness.T0;
    private static final int CLIENTS = 4;
    private static final int PACKETS = 5_000;

    /** A thread-safe edge: counts what it relays and keeps the last message to each client. */
    private static final class ConcurrentIo implements TurnIo {
        final AtomicLong toPeers = new AtomicLong();
        final AtomicLong toClients = new AtomicLong();
        final Map<TurnClient, byte[]> lastToClient = new ConcurrentHashMap<>();
        final List<RelaySocket> relays = new CopyOnWriteArrayList<>();
        private final AtomicInteger ports = new AtomicInteger(40000);

        @Override
        public void sendToClient(TurnClient client, byte[] buf, int off, int len) {
            toClients.incrementAndGet();
            lastToClient.put(client, java.util.Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public RelaySocket openRelay(TurnClient client) {
            InetSocketAddress address = TurnWire.address("203.0.113.1", ports.getAndIncrement());
            RelaySocket relay = new RelaySocket() {
                @Override
                public InetSocketAddress address() {
                    return address;
                }

                @Override
                public void send(InetSocketAddress peer, byte[] buf, int off, int len) {
                    toPeers.incrementAndGet();
                }

                @Override
                public void close() {
                }
            };
            relays.add(relay);
            return relay;
        }
    }

    @Test
    void dataPathAndControlPathTogether() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConcurrentIo io = new ConcurrentIo();
        TurnConfig config = TurnConfig.defaults(TurnHarness.SECRET, PeerPolicy.only(List.of(TurnHarness.SFU)));
        TurnEngine engine = new TurnEngine(config, io, new TurnMetrics(registry));
        TurnCredential credential = new TurnCredentials(TurnHarness.SECRET)
                .mint("alice", Instant.ofEpochMilli(NOW), Duration.ofDays(1));
        TurnClient probe = TurnHarness.udpClient(1);
        byte[] challenge = TurnWire.message(TurnWire.ALLOCATE, TurnWire.tid(0), TurnWire.requestedTransport(17));
        engine.onClientMessage(probe, challenge, 0, challenge.length, NOW);
        String nonce = new String(((NonceAttribute) TurnWire.decode(io.lastToClient.get(probe))
                .getAttribute(Attribute.NONCE)).getNonce(), StandardCharsets.US_ASCII);
        AtomicInteger tids = new AtomicInteger(1);
        java.util.function.BiFunction<Integer, byte[][], byte[]> signed = (method, attributes) ->
                TurnWire.signed(method, TurnWire.tid(tids.getAndIncrement()), credential, "atrium", nonce, attributes);

        List<TurnClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            TurnClient client = TurnHarness.udpClient(50000 + i);
            clients.add(client);
            for (byte[] request : List.of(signed.apply(TurnWire.ALLOCATE, new byte[][] {TurnWire.requestedTransport(17)}),
                    signed.apply(TurnWire.CHANNEL_BIND, new byte[][] {TurnWire.channelNumber(0x4000),
                            TurnWire.xorPeer(TurnHarness.SFU)}))) {
                engine.onClientMessage(client, request, 0, request.length, NOW);
                assertEquals(0, TurnWire.errorCode(io.lastToClient.get(client)));
            }
        }
        List<RelaySocket> relays = List.copyOf(io.relays);

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
        List<Future<?>> running = new ArrayList<>();
        for (TurnClient client : clients) {
            running.add(pool.submit(() -> {
                byte[] channelData = TurnWire.hex("4000 0004 01020304");
                for (int n = 0; n < PACKETS; n++) {
                    engine.onClientMessage(client, channelData, 0, channelData.length, NOW);
                }
            }));
        }
        running.add(pool.submit(() -> {
            byte[] payload = new byte[100];
            for (int n = 0; n < PACKETS; n++) {
                engine.onPeerData(relays.get(n % CLIENTS), TurnHarness.SFU, payload, 0, payload.length, NOW);
            }
        }));
        running.add(pool.submit(() -> {
            TurnClient churn = TurnHarness.udpClient(60000);
            for (int n = 0; n < 200; n++) {
                TurnClient client = clients.get(n % CLIENTS);
                byte[] permission = signed.apply(TurnWire.CREATE_PERMISSION, new byte[][] {TurnWire.xorPeer(TurnHarness.SFU)});
                engine.onClientMessage(client, permission, 0, permission.length, NOW);
                byte[] allocate = signed.apply(TurnWire.ALLOCATE, new byte[][] {TurnWire.requestedTransport(17)});
                engine.onClientMessage(churn, allocate, 0, allocate.length, NOW);
                byte[] delete = signed.apply(TurnWire.REFRESH, new byte[][] {TurnWire.lifetime(0)});
                engine.onClientMessage(churn, delete, 0, delete.length, NOW);
                engine.expire(NOW);
            }
        }));
        pool.shutdown();
        for (Future<?> future : running) {
            future.get(60, TimeUnit.SECONDS);
        }

        assertEquals((long) CLIENTS * PACKETS, io.toPeers.get());
        assertEquals((long) CLIENTS * PACKETS,
                registry.get("atrium.turn.relayed.packets").tag("direction", "to_peer").counter().count());
        assertEquals(PACKETS, registry.get("atrium.turn.relayed.packets").tag("direction", "to_client").counter().count());
        assertEquals(0, registry.get("atrium.turn.dropped.packets").counters().stream().mapToDouble(c -> c.count()).sum());
        assertEquals(CLIENTS, engine.allocationCount());
        assertEquals(CLIENTS, registry.get("atrium.turn.allocations").tag("transport", "udp").gauge().value());
        assertEquals(CLIENTS + 200, registry.get("atrium.turn.allocations.created").tag("transport", "udp").counter().count());
    }
}
