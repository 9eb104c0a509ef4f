package org.atrium.sfu.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Budget tables; the subscription notation and the rates are in {@link Subscriptions}. */
class BandwidthAllocatorTest {

    private final BandwidthAllocator allocator = new BandwidthAllocator(AllocatorConfig.DEFAULTS.withEveryTemporalStep());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                  | kbit/s | subscriptions                        | decisions                                                      | allocated | ideal | probe
            three videos at 300k all stay on S0     | 300    | A:speaker B C                        | A=S0T1 B=S0T1 C=S0T0                                           | 285       | 4500  | 315
            60k: audio kept, videos paused          | 60     | a:audio b:audio A B                  | a=audio b=audio A=paused:bandwidth B=paused:bandwidth          | 128       | 3128  | 203
            measured audio comes off the top        | 600    | a:audio=40000 A:speaker B            | a=audio A=S1T0 B=S1T0                                          | 540       | 3040  | 640
            the speaker gets each round first       | 600    | A B:speaker C                        | A=S0T2 B=S1T0 C=S0T2                                           | 550       | 4500  | 650
            temporal layers before the next size    | 200    | A                                    | A=S0T2                                                         | 150       | 1500  | 250
            render sizes cap the layers             | 2000   | A@320x180 B@640x360 C                | A=S0T2 B=S1T2 C=S2T1                                           | 1700      | 2150  | 2150
            the smallest size covering the hint     | 5000   | A@1000x560 B@641x200 C@360x360 D@180x320 | A=S2T2 B=S1T2 C=S1T2 D=S0T2                                | 2650      | 2650  | 0
            an inactive encoding is skipped         | 600    | A:-S1                                | A=S0T2                                                         | 150       | 1500  | 750
            same budget with it active              | 600    | A                                    | A=S1T2                                                         | 500       | 1500  | 750
            no top encoding: the best is S1         | 5000   | A:-S2                                | A=S1T2                                                         | 500       | 500   | 0
            a temporal layer not received           | 5000   | A:-T2                                | A=S2T1                                                         | 1050      | 1050  | 0
            no base layer: unavailable, free        | 5000   | A:-T0 B                              | A=paused:unavailable B=S2T2                                    | 1500      | 1500  | 0
            hidden and receiver-paused cost nothing | 300    | A@0x0 B:paused C                     | A=paused:not-visible B=paused:receiver C=S1T0                  | 250       | 1500  | 350
            the stage rises first, others wait     | 1200   | A B C:stage                          | A=S0T0 B=S0T0 C=S2T1                                           | 1200      | 4500  | 1650
            the stage at its top, then the others   | 2000   | A B C:stage                          | A=S1T0 B=S1T0 C=S2T2                                           | 2000      | 4500  | 2100
            a cheaper lowest layer still fits       | 100    | A:speaker:h264 B                     | A=paused:bandwidth B=S0T0                                      | 75        | 3000  | 225
            H264 rises by encoding                  | 600    | A:h264                               | A=S1T0                                                         | 500       | 1500  | 1500
            everything fits: no probe               | 10000  | a:audio A:speaker B                  | a=audio A=S2T2 B=S2T2                                          | 3064      | 3064  | 0
            """)
    void allocates(String name, long budgetKbps, String subscriptions, String decisions,
            long allocatedKbps, long idealKbps, long probeKbps) {
        Allocation allocation = allocator.allocate(budgetKbps * 1000, Subscriptions.parse(subscriptions));

        assertEquals(decisions, Subscriptions.describe(allocation));
        assertEquals(allocatedKbps * 1000, allocation.allocatedBps(), "allocated");
        assertEquals(idealKbps * 1000, allocation.idealBps(), "ideal");
        assertEquals(probeKbps * 1000, allocation.probeTargetBps(), "probe target");
    }

    /** The default ladder: above the lowest encoding, no step to TL0 alone (7.5 fps). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                      | kbit/s | subscriptions | decisions
            the lowest encoding still rises from TL0    | 80     | A             | A=S0T0
            S1 TL0 alone is skipped: S0 at full rate    | 300    | A             | A=S0T2
            S1 starts at TL0+TL1                        | 400    | A             | A=S1T1
            S2 likewise                                 | 1200   | A             | A=S2T1
            """)
    void higherEncodingsStartAtFifteenFramesASecond(String name, long budgetKbps, String subscriptions,
            String decisions) {
        Allocation allocation = new BandwidthAllocator(AllocatorConfig.DEFAULTS)
                .allocate(budgetKbps * 1000, Subscriptions.parse(subscriptions));
        assertEquals(decisions, Subscriptions.describe(allocation));
    }

    @ParameterizedTest(name = "{0}: demands up to S{2}")
    @CsvSource(delimiter = '|', textBlock = """
            # subscription       | kbit/s | demanded spatial
            A                    | 5000   | 2
            A@320x180            | 5000   | 0
            A@640x360            | 5000   | 1
            A                    | 100    | 2
            A                    | 10     | 2
            A:-S2                | 5000   | 2
            A@0x0                | 5000   | -1
            A:paused             | 5000   | -1
            """)
    void demandFollowsTheRenderSizeNotTheBudget(String subscription, long budgetKbps, int demanded) {
        Allocation allocation = allocator.allocate(budgetKbps * 1000, Subscriptions.parse(subscription));

        assertEquals(demanded, allocation.decision("A").demandedSpatial());
    }

    @Test
    void costOfHeldLayersFollowsTodaysRates() {
        Allocation held = allocator.allocate(330_000, Subscriptions.parse("a:audio=30000 A B"));
        assertEquals("a=audio A=S0T2 B=S0T2", Subscriptions.describe(held));
        List<Subscription> later = List.of(new AudioSubscription("a", 40_000),
                new VideoSubscription("A", PriorityClass.OTHER, 0, RenderHint.UNLIMITED, false,
                        Subscriptions.rates(Subscriptions.VP8, -1, 2)),
                new VideoSubscription("C", PriorityClass.OTHER, 2, RenderHint.UNLIMITED, false, Subscriptions.vp8()));

        // a at its new rate, A's S0T2 no longer received, B gone, C new: only the audio costs.
        assertEquals(40_000, allocator.costOf(held, later));
    }

    @Test
    void aSourceSubscribedTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> allocator.allocate(1_000_000, Subscriptions.parse("A A")));
    }
}
