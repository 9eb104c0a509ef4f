package org.atrium.sfu.turn;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory I/O edge for the sans-I/O engine: records what it sends to clients, and hands out
 * relay sockets on 203.0.113.1 (TEST-NET-3) that record what they send to peers.
 */
final class FakeTurnIo implements TurnIo {

    record ToClient(TurnClient client, byte[] bytes) {
    }

    record ToPeer(InetSocketAddress peer, byte[] bytes) {
    }

    final List<ToClient> toClients = new ArrayList<>();
    final List<Relay> relays = new ArrayList<>();
    /** How many more relay ports are free; openRelay returns null at 0. */
    int portsLeft = Integer.MAX_VALUE;
    private int nextPort = 49152;

    final class Relay implements RelaySocket {
        final InetSocketAddress address;
        final List<ToPeer> sent = new ArrayList<>();
        boolean closed;

        Relay(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public void send(InetSocketAddress peer, byte[] buf, int off, int len) {
            sent.add(new ToPeer(peer, Arrays.copyOfRange(buf, off, off + len)));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Override
    public void sendToClient(TurnClient client, byte[] buf, int off, int len) {
        toClients.add(new ToClient(client, Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public RelaySocket openRelay(TurnClient client) {
        if (portsLeft <= 0) {
            return null;
        }
        portsLeft--;
        Relay relay = new Relay(new InetSocketAddress(TurnWire.ip("203.0.113.1"), nextPort++));
        relays.add(relay);
        return relay;
    }

    /** The last message sent to a client; fails when there was none. */
    byte[] last() {
        if (toClients.isEmpty()) {
            throw new AssertionError("nothing was sent to a client");
        }
        return toClients.get(toClients.size() - 1).bytes();
    }

    /** Everything relays sent to peers. */
    List<ToPeer> relayed() {
        return relays.stream().flatMap(r -> r.sent.stream()).toList();
    }
}
