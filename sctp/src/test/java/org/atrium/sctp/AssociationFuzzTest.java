package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.atrium.sctp.packet.Bytes;
import org.atrium.sctp.packet.SctpPacket;

/**
 * Fuzz target for the whole endpoint: arbitrary packets into a {@link DataChannelEndpoint}.
 * Without JAZZER_FUZZ it runs {@code AssociationFuzzTestInputs/association/} (packets a real peer
 * sent, from in-memory sessions and the raw peer).
 *
 * <p>Input: one mode byte, then datagrams, each a 2-byte big-endian header and its bytes. Mode
 * even: the endpoint waits for an INIT. Mode odd: {@link RawPeer} has set the association up
 * first, and its verification tag is written into each datagram so the fuzzer reaches DATA, SACK,
 * FORWARD TSN and RE-CONFIG handling. The header's low 15 bits are the length; unless its top bit
 * is set the harness also fixes the ports and seals the checksum, which a fuzzer cannot guess.
 * The virtual clock advances 50 ms per datagram and due timers run. The contract: nothing
 * throws, and the endpoint keeps answering its API afterwards.
 */
class AssociationFuzzTest {
    @FuzzTest(maxDuration = "120s")
    void association(byte[] input) {
        if (input.length == 0 || input.length > 100_000) {
            return;
        }
        RawPeer peer = new RawPeer(SctpConfig.DEFAULTS.withMaxMessageSize(4096).withReceiveWindow(16_384));
        boolean established = (input[0] & 1) != 0;
        if (established) {
            peer.handshake();
            peer.data(3, 1, 0, DataChannelEndpoint.PPID_DCEP, DcepMessage.open("fuzz", "", ChannelOptions.reliable()));
        }
        DataChannelEndpoint endpoint = peer.endpoint;
        int at = 1;
        while (at + 2 <= input.length) {
            int header = Bytes.u16(input, at);
            int len = Math.min(header & 0x7FFF, input.length - at - 2);
            byte[] p = java.util.Arrays.copyOfRange(input, at + 2, at + 2 + len);
            at += 2 + len;
            if ((header & 0x8000) == 0 && p.length >= SctpPacket.HEADER_LENGTH) {
                SctpPacket.writeHeader(p, 0, 5000, 5000, established ? peer.peerTag : SctpPacket.verificationTag(p, 0));
                SctpPacket.seal(p, 0, p.length);
            }
            peer.now += 50;
            endpoint.receive(p, 0, p.length, peer.now);
            if (endpoint.nextTimeoutMillis() <= peer.now) {
                endpoint.handleTimeout(peer.now);
            }
            assertTrue(endpoint.nextTimeoutMillis() > peer.now, "due timers ran");
        }
        endpoint.send(1, true, new byte[10], 0, 10, peer.now);
        endpoint.open("after", "", ChannelOptions.reliable(), peer.now);
        endpoint.close(1, peer.now);
        for (int i = 0; i < 20 && endpoint.nextTimeoutMillis() != Long.MAX_VALUE; i++) {
            peer.now = Math.max(peer.now, endpoint.nextTimeoutMillis());
            endpoint.handleTimeout(peer.now);
        }
        endpoint.stats();
        endpoint.abort("fuzz done");
    }
}
