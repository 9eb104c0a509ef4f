package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentPacketHistoryTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # name                        | first sent | count | look up | found | unknown | too old
        in order                      | 100        | 10    | 105     | true  | 0       | 0
        across the 16-bit wrap        | 65530      | 12    | 3       | true  | 0       | 0
        before the wrap, after it     | 65530      | 12    | 65533   | true  | 0       | 0
        never sent, ahead             | 100        | 10    | 110     | false | 1       | 0
        never sent, far ahead         | 100        | 10    | 30000   | false | 1       | 0
        left the ring of 16           | 100        | 40    | 110     | false | 0       | 1
        oldest still in the ring      | 100        | 40    | 124     | true  | 0       | 0
        sent before the first number  | 100        | 10    | 99      | false | 1       | 0
        """)
    void findsWhatWasSentAndCountsTheRest(String name, int first, int count, int lookUp, boolean found,
        long unknown, long tooOld) {
        SentPacketHistory history = new SentPacketHistory(16);
        for (int i = 0; i < count; i++) {
            history.onSent((first + i) & 0xFFFF, 1000 + i, 5_000L * i, SentPacketHistory.NOT_PROBE);
        }
        int slot = history.find(lookUp);
        assertEquals(found, slot >= 0);
        if (found) {
            assertEquals(lookUp, (int) history.sequenceAt(slot) & 0xFFFF);
            int index = (lookUp - first) & 0xFFFF;
            assertEquals(1000 + index, history.sizeAt(slot));
            assertEquals(5_000L * index, history.sendMicrosAt(slot));
        }
        assertEquals(unknown, history.unknownFeedback());
        assertEquals(tooOld, history.tooOldFeedback());
    }

    @Test
    void unwrapsMonotonicallyAcrossManyWraps() {
        SentPacketHistory history = new SentPacketHistory(1024);
        long previous = -1;
        for (int i = 0; i < 200_000; i++) {
            long unwrapped = history.onSent(i & 0xFFFF, 1200, i, i % 7 == 0 ? 3 : SentPacketHistory.NOT_PROBE);
            assertTrue(unwrapped == previous + 1 || previous < 0, "at " + i);
            previous = unwrapped;
        }
        int slot = history.find((200_000 - 7) & 0xFFFF);
        assertEquals(200_000 - 7, history.sendMicrosAt(slot));
        assertEquals((200_000 - 7) % 7 == 0 ? 3 : SentPacketHistory.NOT_PROBE, history.probeClusterAt(slot));
    }
}
