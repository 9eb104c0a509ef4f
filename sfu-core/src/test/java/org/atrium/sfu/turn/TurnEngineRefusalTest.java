package org.atrium.sfu.turn;

import static org.atrium.sfu.turn.TurnWire.address;
import static org.atrium.sfu.turn.TurnWire.channelNumber;
import static org.atrium.sfu.turn.TurnWire.hex;
import static org.atrium.sfu.turn.TurnWire.requestedTransport;
import static org.atrium.sfu.turn.TurnWire.xorPeer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a request is refused or a message dropped: the error code, one count, and nothing relayed. */
class TurnEngineRefusalTest {

    private final TurnHarness h = new TurnHarness();
    private final TurnClient alice = TurnHarness.udpClient(50000);
    private final TurnCredential aliceCredential = h.credential("alice");

    private void assertNothingRelayed(TurnHarness harness) {
        assertEquals(List.of(), harness.io.relayed());
    }

    @Test
    void wrongPasswordIs401BadIntegrity() {
        TurnCredential forged = new TurnCredential(aliceCredential.username(), "not-the-password", aliceCredential.expires());
        byte[] response = h.send(alice, h.signed(TurnWire.ALLOCATE, h.nextTid(), forged, requestedTransport(17)));
        assertEquals(401, TurnWire.errorCode(response));
        assertEquals(1, h.count("atrium.turn.auth.failures", "reason", "bad_integrity"));
        assertEquals(0, h.io.relays.size());
    }

    @Test
    void expiredUsernameIs401Expired() {
        TurnCredential old = new TurnCredentials(TurnHarness.SECRET)
                .mint("alice", Instant.ofEpochMilli(h.now).minus(Duration.ofDays(2)), Duration.ofDays(1));
        assertEquals(401, h.request(alice, TurnWire.ALLOCATE, old, requestedTransport(17)));
        assertEquals(1, h.count("atrium.turn.auth.failures", "reason", "expired"));
        assertEquals(0, h.io.relays.size());
    }

    @Test
    void usernameNotOfTheRestApiFormIs401() {
        TurnCredential plain = new TurnCredential("alice", TurnCredentials.password(TurnHarness.SECRET, "alice"),
                Instant.MAX);
        assertEquals(401, h.request(alice, TurnWire.ALLOCATE, plain, requestedTransport(17)));
        assertEquals(1, h.count("atrium.turn.auth.failures", "reason", "bad_username"));
    }

    @Test
    void staleNonceIs438WithANewNonce() {
        String nonce = h.nonce();
        h.now += NonceMinter.LIFETIME_MILLIS;
        byte[] response = h.send(alice, TurnWire.signed(TurnWire.ALLOCATE, h.nextTid(), aliceCredential, "atrium",
                nonce, requestedTransport(17)));
        assertEquals(438, TurnWire.errorCode(response));
        assertTrue(TurnWire.decode(response).containsAttribute(Attribute.NONCE));
        assertEquals(1, h.count("atrium.turn.auth.failures", "reason", "stale_nonce"));
        assertEquals(438, TurnWire.errorCode(h.send(alice, TurnWire.signed(TurnWire.ALLOCATE, h.nextTid(),
                aliceCredential, "atrium", "0123456789abcdef" + "0".repeat(20), requestedTransport(17)))),
                "a nonce we did not mint");
        assertEquals(0, h.io.relays.size());
    }

    @Test
    void integrityWithoutNonceIs400() {
        byte[] request = StunIntegrity.seal(TurnWire.message(TurnWire.ALLOCATE, h.nextTid(),
                TurnWire.text(0x0006, aliceCredential.username()), requestedTransport(17)), new byte[16]);
        assertEquals(400, TurnWire.errorCode(h.send(alice, request)));
        assertEquals(1, h.count("atrium.turn.auth.failures", "reason", "missing_attribute"));
    }

    @Test
    void peersThePolicyDoesNotPermitAre403() {
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        assertEquals(403, h.request(alice, TurnWire.CREATE_PERMISSION, aliceCredential,
                xorPeer(address("192.0.2.99", 10000))));
        assertEquals(403, h.request(alice, TurnWire.CREATE_PERMISSION, aliceCredential,
                xorPeer(TurnHarness.SFU), xorPeer(address("192.0.2.99", 10000))), "all or nothing");
        assertEquals(403, h.request(alice, TurnWire.CHANNEL_BIND, aliceCredential, channelNumber(0x4000),
                xorPeer(address("198.51.100.7", 10001))), "the SFU's address on another port");
        assertEquals(3, h.count("atrium.turn.refusals", "reason", "peer_forbidden"));

        // The ChannelBind installed nothing: a Send to the SFU's address finds no permission.
        h.send(alice, TurnWire.message(0x0016, h.nextTid(), xorPeer(TurnHarness.SFU), TurnWire.data(hex("01"))));
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "no_permission"));
        assertEquals(List.of(), relay.sent);
    }

    @Test
    void openPolicyPermitsAnyPeer() {
        TurnHarness open = new TurnHarness(TurnConfig.defaults(TurnHarness.SECRET, PeerPolicy.open()));
        TurnCredential credential = open.credential("alice");
        open.allocate(alice, credential);
        assertEquals(0, open.request(alice, TurnWire.CREATE_PERMISSION, credential, xorPeer(address("192.0.2.99", 1))));
    }

    @Test
    void quotaPerIdentityIs486() {
        TurnHarness small = new TurnHarness(new TurnConfig("atrium", TurnHarness.SECRET, Duration.ofSeconds(600),
                Duration.ofSeconds(3600), 2, 100, PeerPolicy.only(List.of(TurnHarness.SFU))));
        TurnCredential credential = small.credential("alice");
        small.allocate(TurnHarness.udpClient(1000), credential);
        small.allocate(TurnHarness.udpClient(1001), credential);
        assertEquals(486, small.request(TurnHarness.udpClient(1002), TurnWire.ALLOCATE, credential, requestedTransport(17)));
        assertEquals(1, small.count("atrium.turn.refusals", "reason", "identity_quota"));
        assertEquals(0, small.request(TurnHarness.udpClient(1002), TurnWire.ALLOCATE, small.credential("bob"),
                requestedTransport(17)), "another identity");
        assertEquals(3, small.io.relays.size());
    }

    @Test
    void quotaOfTheServerIs486() {
        TurnHarness small = new TurnHarness(new TurnConfig("atrium", TurnHarness.SECRET, Duration.ofSeconds(600),
                Duration.ofSeconds(3600), 10, 2, PeerPolicy.only(List.of(TurnHarness.SFU))));
        small.allocate(TurnHarness.udpClient(1000), small.credential("a"));
        small.allocate(TurnHarness.udpClient(1001), small.credential("b"));
        assertEquals(486, small.request(TurnHarness.udpClient(1002), TurnWire.ALLOCATE, small.credential("c"),
                requestedTransport(17)));
        assertEquals(1, small.count("atrium.turn.refusals", "reason", "server_quota"));
        assertEquals(2, small.io.relays.size());
    }

    @Test
    void noRelayPortIs508() {
        h.io.portsLeft = 0;
        assertEquals(508, h.request(alice, TurnWire.ALLOCATE, aliceCredential, requestedTransport(17)));
        assertEquals(1, h.count("atrium.turn.refusals", "reason", "insufficient_capacity"));
        assertEquals(0, h.engine.allocationCount());
    }

    @Test
    void anotherUsernameOnAnAllocatedFiveTupleIs441() {
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        assertEquals(441, h.request(alice, TurnWire.CREATE_PERMISSION, h.credential("mallory"), xorPeer(TurnHarness.SFU)));
        assertEquals(441, h.request(alice, TurnWire.REFRESH, h.credential("mallory"), TurnWire.lifetime(0)));
        assertEquals(2, h.count("atrium.turn.refusals", "reason", "wrong_credentials"));
        assertEquals(1, h.engine.allocationCount());
        assertEquals(false, relay.closed);
    }

    @Test
    void secondAllocateOnAFiveTupleIs437() {
        h.allocate(alice, aliceCredential);
        assertEquals(437, h.request(alice, TurnWire.ALLOCATE, aliceCredential, requestedTransport(17)));
        assertEquals(1, h.count("atrium.turn.refusals", "reason", "allocation_mismatch"));
        assertEquals(437, h.request(TurnHarness.udpClient(2), TurnWire.CREATE_PERMISSION, aliceCredential,
                xorPeer(TurnHarness.SFU)), "no allocation on that 5-tuple");
        assertEquals(1, h.count("atrium.turn.refusals", "reason", "no_allocation"));
        assertEquals(1, h.io.relays.size());
    }

    @Test
    void unknownComprehensionRequiredAttributeIs420WithUnknownAttributes() {
        byte[] response = h.send(alice, h.signed(TurnWire.ALLOCATE, h.nextTid(), aliceCredential,
                requestedTransport(17), TurnWire.u32(0x002F, 7), TurnWire.u32(0x8099, 7)));
        assertEquals(420, TurnWire.errorCode(response));
        UnknownAttributesAttribute unknown = (UnknownAttributesAttribute) TurnWire.decode(response)
                .getAttribute(Attribute.UNKNOWN_ATTRIBUTES);
        assertEquals(0x002F, unknown.getAttribute(0), "only the comprehension-required one");
        assertEquals(1, h.count("atrium.turn.refusals", "reason", "unknown_attribute"));
        assertEquals(0, h.io.relays.size());
    }

    static Stream<Arguments> badAllocates() {
        return Stream.of(
                Arguments.of("REQUESTED-TRANSPORT TCP", 442, "unsupported_transport", new byte[][] {requestedTransport(6)}),
                Arguments.of("no REQUESTED-TRANSPORT", 400, "bad_request", new byte[][] {}),
                Arguments.of("REQUESTED-ADDRESS-FAMILY IPv6", 440, "address_family",
                        new byte[][] {requestedTransport(17), TurnWire.attr(0x0017, hex("02000000"))}),
                Arguments.of("RESERVATION-TOKEN", 400, "reservation_token",
                        new byte[][] {requestedTransport(17), TurnWire.attr(0x0022, hex("0102030405060708"))}));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badAllocates")
    void badAllocateIsRefused(String what, int code, String reason, byte[][] attributes) {
        assertEquals(code, h.request(alice, TurnWire.ALLOCATE, aliceCredential, attributes));
        assertEquals(1, h.count("atrium.turn.refusals", "reason", reason));
        assertEquals(0, h.io.relays.size());
    }

    static Stream<Arguments> malformed() {
        byte[] binding = TurnWire.message(TurnWire.BINDING, TurnWire.tid(1));
        byte[] badFingerprint = StunIntegrity.seal(binding, null);
        badFingerprint[badFingerprint.length - 1] ^= 1;
        byte[] afterFingerprint = Arrays.copyOf(StunIntegrity.seal(binding, null), 32);
        StunIntegrity.writeShort(afterFingerprint, 2, 12);
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("truncated header", Arrays.copyOf(binding, 12)),
                Arguments.of("length past the end", hex("0001 0008 2112a442 000000000000000000000000")),
                Arguments.of("length not a multiple of 4", hex("0001 0002 2112a442 000000000000000000000000 0000")),
                Arguments.of("no magic cookie", hex("0001 0000 2112a443 000000000000000000000000")),
                Arguments.of("attribute past the end", hex("0001 0004 2112a442 000000000000000000000000 0006 0008")),
                Arguments.of("bad FINGERPRINT", badFingerprint),
                Arguments.of("attribute after FINGERPRINT", afterFingerprint),
                Arguments.of("garbage", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("ChannelData shorter than its length", hex("4000 0010 0102")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedMessagesAreDroppedAndCounted(String what, byte[] message) {
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        int sent = h.io.toClients.size();
        assertNull(h.send(alice, message));
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "malformed"), what);
        assertEquals(sent, h.io.toClients.size());
        assertEquals(List.of(), relay.sent);
    }

    @Test
    void dataWithoutAllocationPermissionOrChannelIsDroppedAndCounted() {
        assertNull(h.send(alice, hex("4000 0001 01 000000")));
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "no_allocation"));
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        h.send(alice, hex("4000 0001 01 000000"));
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "no_channel"));
        h.send(alice, TurnWire.message(0x0016, h.nextTid(), xorPeer(TurnHarness.SFU), TurnWire.data(hex("01"))));
        h.peerData(relay, TurnHarness.SFU, hex("02"));
        assertEquals(2, h.count("atrium.turn.dropped.packets", "reason", "no_permission"));
        h.send(alice, TurnWire.message(0x0016, h.nextTid(), TurnWire.data(hex("01"))));
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "bad_send"));
        h.send(alice, TurnWire.message(0x0111, h.nextTid()));
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "unexpected"), "an error response from a client");

        // Permitted by IP, but a port the policy does not allow: dropped as forbidden.
        assertEquals(0, h.request(alice, TurnWire.CREATE_PERMISSION, aliceCredential, xorPeer(TurnHarness.SFU)));
        h.peerData(relay, address("198.51.100.7", 10001), hex("03"));
        h.send(alice, TurnWire.message(0x0016, h.nextTid(), xorPeer(address("198.51.100.7", 10001)),
                TurnWire.data(hex("01"))));
        assertEquals(2, h.count("atrium.turn.dropped.packets", "reason", "peer_forbidden"));
        assertNothingRelayed(h);
        assertEquals(0, h.count("atrium.turn.relayed.packets", "direction", "to_client"));
    }

    @Test
    void everySeriesExistsFromTheStart() {
        TurnHarness fresh = new TurnHarness();
        for (TurnRefusal reason : TurnRefusal.values()) {
            assertEquals(0, fresh.count("atrium.turn.refusals", "reason", reason.label()));
        }
        for (TurnDropReason reason : TurnDropReason.values()) {
            assertEquals(0, fresh.count("atrium.turn.dropped.packets", "reason", reason.label()));
        }
        for (TurnAuthFailure reason : TurnAuthFailure.values()) {
            assertEquals(0, fresh.count("atrium.turn.auth.failures", "reason", reason.label()));
        }
        for (TurnTransport transport : TurnTransport.values()) {
            assertEquals(0, fresh.gauge("atrium.turn.allocations", "transport", transport.label()));
            assertEquals(0, fresh.count("atrium.turn.allocations.created", "transport", transport.label()));
        }
        assertArrayEquals(new String[] {"to_client", "to_peer"}, fresh.registry.get("atrium.turn.relayed").counters()
                .stream().map(c -> c.getId().getTag("direction")).sorted().toArray());
    }
}
