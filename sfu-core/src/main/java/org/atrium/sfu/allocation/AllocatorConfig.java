package org.atrium.sfu.allocation;

/**
 * The allocator's tuning. Immutable; {@link #DEFAULTS} then {@code with...} copies.
 *
 * @param defaultAudioBps what an audio subscription is assumed to take before its rate is
 *     measured (64 kbit/s: Opus at the top of what browsers send for speech)
 * @param reallocateFraction how far (relative) the estimate must move from the one of the
 *     last reallocation to reallocate when nothing else changed
 * @param upgradeMargin how much above a total the estimate must stay to confirm an upgrade to
 *     it without a probe
 * @param upgradeHoldMs how long the estimate must stay above that
 * @param probeBackoffMs how long after a failed probe no probe target is offered
 * @param fullRateAboveLowest whether encodings above the lowest one offered start at TL0+TL1
 *     (15 fps with L1T3) rather than TL0 alone: a larger picture at 7.5 fps is no step up
 */
public record AllocatorConfig(long defaultAudioBps, double reallocateFraction, double upgradeMargin,
        long upgradeHoldMs, long probeBackoffMs, boolean fullRateAboveLowest) {

    public static final AllocatorConfig DEFAULTS = new AllocatorConfig(64_000, 0.10, 1.15, 2_000, 2_000, true);

    public AllocatorConfig(long defaultAudioBps, double reallocateFraction, double upgradeMargin, long upgradeHoldMs,
            long probeBackoffMs) {
        this(defaultAudioBps, reallocateFraction, upgradeMargin, upgradeHoldMs, probeBackoffMs, true);
    }

    public AllocatorConfig {
        if (defaultAudioBps < 0 || reallocateFraction < 0 || upgradeMargin < 1
                || upgradeHoldMs < 0 || probeBackoffMs < 0) {
            throw new IllegalArgumentException("bad allocator config " + defaultAudioBps + ", "
                    + reallocateFraction + ", " + upgradeMargin + ", " + upgradeHoldMs + ", " + probeBackoffMs);
        }
    }

    public AllocatorConfig withUpgradeHoldMs(long ms) {
        return new AllocatorConfig(defaultAudioBps, reallocateFraction, upgradeMargin, ms, probeBackoffMs,
                fullRateAboveLowest);
    }

    public AllocatorConfig withUpgradeMargin(double margin) {
        return new AllocatorConfig(defaultAudioBps, reallocateFraction, margin, upgradeHoldMs, probeBackoffMs,
                fullRateAboveLowest);
    }

    /** Every temporal layer of every encoding a step of its own (see {@code fullRateAboveLowest}). */
    public AllocatorConfig withEveryTemporalStep() {
        return new AllocatorConfig(defaultAudioBps, reallocateFraction, upgradeMargin, upgradeHoldMs, probeBackoffMs,
                false);
    }
}
