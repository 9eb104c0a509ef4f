package org.atrium.sfu.turn;

/**
 * One TURN allocation (RFC 8656 2.2, 6): a relay socket bound to one client 5-tuple, the username
 * that made it (every later request must use it: 441 otherwise), its expiry, permissions and
 * channels. Fields other than the expiry, the permissions and the channels never change; the
 * expiry is written under the engine's lock and read by it.
 */
final class Allocation {

    final TurnClient client;
    final RelaySocket relay;
    final String username;
    final String identity;
    /** The transaction id of the Allocate that made it, and the success response it got: a retransmission gets it again (RFC 8656 7.2). */
    final byte[] allocateTransaction;
    final byte[] allocateResponse;
    final Permissions permissions = new Permissions();
    final ChannelBindings channels = new ChannelBindings();
    private long expiresAt;

    Allocation(TurnClient client, RelaySocket relay, String username, String identity, byte[] allocateTransaction,
            byte[] allocateResponse, long expiresAt) {
        this.client = client;
        this.relay = relay;
        this.username = username;
        this.identity = identity;
        this.allocateTransaction = allocateTransaction;
        this.allocateResponse = allocateResponse;
        this.expiresAt = expiresAt;
    }

    long expiresAt() {
        return expiresAt;
    }

    void refresh(long expiresAt) {
        this.expiresAt = expiresAt;
    }
}
