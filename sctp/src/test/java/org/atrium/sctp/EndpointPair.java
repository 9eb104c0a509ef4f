package org.atrium.sctp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Two {@link DataChannelEndpoint}s joined by an in-memory link with a virtual clock. The link
 * delays each packet, and with a seeded random loses, duplicates and reorders packets. Each side
 * records what its listener heard.
 */
final class EndpointPair {
    /** One endpoint and what its listener heard. */
    final class Side implements DataChannelListener {
        final String name;
        final DataChannelEndpoint endpoint;
        Side peer;
        final List<byte[]> messages = new ArrayList<>();
        final List<Integer> messageStreams = new ArrayList<>();
        final List<Boolean> messageBinary = new ArrayList<>();
        final List<DataChannelInfo> opened = new ArrayList<>();
        final List<Boolean> openedByPeer = new ArrayList<>();
        final List<Integer> closedChannels = new ArrayList<>();
        final List<Integer> bufferedLow = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        boolean connected;
        String closedReason;
        /** Drops what this side sends when it says so. */
        Predicate<byte[]> outFilter = p -> false;
        /** Rewrites what this side sends (in place); the packet is resealed after. */
        java.util.function.Consumer<byte[]> outMutator;
        boolean recordSent;

        Side(String name, SctpConfig config, boolean dtlsClient, long seed) {
            this.name = name;
            this.endpoint = new DataChannelEndpoint(config, dtlsClient, this, new SplittableRandom(seed));
        }

        @Override
        public void sendPacket(byte[] packet, int offset, int length) {
            byte[] copy = Arrays.copyOfRange(packet, offset, offset + length);
            if (recordSent) {
                sent.add(copy);
            }
            if (outFilter.test(copy)) {
                return;
            }
            if (outMutator != null) {
                outMutator.accept(copy);
                org.atrium.sctp.packet.SctpPacket.seal(copy, 0, copy.length);
            }
            transmit(this, copy);
        }

        @Override
        public void onConnected() {
            connected = true;
        }

        @Override
        public void onChannelOpen(DataChannelInfo channel, boolean byPeer) {
            opened.add(channel);
            openedByPeer.add(byPeer);
        }

        @Override
        public void onMessage(int streamId, boolean binary, byte[] message) {
            messages.add(message);
            messageStreams.add(streamId);
            messageBinary.add(binary);
        }

        @Override
        public void onChannelClosed(int streamId) {
            closedChannels.add(streamId);
        }

        @Override
        public void onBufferedAmountLow(int streamId) {
            bufferedLow.add(streamId);
        }

        @Override
        public void onClosed(String reason) {
            closedReason = reason;
        }

        SctpStats stats() {
            return endpoint.stats();
        }

        SendStatus send(int sid, byte[] m) {
            return endpoint.send(sid, true, m, 0, m.length, now);
        }
    }

    private record Packet(long at, long order, Side to, byte[] bytes) {
    }

    final Side a;
    final Side b;
    private final Random random;
    private final PriorityQueue<Packet> link = new PriorityQueue<>(
        (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private long order;
    long now = 1_000_000;
    int delayMillis = 20;
    double loss;
    double duplicate;
    double reorder;
    long delivered;

    EndpointPair(SctpConfig config, long seed) {
        this(config, config, seed);
    }

    EndpointPair(SctpConfig configA, SctpConfig configB, long seed) {
        random = new Random(seed);
        a = new Side("a", configA, true, seed * 31 + 1);
        b = new Side("b", configB, false, seed * 31 + 2);
        a.peer = b;
        b.peer = a;
    }

    EndpointPair lossy(double loss, double duplicate, double reorder) {
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
        return this;
    }

    private void transmit(Side from, byte[] p) {
        if (random.nextDouble() < loss) {
            return;
        }
        int copies = random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long extra = random.nextDouble() < reorder ? random.nextInt(3 * delayMillis + 1) : 0;
            link.add(new Packet(now + delayMillis + extra, order++, from.peer, p));
        }
    }

    /** Delivers a packet to {@code to} right now, bypassing the link. */
    void inject(Side to, byte[] p) {
        to.endpoint.receive(p, 0, p.length, now);
    }

    /** Runs events until {@code done} holds or the virtual clock passes {@code forMillis} from now; returns done. */
    boolean runUntil(BooleanSupplier done, long forMillis) {
        long end = now + forMillis;
        while (!done.getAsBoolean()) {
            long next = Math.min(a.endpoint.nextTimeoutMillis(), b.endpoint.nextTimeoutMillis());
            if (!link.isEmpty()) {
                next = Math.min(next, link.peek().at);
            }
            if (next > end) {
                now = end;
                return done.getAsBoolean();
            }
            now = Math.max(now, next);
            while (!link.isEmpty() && link.peek().at <= now) {
                Packet p = link.poll();
                delivered++;
                p.to.endpoint.receive(p.bytes, 0, p.bytes.length, now);
            }
            if (a.endpoint.nextTimeoutMillis() <= now) {
                a.endpoint.handleTimeout(now);
            }
            if (b.endpoint.nextTimeoutMillis() <= now) {
                b.endpoint.handleTimeout(now);
            }
        }
        return true;
    }

    void run(long forMillis) {
        runUntil(() -> false, forMillis);
    }

    boolean connect() {
        a.endpoint.connect(now);
        return runUntil(() -> a.connected && b.connected, 30_000);
    }

    /** Whether the packet carries a chunk of {@code type}. */
    static boolean contains(byte[] p, int type) {
        org.atrium.sctp.packet.ChunkIterator it = new org.atrium.sctp.packet.ChunkIterator().reset(p, 0, p.length);
        while (it.next()) {
            if (it.type() == type) {
                return true;
            }
        }
        return false;
    }

    boolean linkIdle() {
        return link.isEmpty();
    }
}
