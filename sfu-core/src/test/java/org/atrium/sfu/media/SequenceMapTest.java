package org.atrium.sfu.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sequence numbers a receiver sees when some packets are left out and the source changes.
 * Each case is a script: "+n" forwards input n and expects the output listed, "-n" drops
 * it, "r n" rebases so that input n comes next; outputs are listed in order.
 */
class SequenceMapTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; bits; first output; script; outputs (x = refused)
        in order, nothing dropped;            16; 100; r 10 +10 +11 +12;                 100 101 102
        a dropped packet leaves no gap;        16; 100; r 10 +10 -11 +12 +13;             100 101 102
        several drops in a row;                16; 100; r 10 +10 -11 -12 -13 +14;         100 101
        a late packet keeps its number;        16; 100; r 10 +10 +12 +11 +13;             100 102 101 103
        a late packet around a drop;           16; 100; r 10 +10 -11 +13 +12;             100 102 101
        a dropped input is refused later;      16; 100; r 10 +10 -11 +12 +11;             100 101 x
        a retransmission maps again;           16; 100; r 10 +10 -11 +12 +12;             100 101 101
        wrap-around of the input;              16; 100; r 65534 +65534 -65535 +0 +1;      100 101 102
        wrap-around of the output;             16; 65535; r 7 +7 +8 -9 +10;               65535 0 1
        rebase continues after the last;       16; 100; r 10 +10 +11 r 5000 +5000 +5001;  100 101 102 103
        rebase after drops;                    16; 100; r 10 +10 -11 -12 r 7 +7 -8 +9;     100 101 102
        a packet from before a rebase;         16; 100; r 10 +10 +11 r 5000 +5000 +4999;  100 101 102 x
        15-bit picture ids wrap at 32768;      15; 32766; r 4 +4 -5 +6 +7;                 32766 32767 0
        """)
    void mapsAsScripted(String name, int bits, long firstOutput, String script, String outputs) {
        SequenceMap map = new SequenceMap(bits);
        List<String> got = new ArrayList<>();
        String[] steps = script.trim().split("\\s+");
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            if (step.equals("r")) {
                map.rebase(Integer.parseInt(steps[++i]), firstOutput);
            } else if (step.startsWith("+")) {
                int out = map.map(Integer.parseInt(step.substring(1)));
                got.add(out < 0 ? "x" : Integer.toString(out));
            } else {
                map.drop(Integer.parseInt(step.substring(1)));
            }
        }
        assertEquals(outputs, String.join(" ", got));
    }

    @ParameterizedTest(name = "{0} drops")
    @CsvSource({"10", "1023", "1024", "5000"})
    void manyDropsStayContinuousOnceFolded(int drops) {
        SequenceMap map = new SequenceMap(16);
        map.rebase(0, 0);
        int input = 0;
        int expected = 0;
        for (int i = 0; i < drops; i++) {
            assertEquals(expected & 0xFFFF, map.map(input++));
            expected++;
            map.drop(input++);
        }
        assertEquals(expected & 0xFFFF, map.map(input));
    }

    @ParameterizedTest(name = "{0} packets")
    @CsvSource({"70000", "200000"})
    void longRunsWrapManyTimes(int packets) {
        SequenceMap map = new SequenceMap(16);
        map.rebase(40000, 3);
        int input = 40000;
        long expected = 3;
        for (int i = 0; i < packets; i++) {
            if (i % 3 == 2) {
                map.drop(input & 0xFFFF);
            } else {
                assertEquals((int) (expected & 0xFFFF), map.map(input & 0xFFFF), "packet " + i);
                expected++;
            }
            input++;
        }
    }
}
