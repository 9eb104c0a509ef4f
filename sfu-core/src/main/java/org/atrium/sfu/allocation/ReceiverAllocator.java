package org.atrium.sfu.allocation;

import java.util.List;

/**
 * One receiver's allocation over time: {@link BandwidthAllocator} plus hysteresis, so that a
 * receiver's layers do not follow every wobble of the estimate. Not thread-safe: call it from
 * the receiver's one control thread. The rules:
 *
 * <ol>
 *   <li>The first allocation takes the estimate as it is (the estimator's start rate is
 *       already conservative).
 *   <li>Downgrades at once: when the estimate falls below what the current layers cost at
 *       today's rates, it reallocates within the estimate.
 *   <li>Upgrades only when confirmed. Without confirmation the total may not rise above the
 *       <em>ceiling</em>: the most of what is allocated, what the current layers cost now,
 *       and any higher total allocated in the last {@code upgradeHoldMs} (a video hidden and
 *       shown again gets its layers back). Inside it, budget freed by a leaving subscription
 *       or a cheaper layer is reused at once. The ceiling rises to a probe's rate when a
 *       probe succeeds, and to the estimate's floor over the last {@code upgradeHoldMs}
 *       divided by {@code upgradeMargin} (the estimate stayed 15 % above it for 2 s by
 *       default). A downgrade forgets probes and recent totals: the path did not carry them.
 *   <li>Never above the estimate: the budget is min(estimate, ceiling).
 *   <li>It reallocates when the estimate moved more than {@code reallocateFraction} since the
 *       last reallocation, when a subscription changed in shape (added, removed, hint,
 *       priority, pause, a layer becoming (un)available), at a downgrade, and when the budget
 *       reaches the current probe target; measured rates alone do not make it reallocate.
 *   <li>After a failed probe, no probe target is offered for {@code probeBackoffMs}.
 * </ol>
 *
 * Call {@link #update} with every estimate, also when it did not change: confirmation by time
 * is only noticed there.
 */
public final class ReceiverAllocator {

    private final AllocatorConfig config;
    private final BandwidthAllocator allocator;
    private final EstimateFloor floor;

    private Allocation current = Allocation.EMPTY;
    private List<Subscription> subscriptions = List.of();
    private long estimateBps;
    /** The estimate of the last reallocation, -1 before the first. */
    private long reallocatedAtBps = -1;
    private long probeConfirmedBps;
    /** A higher total allocated recently, usable again until {@link #recentHighUntilMs}. */
    private long recentHighBps;
    private long recentHighUntilMs;
    private long probeBackoffUntilMs = Long.MIN_VALUE;
    private long lastNowMs;

    public ReceiverAllocator(AllocatorConfig config) {
        this.config = config;
        this.allocator = new BandwidthAllocator(config);
        this.floor = new EstimateFloor(config.upgradeHoldMs());
    }

    /** Takes a new estimate and today's subscriptions; returns the allocation to apply. */
    public Allocation update(long nowMs, long estimateBps, List<? extends Subscription> subscriptions) {
        List<Subscription> next = List.copyOf(subscriptions);
        long estimate = Math.max(0, estimateBps);
        lastNowMs = nowMs;
        this.estimateBps = estimate;
        floor.add(nowMs, estimate);
        if (reallocatedAtBps < 0) {
            reallocate(nowMs, estimate, estimate, next, false);
            return current();
        }
        long holdCost = allocator.costOf(current, next);
        boolean downgrade = estimate < holdCost;
        if (downgrade) {
            probeConfirmedBps = 0;
            recentHighBps = 0;
        }
        long timeConfirmedBps = (long) (floor.floor(nowMs) / config.upgradeMargin());
        long recentBps = nowMs < recentHighUntilMs ? recentHighBps : 0;
        long ceiling = Math.max(Math.max(current.allocatedBps(), holdCost),
                Math.max(recentBps, Math.max(probeConfirmedBps, timeConfirmedBps)));
        long budget = Math.min(estimate, ceiling);
        boolean upgradeConfirmed = current.probeTargetBps() > 0 && budget >= current.probeTargetBps();
        if (downgrade || upgradeConfirmed || estimateMoved(estimate) || !sameShape(this.subscriptions, next)) {
            reallocate(nowMs, estimate, budget, next, !downgrade);
        } else {
            this.subscriptions = next;
        }
        return current();
    }

    /**
     * A probe's outcome. Success confirms {@code probedBps} as reachable (upgrades up to it
     * apply as far as the estimate allows); failure withholds the probe target for a while.
     */
    public Allocation onProbeResult(long nowMs, boolean success, long probedBps) {
        if (!success) {
            probeBackoffUntilMs = nowMs + config.probeBackoffMs();
            lastNowMs = Math.max(lastNowMs, nowMs);
            return current();
        }
        probeConfirmedBps = Math.max(probeConfirmedBps, probedBps);
        probeBackoffUntilMs = Long.MIN_VALUE;
        return reallocatedAtBps < 0 ? current() : update(nowMs, estimateBps, subscriptions);
    }

    /** The allocation in force; its probe target is 0 while backing off from a failed probe. */
    public Allocation current() {
        return lastNowMs < probeBackoffUntilMs ? current.withoutProbe() : current;
    }

    /** The total a prober should probe to, 0 for none. */
    public long probeTargetBps() {
        return current().probeTargetBps();
    }

    /** @param rememberHigher whether a lower total keeps the one before usable for a while */
    private void reallocate(long nowMs, long estimate, long budget, List<Subscription> next, boolean rememberHigher) {
        long before = current.allocatedBps();
        current = allocator.allocate(budget, next);
        if (rememberHigher && current.allocatedBps() < before
                && (before >= recentHighBps || nowMs >= recentHighUntilMs)) {
            recentHighBps = before;
            recentHighUntilMs = nowMs + config.upgradeHoldMs();
        }
        reallocatedAtBps = estimate;
        subscriptions = next;
    }

    private boolean estimateMoved(long estimate) {
        return Math.abs(estimate - reallocatedAtBps) > config.reallocateFraction() * reallocatedAtBps;
    }

    private static boolean sameShape(List<Subscription> before, List<Subscription> after) {
        if (before.size() != after.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).sameShape(after.get(i))) {
                return false;
            }
        }
        return true;
    }
}
