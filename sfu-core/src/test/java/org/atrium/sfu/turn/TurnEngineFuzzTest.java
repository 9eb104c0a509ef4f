package org.atrium.sfu.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target for the TURN engine (see docs/fuzzing.md): arbitrary messages into an engine that
 * already has an allocation with a permission and a channel for the SFU's address. The input is
 * a sequence of {@code kind (1 byte), length (2 bytes, big-endian), bytes}; by {@code kind & 3}:
 * 0 a message from the UDP client, 1 from a TCP client, 2 a datagram from a peer (bit 0x10: from
 * another address than the SFU's) and 3 a request the harness signs with valid credentials (the
 * first byte its method, the rest raw attribute bytes), so the fuzzer gets past authentication.
 * Bit 0x80 first moves the clock by 301 s times 1 to 4 (bits 0x60), across the lifetimes of
 * permissions (300 s), channels and the allocation (600 s) and a channel's quarantine (900 s), and expires.
 *
 * <p>The contract: nothing escapes the engine, and nothing is thrown inside it (bad input is
 * dropped before an exception could be); nothing is relayed anywhere but to the one peer
 * the policy permits; everything sent to a client is a well-formed STUN or ChannelData message;
 * the allocation count stays within what was allocated.
 */
class TurnEngineFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void messages(byte[] input) {
        TurnHarness h = new TurnHarness();
        TurnClient udp = TurnHarness.udpClient(50000);
        TurnClient tcp = TurnHarness.client(TurnTransport.TCP, 50001);
        TurnCredential credential = h.credential("alice");
        FakeTurnIo.Relay relay = h.allocate(udp, credential);
        h.request(udp, TurnWire.CREATE_PERMISSION, credential, TurnWire.xorPeer(TurnHarness.SFU));
        h.request(udp, TurnWire.CHANNEL_BIND, credential, TurnWire.channelNumber(0x4000), TurnWire.xorPeer(TurnHarness.SFU));
        String nonce = h.nonce();
        int sentBefore = h.io.toClients.size();

        int at = 0;
        while (at + 3 <= input.length) {
            int kind = input[at] & 0xFF;
            int length = Math.min(StunIntegrity.readShort(input, at + 1), input.length - at - 3);
            byte[] bytes = Arrays.copyOfRange(input, at + 3, at + 3 + length);
            at += 3 + length;
            if ((kind & 0x80) != 0) {
                h.now += 301_000L * (((kind >>> 5) & 3) + 1);
                h.engine.expire(h.now);
            }
            switch (kind & 3) {
                case 0 -> h.engine.onClientMessage(udp, bytes, 0, bytes.length, h.now);
                case 1 -> h.engine.onClientMessage(tcp, bytes, 0, bytes.length, h.now);
                case 2 -> h.engine.onPeerData(relay, (kind & 0x10) != 0 ? TurnWire.address("192.0.2.99", 9)
                        : TurnHarness.SFU, bytes, 0, bytes.length, h.now);
                default -> {
                    if (bytes.length > 0 && (bytes.length - 1) % 4 == 0) {
                        byte[] signed = TurnWire.signed(bytes[0] & 0x0F, h.nextTid(), credential, "atrium", nonce,
                                Arrays.copyOfRange(bytes, 1, bytes.length));
                        h.engine.onClientMessage((kind & 0x10) != 0 ? tcp : udp, signed, 0, signed.length, h.now);
                    }
                }
            }
        }

        if (h.engine.lastFailure != null) {
            throw new AssertionError("the engine caught an exception: a bug, not bad input", h.engine.lastFailure);
        }
        for (FakeTurnIo.ToPeer sent : h.io.relayed()) {
            assertEquals(TurnHarness.SFU, sent.peer(), "relayed only to the permitted peer");
        }
        for (FakeTurnIo.ToClient sent : h.io.toClients.subList(sentBefore, h.io.toClients.size())) {
            byte[] b = sent.bytes();
            assertTrue(ChannelData.isChannelData(b, 0, b.length) || StunScan.scan(b, 0, b.length) != null,
                    "well-formed STUN or ChannelData to the client");
        }
        assertTrue(h.engine.allocationCount() >= 0 && h.engine.allocationCount() <= h.io.relays.size());
        assertEquals(h.io.relays.stream().filter(r -> !r.closed).count(), h.engine.allocationCount(),
                "every live allocation has an open relay, every ended one a closed relay");
    }
}
