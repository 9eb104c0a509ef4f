package org.atrium.bench.turn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A TURN client's control conversation, over whatever carries it (a UDP socket, or an engine
 * called directly): Allocate through the long-term credential challenge (RFC 8489 9.2: a request
 * without credentials, 401 with REALM and NONCE, the request again with USERNAME, REALM, NONCE
 * and MESSAGE-INTEGRITY by MD5(username:realm:password); 438 Stale Nonce answered with the new
 * nonce), then CreatePermission and ChannelBind to one peer (RFC 8656 9, 11).
 */
final class TurnSession {

    /** Sends one request and returns the response to its transaction (retransmitting as the transport needs). */
    interface Exchange {
        StunCodec.Response exchange(byte[] request, byte[] transaction) throws IOException;
    }

    private final Exchange exchange;
    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private byte[] key;
    private InetSocketAddress relayed;

    TurnSession(Exchange exchange, String username, String password) {
        this.exchange = exchange;
        this.username = username;
        this.password = password;
    }

    /** Allocates a UDP relay; returns the relayed address the server gave. */
    InetSocketAddress allocate() throws IOException {
        byte[] transaction = StunCodec.newTransaction();
        StunCodec.Response challenge = exchange.exchange(
                new StunCodec.Request(StunCodec.ALLOCATE, transaction).requestedTransportUdp().build(null), transaction);
        if (!challenge.isError() || challenge.errorCode() != 401) {
            throw new IOException("Allocate without credentials: expected 401, got " + describe(challenge));
        }
        realm = challenge.text(StunCodec.REALM);
        nonce = challenge.text(StunCodec.NONCE);
        if (realm == null || nonce == null) {
            throw new IOException("401 without REALM or NONCE");
        }
        key = StunCodec.longTermKey(username, realm, password);
        StunCodec.Response response = authenticated(StunCodec.ALLOCATE, StunCodec.Request::requestedTransportUdp);
        relayed = response.xorAddress(StunCodec.XOR_RELAYED_ADDRESS);
        if (relayed == null) {
            throw new IOException("Allocate success without XOR-RELAYED-ADDRESS");
        }
        return relayed;
    }

    /** CreatePermission for the peer's address, then ChannelBind of {@code channel} to the peer. */
    void bind(InetSocketAddress peer, int channel) throws IOException {
        authenticated(StunCodec.CREATE_PERMISSION, r -> r.xorAddress(StunCodec.XOR_PEER_ADDRESS, peer));
        authenticated(StunCodec.CHANNEL_BIND,
                r -> r.channelNumber(channel).xorAddress(StunCodec.XOR_PEER_ADDRESS, peer));
    }

    InetSocketAddress relayed() {
        return relayed;
    }

    /** A request with the credential; a 438 is answered once or twice with the fresh nonce; anything but success throws. */
    private StunCodec.Response authenticated(int method, Consumer<StunCodec.Request> attributes) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            byte[] transaction = StunCodec.newTransaction();
            StunCodec.Request request = new StunCodec.Request(method, transaction);
            attributes.accept(request);
            request.text(StunCodec.USERNAME, username).text(StunCodec.REALM, realm).text(StunCodec.NONCE, nonce);
            StunCodec.Response response = exchange.exchange(request.build(key), transaction);
            if (response.isError() && response.errorCode() == 438 && response.text(StunCodec.NONCE) != null) {
                nonce = response.text(StunCodec.NONCE);
                continue;
            }
            if (!response.isSuccess() || response.method() != method) {
                throw new IOException("method 0x" + Integer.toHexString(method) + ": " + describe(response));
            }
            // RFC 8489 9.2.5: a success to an authenticated request carries MESSAGE-INTEGRITY by the same key.
            if (!response.integrityMatches(key)) {
                throw new IOException("method 0x" + Integer.toHexString(method) + ": response integrity does not match");
            }
            return response;
        }
        throw new IOException("method 0x" + Integer.toHexString(method) + ": stale nonce three times");
    }

    private static String describe(StunCodec.Response r) {
        return "type 0x" + Integer.toHexString(r.type()) + (r.isError() ? " error " + r.errorCode() : "");
    }
}
