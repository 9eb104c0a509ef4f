package org.atrium.sctp;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one association's counters and congestion state.
 *
 * @param messagesReceived  whole messages delivered by SCTP, DCEP ones included
 * @param messagesSent      messages accepted by send(), DCEP ones included
 * @param retransmissions   DATA chunks sent again (T3 and fast retransmit)
 * @param timeouts          T1, T3, T2, heartbeat and RE-CONFIG timer expiries
 * @param drops             count per reason (every reason present, zero included)
 * @param cwndBytes         congestion window
 * @param rtoMillis         current retransmission timeout
 * @param srttMillis        smoothed RTT, -1 before the first sample
 * @param peerReceiveWindow the peer's a_rwnd less what is in flight
 */
public record SctpStats(long packetsReceived, long bytesReceived, long packetsSent, long bytesSent,
                        long messagesReceived, long messagesSent, long retransmissions, long fastRetransmits,
                        long timeouts, Map<SctpDropReason, Long> drops, long cwndBytes, long rtoMillis,
                        long srttMillis, long peerReceiveWindow) {

    public long drops(SctpDropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    static Map<SctpDropReason, Long> dropMap(long[] counters) {
        EnumMap<SctpDropReason, Long> m = new EnumMap<>(SctpDropReason.class);
        for (SctpDropReason r : SctpDropReason.values()) {
            m.put(r, counters[r.ordinal()]);
        }
        return m;
    }
}
