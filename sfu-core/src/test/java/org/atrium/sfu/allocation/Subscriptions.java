package org.atrium.sfu.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Test notation for a receiver's subscriptions, one token each, ranked in the order written:
 *
 * <pre>
 * a:audio          audio at the default rate      a:audio=40000   audio measured at 40 kbit/s
 * A                VP8 L1T3 simulcast, priority OTHER, no render limit
 * A:speaker        the active speaker             A:stage         on stage
 * A:paused         paused by the receiver         A@640x360       render hint 640x360 (0x0: hidden)
 * A:h264           three encodings, one temporal layer each
 * A:-S1            encoding 1 inactive            A:-T2           temporal layer 2 not received
 * </pre>
 *
 * VP8 rates, cumulative TL0 / +TL1 / +TL2 in kbit/s: S0 320x180 75/105/150, S1 640x360
 * 250/350/500, S2 1280x720 750/1050/1500. H264: 150, 500, 1500.
 */
final class Subscriptions {

    static final long[][] VP8 = {{75_000, 105_000, 150_000}, {250_000, 350_000, 500_000}, {750_000, 1_050_000, 1_500_000}};
    static final long[][] H264 = {{150_000}, {500_000}, {1_500_000}};
    static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};

    private Subscriptions() {
    }

    static List<Subscription> parse(String tokens) {
        List<Subscription> subscriptions = new ArrayList<>();
        for (String token : tokens.trim().split("\\s+")) {
            subscriptions.add(parseOne(token, subscriptions.size()));
        }
        return subscriptions;
    }

    /** Decisions as "A=S0T1 B=paused:bandwidth a=audio", in input order. */
    static String describe(Allocation allocation) {
        return allocation.decisions().stream().map(Decision::toString).collect(Collectors.joining(" "));
    }

    static LayerRates vp8() {
        return rates(VP8, -1, -1);
    }

    static LayerRates rates(long[][] bps, int inactiveSpatial, int missingTemporal) {
        List<SpatialLayerRates> layers = new ArrayList<>();
        for (int s = 0; s < bps.length; s++) {
            long[] temporal = bps[s].clone();
            if (missingTemporal >= 0 && missingTemporal < temporal.length) {
                temporal[missingTemporal] = 0;
            }
            layers.add(s == inactiveSpatial
                    ? SpatialLayerRates.inactive(SIZES[s][0], SIZES[s][1], temporal)
                    : SpatialLayerRates.of(SIZES[s][0], SIZES[s][1], temporal));
        }
        return new LayerRates(layers);
    }

    private static Subscription parseOne(String token, int rank) {
        String[] parts = token.split(":");
        String id = parts[0];
        if (parts.length > 1 && parts[1].startsWith("audio")) {
            String[] rate = parts[1].split("=");
            return new AudioSubscription(id, rate.length > 1 ? Long.parseLong(rate[1]) : 0);
        }
        RenderHint hint = RenderHint.UNLIMITED;
        String last = parts[parts.length - 1];
        if (last.contains("@")) {
            String[] size = last.substring(last.indexOf('@') + 1).split("x");
            hint = new RenderHint(Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            parts[parts.length - 1] = last.substring(0, last.indexOf('@'));
            id = parts[0];
        }
        PriorityClass priority = PriorityClass.OTHER;
        boolean paused = false;
        long[][] bps = VP8;
        int inactive = -1;
        int missing = -1;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "speaker" -> priority = PriorityClass.ACTIVE_SPEAKER;
                case "stage" -> priority = PriorityClass.ON_STAGE;
                case "paused" -> paused = true;
                case "h264" -> bps = H264;
                case "-S0", "-S1", "-S2" -> inactive = parts[i].charAt(2) - '0';
                case "-T0", "-T1", "-T2" -> missing = parts[i].charAt(2) - '0';
                default -> throw new IllegalArgumentException("unknown modifier " + parts[i] + " in " + token);
            }
        }
        return new VideoSubscription(id, priority, rank, hint, paused, rates(bps, inactive, missing));
    }
}
