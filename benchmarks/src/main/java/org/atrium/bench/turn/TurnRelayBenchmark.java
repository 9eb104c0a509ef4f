package org.atrium.bench.turn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atrium.sfu.turn.PeerPolicy;
import org.atrium.sfu.turn.RelaySocket;
import org.atrium.sfu.turn.TurnClient;
import org.atrium.sfu.turn.TurnConfig;
import org.atrium.sfu.turn.TurnCredential;
import org.atrium.sfu.turn.TurnCredentials;
import org.atrium.sfu.turn.TurnEngine;
import org.atrium.sfu.turn.TurnIo;
import org.atrium.sfu.turn.TurnMetrics;
import org.atrium.sfu.turn.TurnTransport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The TURN engine's data path alone, no sockets: a ChannelData message from a client relayed to
 * its peer ({@code TurnEngine.onClientMessage} to {@code RelaySocket.send}), and a peer's datagram
 * relayed to the client as ChannelData ({@code onPeerData} to {@code TurnIo.sendToClient}), both
 * into no-op edges. The allocation is made first through the engine with {@link TurnSession}, as
 * a client over UDP would. With {@code -prof gc}, the bytes allocated per relayed packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
// A fixed, pre-touched heap: peerToClient allocates a new ChannelData message per packet, and in a
// heap still growing each young collection hands out fresh pages whose first-touch faults (kernel
// zero-fill) cost microseconds per operation, not what the data path costs once the heap is sized.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TurnRelayBenchmark {

    private static final int CHANNEL = 0x4000;

    @Param({"160", "1200"})
    public int size;

    private TurnEngine engine;
    private TurnClient client;
    private NoopEdge edge;
    private InetSocketAddress peer;
    private byte[] channelData;
    private byte[] peerData;
    private long now;

    @Setup
    public void setUp() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        peer = new InetSocketAddress(loopback, 40000);
        byte[] secret = "bench".getBytes(StandardCharsets.UTF_8);
        TurnConfig config = TurnConfig.defaults(secret, PeerPolicy.only(List.of(peer)));
        edge = new NoopEdge(new InetSocketAddress(loopback, 61000));
        engine = new TurnEngine(config, edge, new TurnMetrics(new SimpleMeterRegistry()));
        client = new TurnClient(TurnTransport.UDP, new InetSocketAddress(loopback, 50000),
                new InetSocketAddress(loopback, 3478));
        now = System.currentTimeMillis();
        TurnCredential credential = new TurnCredentials(secret).mint("bench", Instant.now(), Duration.ofHours(1));
        TurnSession session = new TurnSession((request, transaction) -> {
            edge.lastToClient = null;
            engine.onClientMessage(client, request, 0, request.length, now);
            StunCodec.Response response = edge.lastToClient == null ? null
                    : StunCodec.parse(edge.lastToClient, 0, edge.lastToClient.length);
            if (response == null || !Arrays.equals(response.transaction(), transaction)) {
                throw new IOException("the engine did not answer");
            }
            return response;
        }, credential.username(), credential.password());
        session.allocate();
        session.bind(peer, CHANNEL);
        edge.capture = false;
        channelData = StunCodec.channelData(CHANNEL, size);
        peerData = new byte[size];
        clientToPeer();
        peerToClient();
        if (edge.toPeer != 1 || edge.toClient != 1 || edge.toClientBytes != 4 + size) {
            throw new IllegalStateException("not relayed: " + edge.toPeer + " to the peer, " + edge.toClient
                    + " to the client");
        }
    }

    /** ChannelData from the client: channel lookup, permission and policy checks, the relay socket's send. */
    @Benchmark
    public long clientToPeer() {
        engine.onClientMessage(client, channelData, 0, channelData.length, now);
        return edge.toPeer;
    }

    /** A datagram from the peer on the relay socket: allocation, permission, channel, the ChannelData written, the send. */
    @Benchmark
    public long peerToClient() {
        engine.onPeerData(edge.relay, peer, peerData, 0, peerData.length, now);
        return edge.toClient;
    }

    /** The I/O edge with no I/O: counts what the engine hands it. */
    static final class NoopEdge implements TurnIo {
        final RelaySocket relay;
        boolean capture = true;
        byte[] lastToClient;
        long toPeer;
        long toClient;
        long toClientBytes;

        NoopEdge(InetSocketAddress relayAddress) {
            relay = new RelaySocket() {
                @Override
                public InetSocketAddress address() {
                    return relayAddress;
                }

                @Override
                public void send(InetSocketAddress to, byte[] buf, int off, int len) {
                    toPeer++;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void sendToClient(TurnClient to, byte[] buf, int off, int len) {
            if (capture) {
                lastToClient = Arrays.copyOfRange(buf, off, off + len);
            } else {
                toClient++;
                toClientBytes += len;
            }
        }

        @Override
        public RelaySocket openRelay(TurnClient from) {
            return relay;
        }
    }
}
