package org.atrium.sfu.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hysteresis over time, with the default config (10 % reallocation threshold, upgrades
 * confirmed by a probe or by the estimate staying 1.15x above for 2 s, 2 s probe back-off).
 * One VP8 video A alone climbs S0T0 75k, S0T1 105k, S0T2 150k, S1T0 250k, S1T1 350k,
 * S1T2 500k, S2T0 750k, S2T1 1050k, S2T2 1500k.
 */
class ReceiverAllocatorTest {

    private final ReceiverAllocator allocator = new ReceiverAllocator(AllocatorConfig.DEFAULTS.withEveryTemporalStep());

    private static List<Subscription> videos(String tokens) {
        return Subscriptions.parse(tokens);
    }

    private String update(long nowMs, long estimateBps, String tokens) {
        return Subscriptions.describe(allocator.update(nowMs, estimateBps, videos(tokens)));
    }

    @Test
    void theFirstAllocationTakesTheEstimate() {
        assertEquals("A=S1T2", update(0, 600_000, "A"));
        assertEquals(750_000, allocator.probeTargetBps());
    }

    @Test
    void aDowngradeIsImmediate() {
        assertEquals("A=S2T2", update(0, 2_000_000, "A"));
        assertEquals("A=S1T2", update(100, 600_000, "A"));
        assertEquals("A=S0T0", update(150, 80_000, "A"));
        assertEquals("A=paused:bandwidth", update(200, 50_000, "A"));
    }

    @Test
    void anUpgradeWaitsForASuccessfulProbe() {
        update(0, 600_000, "A");

        assertEquals("A=S1T2", update(100, 800_000, "A"));
        assertEquals(750_000, allocator.probeTargetBps());

        Allocation afterProbe = allocator.onProbeResult(200, true, 800_000);
        assertEquals("A=S2T0", Subscriptions.describe(afterProbe));
        assertEquals(1_050_000, afterProbe.probeTargetBps());
    }

    @Test
    void aProbeNeverLiftsTheAllocationAboveTheEstimate() {
        update(0, 600_000, "A");
        allocator.onProbeResult(100, true, 2_000_000);

        assertEquals("A=S1T2", Subscriptions.describe(allocator.current()));
        // The estimator takes the probe into account: the upgrade follows the estimate.
        assertEquals("A=S2T1", update(200, 1_200_000, "A"));
    }

    @Test
    void anUpgradeIsConfirmedByAnEstimateLastingWithMargin() {
        update(0, 600_000, "A");

        assertEquals("A=S1T2", update(100, 900_000, "A"));
        assertEquals("A=S1T2", update(2_000, 900_000, "A"));
        // 900k held since 100 ms: 900k / 1.15 = 782k covers the 750k S2T0 needs.
        assertEquals("A=S2T0", update(2_100, 900_000, "A"));
    }

    @Test
    void anEstimateWithoutMarginWaitsForAProbe() {
        update(0, 600_000, "A");
        for (long t = 100; t <= 10_000; t += 100) {
            // 850k / 1.15 = 739k: short of the 750k that S2T0 needs.
            assertEquals("A=S1T2", update(t, 850_000, "A"), "at " + t + " ms");
        }
    }

    @Test
    void aFailedProbeWithholdsTheTargetForTheBackOff() {
        update(0, 600_000, "A");
        update(100, 800_000, "A");

        allocator.onProbeResult(200, false, 800_000);
        assertEquals(0, allocator.probeTargetBps());
        assertEquals("A=S1T2", update(2_199, 800_000, "A"));
        assertEquals(0, allocator.probeTargetBps());
        update(2_200, 800_000, "A");
        assertEquals(750_000, allocator.probeTargetBps());
    }

    @Test
    void budgetFreedByALeavingSubscriptionIsReusedAtOnce() {
        assertEquals("A=S1T2 B=S1T2", update(0, 1_000_000, "A B"));
        // The total does not rise (1000k before, 750k now), so no probe is needed.
        assertEquals("A=S2T0", update(100, 1_000_000, "A"));
    }

    @Test
    void aNewSubscriptionSharesTheCurrentTotalUntilMoreIsConfirmed() {
        assertEquals("A=S2T2", update(0, 2_000_000, "A"));

        Allocation shared = allocator.update(100, 2_000_000, videos("A B"));
        assertEquals("A=S2T0 B=S2T0", Subscriptions.describe(shared));
        assertTrue(shared.allocatedBps() <= 1_500_000);
    }

    @Test
    void ratesRisingAboveTheEstimateDowngradeAtOnce() {
        assertEquals("A=S2T2", update(0, 1_600_000, "A"));
        List<Subscription> louder = List.of(video("A", scaled(1.2)));

        // S2T2 now takes 1800k: over the 1600k estimate, so S2T1 (1260k) at once.
        assertEquals("A=S2T1", Subscriptions.describe(allocator.update(100, 1_600_000, louder)));
    }

    /**
     * From 1000k (A on S2T0 at 750k) the rates fall by 10 % (S2T0 675k) and the estimate
     * moves: within 10 % nothing is reallocated and A's decision keeps the old rate; beyond,
     * the reallocation picks up the new rates.
     */
    @ParameterizedTest(name = "estimate 1000k -> {0}k: A costs {1}k")
    @CsvSource({
            "1050, 750",
            "950, 750",
            "1100, 750",
            "900, 750",
            "1101, 675",
            "899, 675",
            "2000, 675",
    })
    void reallocatesOnlyWhenTheEstimateMovesMoreThanTenPercent(long estimateKbps, long costKbps) {
        assertEquals("A=S2T0", update(0, 1_000_000, "A"));
        List<Subscription> cheaper = List.of(video("A", scaled(0.9)));

        Allocation allocation = allocator.update(100, estimateKbps * 1000, cheaper);

        assertEquals("A=S2T0", Subscriptions.describe(allocation));
        assertEquals(costKbps * 1000, allocation.decision("A").bps());
    }

    @Test
    void aChangedRenderHintReallocatesWithoutAnEstimateChange() {
        assertEquals("A=S2T2", update(0, 2_000_000, "A"));
        assertEquals("A=S0T2", update(100, 2_000_000, "A@320x180"));
        assertEquals("A=paused:not-visible", update(200, 2_000_000, "A@0x0"));
    }

    @Test
    void aVideoShownAgainSoonGetsItsLayersBack() {
        assertEquals("A=S2T2", update(0, 2_000_000, "A"));
        assertEquals("A=paused:not-visible", update(100, 2_000_000, "A@0x0"));
        // 1500k was carried 100 ms ago: no confirmation needed to carry it again.
        assertEquals("A=S2T2", update(500, 2_000_000, "A"));
    }

    @Test
    void aDowngradeForgetsWhatWasCarriedBefore() {
        assertEquals("A=S2T2", update(0, 2_000_000, "A"));
        assertEquals("A=S1T2", update(100, 600_000, "A"));
        // Back up within the hold time: the path just failed to carry 1500k, so wait.
        assertEquals("A=S1T2", update(200, 2_000_000, "A"));
        assertEquals(750_000, allocator.probeTargetBps());
    }

    @Test
    void withoutMarginOrHoldTheEstimateConfirmsAtOnce() {
        ReceiverAllocator eager = new ReceiverAllocator(
                AllocatorConfig.DEFAULTS.withEveryTemporalStep().withUpgradeHoldMs(0).withUpgradeMargin(1.0));
        eager.update(0, 600_000, videos("A"));

        assertEquals("A=S2T0", Subscriptions.describe(eager.update(100, 800_000, videos("A"))));
    }

    private static VideoSubscription video(String id, LayerRates rates) {
        return new VideoSubscription(id, PriorityClass.OTHER, 0, RenderHint.UNLIMITED, false, rates);
    }

    private static LayerRates scaled(double factor) {
        long[][] bps = new long[3][3];
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 3; t++) {
                bps[s][t] = Math.round(Subscriptions.VP8[s][t] * factor);
            }
        }
        return Subscriptions.rates(bps, -1, -1);
    }
}
