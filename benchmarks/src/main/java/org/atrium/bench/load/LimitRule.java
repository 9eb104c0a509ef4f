package org.atrium.bench.load;

import java.util.Locale;

/**
 * What limited a measured window, the load generator or the server. Every target is on this
 * host (loopback only), so the generator and the server share its {@code processors}. The
 * generator is the limit when its own CPU reached {@link #GENERATOR_SHARE} of what the server
 * left of them ({@code processors} x 100% minus the server's CPU %), or when one of its threads
 * ran {@link #BUSIEST_THREAD_PERCENT} of a core or more (a serial part of the generator, such as
 * a pacer or ice4j's shared STUN threads, held up alone while the machine had CPU to spare);
 * then the window says nothing of the server's limit, whether it was within the limits or not.
 * The generator is also the limit when the window is over the delay limit alone (no loss over
 * the limit) while the server's own p99 forwarding delay (receipt to send, its
 * {@code atrium_forwarding_latency_seconds}) was within it: on loopback a send hands the packet
 * to the subscriber's socket at once, so the packets waited in the generator (its receivers,
 * many threads each a little late, which neither CPU rule sees). Otherwise the server is the
 * limit when the window is over the limits (loss above {@code maxLossPercent}, p99 delay above
 * {@code maxP99Ms}, or nothing forwarded), and nothing limited it when it is within them.
 *
 * <p>Not detected: a generator thread busy while the SFU runs in the same process (its threads
 * cannot be told from the server's then, so none is measured), and a late generator behind the
 * raw relay, which reports no delay of its own.
 */
record LimitRule(int processors, double maxLossPercent, double maxP99Ms) {

    static final String GENERATOR = "generator";
    static final String SERVER = "server";
    /** The part of the CPU left to it from which the generator counts as the limit. */
    static final double GENERATOR_SHARE = 0.9;
    /** The CPU of one generator thread, in % of a core, from which that thread counts as the limit. */
    static final double BUSIEST_THREAD_PERCENT = 90;

    /** The generator's CPU left on this machine, in % of one processor: what the server does not use. */
    double cpuLeftToGeneratorPercent(double serverCpuPercent) {
        double server = Double.isNaN(serverCpuPercent) ? 0 : Math.max(0, serverCpuPercent);
        return Math.max(0, 100.0 * processors - server);
    }

    /** Which rule limited a window: decided once, in {@link #why}, for both the verdict and its explanation. */
    private enum Why {
        GENERATOR_THREAD, GENERATOR_CPU, LATE_AFTER_THE_SERVER, SERVER
    }

    /** {@link #GENERATOR}, {@link #SERVER} or null (nothing limited the window); see the class comment. */
    String limitedBy(WindowResult r) {
        Why why = why(r);
        return why == null ? null : why == Why.SERVER ? SERVER : GENERATOR;
    }

    /** The rule that limited the window, the generator's first; null when nothing did. */
    private Why why(WindowResult r) {
        if (r.generatorBusiestThreadPercent() >= BUSIEST_THREAD_PERCENT) {
            return Why.GENERATOR_THREAD;
        }
        if (r.generatorCpuPercent() >= GENERATOR_SHARE * cpuLeftToGeneratorPercent(r.serverCpuPercent())) {
            return Why.GENERATOR_CPU;
        }
        if (r.isGood(maxLossPercent, maxP99Ms)) {
            return null;
        }
        // Over the delay limit only, while the server itself sent within it.
        boolean lateAfterTheServer = r.forwardedPps() > 0 && r.lossPercent() <= maxLossPercent
                && r.delayP99Ms() > maxP99Ms && r.serverDelayP99Ms() <= maxP99Ms;
        return lateAfterTheServer ? Why.LATE_AFTER_THE_SERVER : Why.SERVER;
    }

    /** One line for the table's output: who limited the window and why; null when nothing did. */
    String explain(WindowResult r) {
        Why why = why(r);
        if (why == null) {
            return null;
        }
        String window = String.format(Locale.ROOT, "%s %d pubs %d subs: ", r.target(), r.publishers(),
                r.subscribers());
        return window + switch (why) {
            case GENERATOR_THREAD -> String.format(Locale.ROOT, "limited by the load generator, not the server: "
                    + "its thread '%s' ran %.1f%% of a core (from %.0f%% it counts as the limit); the generator in "
                    + "all %.1f%%", r.generatorBusiestThread(), r.generatorBusiestThreadPercent(),
                    BUSIEST_THREAD_PERCENT, r.generatorCpuPercent());
            case GENERATOR_CPU -> String.format(Locale.ROOT, "limited by the load generator, not the server: its CPU "
                    + "%.1f%% >= %.0f%% of the %.1f%% the server left of %d processors",
                    r.generatorCpuPercent(), 100 * GENERATOR_SHARE, cpuLeftToGeneratorPercent(r.serverCpuPercent()),
                    processors);
            case LATE_AFTER_THE_SERVER -> String.format(Locale.ROOT, "limited by the load generator, not the "
                    + "server: the subscribers' p99 was %.2f ms (limit %.2f ms) while the server sent within %.2f ms "
                    + "of receipt (its own p99): the packets waited in the generator", r.delayP99Ms(), maxP99Ms,
                    r.serverDelayP99Ms());
            case SERVER -> String.format(Locale.ROOT, "limited by the server: loss %.3f%% (limit %.3f%%), p99 "
                    + "%.2f ms (limit %.2f ms), load generator CPU %.1f%%", r.lossPercent(), maxLossPercent,
                    r.delayP99Ms(), maxP99Ms, r.generatorCpuPercent());
        };
    }
}
