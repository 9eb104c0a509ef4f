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
 * Otherwise the server is the limit when the window is over the limits (loss above
 * {@code maxLossPercent}, p99 delay above {@code maxP99Ms}, or nothing forwarded), and nothing
 * limited it when it is within them.
 *
 * <p>The server's own p99 ({@code atrium_forwarding_latency_seconds}) does not acquit it of a
 * late window: it runs from the server's read of a datagram to its send, and leaves out the
 * time the datagram waited in the server's socket before the read. A window late at the
 * subscribers while the server's own p99 was 0.5 ms had 25 to 400 KB queued on the server's port
 * ({@code ss -uan}) and 2 to 11 KB on the generator's sockets; the explanation gives that p99
 * beside the subscribers' for what it is.
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
        GENERATOR_THREAD, GENERATOR_CPU, SERVER
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
        return r.isGood(maxLossPercent, maxP99Ms) ? null : Why.SERVER;
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
            case SERVER -> String.format(Locale.ROOT, "limited by the server: loss %.3f%% (limit %.3f%%), p99 "
                    + "%.2f ms (limit %.2f ms), load generator CPU %.1f%%", r.lossPercent(), maxLossPercent,
                    r.delayP99Ms(), maxP99Ms, r.generatorCpuPercent())
                    + (Double.isNaN(r.serverDelayP99Ms()) ? "" : String.format(Locale.ROOT, "; the server's own "
                    + "p99 from read to send %.2f ms (the wait in its socket before the read is not in it)",
                    r.serverDelayP99Ms()));
        };
    }
}
