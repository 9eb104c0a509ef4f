package org.atrium.sctp;

import java.util.Map;

/** Bad or unwanted input, counted by reason for {@link SctpStats#drops()}: dropped, never thrown. */
final class Drops {
    private final long[] counts = new long[SctpDropReason.values().length];

    void add(SctpDropReason reason) {
        counts[reason.ordinal()]++;
    }

    Map<SctpDropReason, Long> snapshot() {
        return SctpStats.dropMap(counts);
    }
}
