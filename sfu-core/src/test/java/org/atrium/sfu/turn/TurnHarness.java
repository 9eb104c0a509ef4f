package org.atrium.sfu.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.NonceAttribute;

/** An engine on a {@link FakeTurnIo}, a clock the test moves, and clients that authenticate as browsers do. */
final class TurnHarness {

    static final byte[] SECRET = "atrium-secret".getBytes(StandardCharsets.UTF_8);
    /** The SFU's media address: the only peer the default policy relays to. */
    static final InetSocketAddress SFU = TurnWire.address("198.51.100.7", 10000);
    static final long T0 = 1_700_000_000_000L;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FakeTurnIo io = new FakeTurnIo();
    final TurnConfig config;
    final TurnEngine engine;
    long now = T0;
    private int transactions;

    TurnHarness() {
        this(TurnConfig.defaults(SECRET, PeerPolicy.only(List.of(SFU))));
    }

    TurnHarness(TurnConfig config) {
        this.config = config;
        this.engine = new TurnEngine(config, io, new TurnMetrics(registry));
    }

    static TurnClient client(TurnTransport transport, int port) {
        return new TurnClient(transport, TurnWire.address("192.0.2.10", port), TurnWire.address("198.51.100.1", 3478));
    }

    static TurnClient udpClient(int port) {
        return client(TurnTransport.UDP, port);
    }

    TurnCredential credential(String identity) {
        return new TurnCredentials(SECRET).mint(identity, Instant.ofEpochMilli(now), Duration.ofDays(1));
    }

    byte[] nextTid() {
        return TurnWire.tid(++transactions);
    }

    /** What the engine answered to {@code msg}, or null when it answered nothing. */
    byte[] send(TurnClient client, byte[] msg) {
        int before = io.toClients.size();
        engine.onClientMessage(client, msg, 0, msg.length, now);
        return io.toClients.size() > before ? io.last() : null;
    }

    /** A NONCE, from the 401 to an Allocate without credentials. */
    String nonce() {
        byte[] challenge = send(udpClient(1), TurnWire.message(TurnWire.ALLOCATE, nextTid(), TurnWire.requestedTransport(17)));
        NonceAttribute nonce = (NonceAttribute) TurnWire.decode(challenge).getAttribute(Attribute.NONCE);
        return new String(nonce.getNonce(), StandardCharsets.US_ASCII);
    }

    /** A request signed with {@code credential} and a fresh nonce. */
    byte[] signed(int method, byte[] tid, TurnCredential credential, byte[]... attributes) {
        return TurnWire.signed(method, tid, credential, config.realm(), nonce(), attributes);
    }

    /** Allocates for {@code client}, asserting success; the relay the edge opened. */
    FakeTurnIo.Relay allocate(TurnClient client, TurnCredential credential) {
        byte[] response = send(client, signed(TurnWire.ALLOCATE, nextTid(), credential, TurnWire.requestedTransport(17)));
        assertEquals(0x0103, TurnWire.type(response), "Allocate success");
        return io.relays.get(io.relays.size() - 1);
    }

    /** Sends a signed request and returns the ERROR-CODE of the answer, 0 for success. */
    int request(TurnClient client, int method, TurnCredential credential, byte[]... attributes) {
        return TurnWire.errorCode(send(client, signed(method, nextTid(), credential, attributes)));
    }

    void peerData(FakeTurnIo.Relay relay, InetSocketAddress peer, byte[] payload) {
        engine.onPeerData(relay, peer, payload, 0, payload.length, now);
    }

    double count(String meter, String tag, String value) {
        return registry.get(meter).tag(tag, value).counter().count();
    }

    double gauge(String meter, String tag, String value) {
        return registry.get(meter).tag(tag, value).gauge().value();
    }
}
