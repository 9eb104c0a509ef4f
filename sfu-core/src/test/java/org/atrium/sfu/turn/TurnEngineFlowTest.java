package org.atrium.sfu.turn;

import static org.atrium.sfu.turn.TurnWire.address;
import static org.atrium.sfu.turn.TurnWire.channelNumber;
import static org.atrium.sfu.turn.TurnWire.hex;
import static org.atrium.sfu.turn.TurnWire.lifetime;
import static org.atrium.sfu.turn.TurnWire.xorPeer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.attribute.XorRelayedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine through a browser's whole session, in memory: allocate, permit, relay both ways, channels, refresh, expiry. */
class TurnEngineFlowTest {

    private final TurnHarness h = new TurnHarness();
    private final TurnClient alice = TurnHarness.udpClient(50000);
    private final TurnCredential aliceCredential = h.credential("alice");

    @Test
    void allocateIsChallengedThenGrantedWithRelayMappedAddressAndLifetime() {
        byte[] challenge = h.send(alice, TurnWire.message(TurnWire.ALLOCATE, h.nextTid(), TurnWire.requestedTransport(17)));
        assertEquals(0x0113, TurnWire.type(challenge));
        assertEquals(401, TurnWire.errorCode(challenge));
        Message decoded = TurnWire.decode(challenge);
        assertNotNull(decoded.getAttribute(Attribute.REALM));
        assertNotNull(decoded.getAttribute(Attribute.NONCE));
        assertEquals(-1, StunScan.scan(challenge, 0, challenge.length).integrityAt, "a challenge has no integrity");
        assertEquals(0, h.count("atrium.turn.auth.failures", "reason", "bad_integrity"));

        byte[] tid = h.nextTid();
        byte[] request = h.signed(TurnWire.ALLOCATE, tid, aliceCredential, TurnWire.requestedTransport(17));
        byte[] response = h.send(alice, request);
        assertEquals(0x0103, TurnWire.type(response));
        Message success = TurnWire.decode(response);
        FakeTurnIo.Relay relay = h.io.relays.get(0);
        TransportAddress relayed = ((XorRelayedAddressAttribute) success.getAttribute(Attribute.XOR_RELAYED_ADDRESS))
                .getAddress(tid);
        assertEquals(relay.address(), new InetSocketAddress(relayed.getAddress(), relayed.getPort()));
        TransportAddress mapped = ((XorMappedAddressAttribute) success.getAttribute(Attribute.XOR_MAPPED_ADDRESS))
                .getAddress(tid);
        assertEquals(alice.remote(), new InetSocketAddress(mapped.getAddress(), mapped.getPort()));
        assertEquals(600, ((LifetimeAttribute) success.getAttribute(Attribute.LIFETIME)).getLifetime());

        StunScan scan = StunScan.scan(response, 0, response.length);
        assertTrue(scan.fingerprintAt > 0, "FINGERPRINT");
        byte[] key = StunIntegrity.longTermKey(aliceCredential.username(), "atrium", aliceCredential.password());
        assertTrue(StunIntegrity.verifyIntegrity(response, scan.integrityAt, key), "MESSAGE-INTEGRITY by the client's key");

        assertArrayEquals(response, h.send(alice, request), "a retransmitted Allocate gets the same success");
        assertEquals(1, h.engine.allocationCount());
        assertEquals(1, h.io.relays.size());
        assertEquals(1, h.gauge("atrium.turn.allocations", "transport", "udp"));
        assertEquals(1, h.count("atrium.turn.allocations.created", "transport", "udp"));
        assertEquals(0, h.gauge("atrium.turn.allocations", "transport", "tcp"));
    }

    @Test
    void sendIndicationReachesThePeerAndPeerDataComesBackAsDataIndication() {
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        assertEquals(0, h.request(alice, TurnWire.CREATE_PERMISSION, aliceCredential, xorPeer(TurnHarness.SFU)));

        // Send indication: XOR-PEER-ADDRESS 198.51.100.7:10000, DATA "hello".
        byte[] send = hex("0016 0018 2112a442 000102030405060708090a0b"
                + "0012 0008 0001 0602 e721c045"     // X-Port 10000 ^ 0x2112, X-Address 198.51.100.7 ^ cookie
                + "0013 0005 68656c6c6f 000000");
        assertNull(h.send(alice, send), "indications get no answer");
        assertEquals(List.of(TurnHarness.SFU), relay.sent.stream().map(FakeTurnIo.ToPeer::peer).toList());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), relay.sent.get(0).bytes());
        assertEquals(1, h.count("atrium.turn.relayed.packets", "direction", "to_peer"));
        assertEquals(5, h.count("atrium.turn.relayed", "direction", "to_peer"));

        h.peerData(relay, TurnHarness.SFU, "world".getBytes(StandardCharsets.US_ASCII));
        byte[] data = h.io.last();
        assertArrayEquals(hex("0017 0018 2112a442"), Arrays.copyOf(data, 8));
        assertArrayEquals(hex("0012 0008 0001 0602 e721c045 0013 0005 776f726c64 000000"),
                Arrays.copyOfRange(data, 20, data.length));
        assertEquals(5, h.count("atrium.turn.relayed", "direction", "to_client"));
        assertEquals(1, h.count("atrium.turn.relayed.packets", "direction", "to_client"));
    }

    @Test
    void channelDataBothWaysOverUdpUnpadded() {
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        assertEquals(0, h.request(alice, TurnWire.CHANNEL_BIND, aliceCredential, channelNumber(0x4001),
                xorPeer(TurnHarness.SFU)));

        assertNull(h.send(alice, hex("4001 0003 616263 00")));
        assertArrayEquals(hex("616263"), relay.sent.get(0).bytes(), "the padding is not data");
        assertEquals(TurnHarness.SFU, relay.sent.get(0).peer());

        h.peerData(relay, TurnHarness.SFU, hex("616263"));
        assertArrayEquals(hex("4001 0003 616263"), h.io.last());
    }

    @Test
    void channelDataToATcpClientIsPaddedToFourBytes() {
        TurnClient tcp = TurnHarness.client(TurnTransport.TCP, 50001);
        FakeTurnIo.Relay relay = h.allocate(tcp, aliceCredential);
        assertEquals(0, h.request(tcp, TurnWire.CHANNEL_BIND, aliceCredential, channelNumber(0x4FFF),
                xorPeer(TurnHarness.SFU)));
        h.peerData(relay, TurnHarness.SFU, hex("6162636465"));
        assertArrayEquals(hex("4fff 0005 6162636465 000000"), h.io.last());
        assertEquals(1, h.gauge("atrium.turn.allocations", "transport", "tcp"));

        h.engine.onConnectionClosed(tcp, h.now);
        assertEquals(0, h.engine.allocationCount());
        assertTrue(relay.closed);
        assertEquals(0, h.gauge("atrium.turn.allocations", "transport", "tcp"));
    }

    @Test
    void refreshWithLifetimeZeroEndsTheAllocation() {
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        byte[] response = h.send(alice, h.signed(TurnWire.REFRESH, h.nextTid(), aliceCredential, lifetime(0)));
        assertEquals(0x0104, TurnWire.type(response));
        assertEquals(0, ((LifetimeAttribute) TurnWire.decode(response).getAttribute(Attribute.LIFETIME)).getLifetime());
        assertTrue(relay.closed);
        assertEquals(0, h.engine.allocationCount());
        assertEquals(0, h.gauge("atrium.turn.allocations", "transport", "udp"));
        assertEquals(437, h.request(alice, TurnWire.REFRESH, aliceCredential, lifetime(600)), "nothing left to refresh");
    }

    @ParameterizedTest(name = "LIFETIME {0} s -> {1} s")
    @CsvSource({"-1, 600", "60, 600", "1200, 1200", "3600, 3600", "86400, 3600"})
    void lifetimeIsTheRequestClampedToDefaultAndMax(int requested, int granted) {
        h.allocate(alice, aliceCredential);
        byte[] response = requested < 0
                ? h.send(alice, h.signed(TurnWire.REFRESH, h.nextTid(), aliceCredential))
                : h.send(alice, h.signed(TurnWire.REFRESH, h.nextTid(), aliceCredential, lifetime(requested)));
        assertEquals(granted, ((LifetimeAttribute) TurnWire.decode(response).getAttribute(Attribute.LIFETIME))
                .getLifetime());
    }

    @Test
    void allocationsPermissionsAndChannelsExpire() {
        FakeTurnIo.Relay relay = h.allocate(alice, aliceCredential);
        assertEquals(0, h.request(alice, TurnWire.CHANNEL_BIND, aliceCredential, channelNumber(0x4000),
                xorPeer(TurnHarness.SFU)));

        h.now += Duration.ofSeconds(300).toMillis();   // the permission the ChannelBind installed runs out
        h.engine.expire(h.now);
        h.send(alice, hex("4000 0001 01 000000"));
        assertEquals(0, relay.sent.size());
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "no_permission"));

        assertEquals(0, h.request(alice, TurnWire.CREATE_PERMISSION, aliceCredential, xorPeer(TurnHarness.SFU)));
        h.send(alice, hex("4000 0001 01 000000"));
        assertEquals(1, relay.sent.size(), "the channel still lives (600 s), the permission again");

        h.now = TurnHarness.T0 + 600_000 - 1;
        h.engine.expire(h.now);
        assertEquals(1, h.engine.allocationCount());
        h.now = TurnHarness.T0 + 600_000;
        h.engine.expire(h.now);
        assertEquals(0, h.engine.allocationCount());
        assertTrue(relay.closed);
        h.peerData(relay, TurnHarness.SFU, hex("01"));
        assertEquals(1, h.count("atrium.turn.dropped.packets", "reason", "no_allocation"));
    }

    @Test
    void channelRebindingFollowsRfc8656Section11() {
        InetSocketAddress other = address("198.51.100.8", 10000);
        TurnHarness two = new TurnHarness(TurnConfig.defaults(TurnHarness.SECRET,
                PeerPolicy.only(List.of(TurnHarness.SFU, other))));
        TurnCredential credential = two.credential("alice");
        two.allocate(alice, credential);
        assertEquals(0, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x4001), xorPeer(TurnHarness.SFU)));
        assertEquals(0, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x4001), xorPeer(TurnHarness.SFU)),
                "the same binding again refreshes it");
        assertEquals(400, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x4001), xorPeer(other)),
                "a bound channel to another peer");
        assertEquals(400, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x4002), xorPeer(TurnHarness.SFU)),
                "a bound peer on another channel");
        assertEquals(400, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x3FFF), xorPeer(other)),
                "below 0x4000");
        assertEquals(400, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x8000), xorPeer(other)),
                "above 0x7FFF");
        assertEquals(400, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x4003)), "no peer");
        assertEquals(3, two.count("atrium.turn.refusals", "reason", "bad_request"));
        assertEquals(2, two.count("atrium.turn.refusals", "reason", "channel_conflict"));

        two.now += 600_000 + 299_000;   // expired, still quarantined for 5 minutes
        assertEquals(0, two.request(alice, TurnWire.REFRESH, credential, lifetime(3600)), "keeps the allocation");
        two.engine.expire(two.now);
        assertEquals(400, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x4001), xorPeer(other)));
        two.now += 1_000;
        two.engine.expire(two.now);
        assertEquals(0, two.request(alice, TurnWire.CHANNEL_BIND, credential, channelNumber(0x4001), xorPeer(other)));
    }

    @Test
    void requestedAddressFamilyIpv4IsGranted() {
        // RFC 8656 18.1's 4-byte value, which ice4j's own decoder refuses (it expects 1 byte).
        assertEquals(0, h.request(alice, TurnWire.ALLOCATE, aliceCredential, TurnWire.requestedTransport(17),
                TurnWire.attr(0x0017, hex("01000000"))));
        assertEquals(1, h.engine.allocationCount());
    }

    @Test
    void bindingRequestIsAnsweredWithTheMappedAddress() {
        byte[] tid = h.nextTid();
        byte[] response = h.send(alice, TurnWire.message(TurnWire.BINDING, tid));
        assertEquals(0x0101, TurnWire.type(response));
        TransportAddress mapped = ((XorMappedAddressAttribute) TurnWire.decode(response)
                .getAttribute(Attribute.XOR_MAPPED_ADDRESS)).getAddress(tid);
        assertEquals(alice.remote(), new InetSocketAddress(mapped.getAddress(), mapped.getPort()));
        assertTrue(StunScan.scan(response, 0, response.length).fingerprintAt > 0);
        assertFalse(h.io.relays.size() > 0);
    }
}
