package org.atrium.sfu.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerRatesTest {

    /** The VP8 ladder 320x180, 640x360, 1280x720 with only some sizes known. */
    private static LayerRates ladder(String known) {
        int[][] sizes = Subscriptions.SIZES;
        SpatialLayerRates[] layers = new SpatialLayerRates[3];
        for (int s = 0; s < 3; s++) {
            boolean isKnown = switch (known) {
                case "all" -> true;
                case "bottom" -> s == 0;
                case "middle" -> s == 1;
                case "top" -> s == 2;
                default -> false;
            };
            layers[s] = isKnown
                    ? SpatialLayerRates.of(sizes[s][0], sizes[s][1], Subscriptions.VP8[s])
                    : SpatialLayerRates.of(0, 0, Subscriptions.VP8[s]);
        }
        return LayerRates.of(layers);
    }

    @ParameterizedTest(name = "hint {0}x{1}, sizes known: {2} -> S{3}")
    @CsvSource(delimiter = '|', textBlock = """
            # hint w | hint h | known  | highest spatial
            1920     | 1080   | all    | 2
            1280     | 720    | all    | 2
            1000     | 560    | all    | 2
            640      | 360    | all    | 1
            641      | 200    | all    | 1
            360      | 360    | all    | 1
            321      | 181    | all    | 1
            320      | 180    | all    | 0
            180      | 320    | all    | 0
            100      | 100    | all    | 0
            640      | 360    | top    | 1
            640      | 360    | middle | 1
            640      | 360    | bottom | 1
            1        | 1      | none   | 2
            0        | 0      | all    | -1
            """)
    void theSmallestEncodingCoveringTheHint(int width, int height, String known, int expected) {
        assertEquals(expected, ladder(known).highestSpatialFor(new RenderHint(width, height)));
    }

    @Test
    void unlimitedHintTakesTheLargest() {
        assertEquals(2, ladder("all").highestSpatialFor(RenderHint.UNLIMITED));
    }

    @Test
    void unknownSizesFollowTheLadder() {
        LayerRates rates = ladder("middle");
        assertEquals(320, rates.width(0));
        assertEquals(180, rates.height(0));
        assertEquals(1280, rates.width(2));
        assertEquals(720, rates.height(2));
        assertEquals(0, ladder("none").width(1));
    }

    @ParameterizedTest(name = "{0}: TL0..TL2 viable {1} {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # encoding                            | TL0   | TL1   | TL2
            active 75 105 150                     | true  | true  | true
            active 75 105 0                       | true  | true  | false
            active 75 0 150                       | true  | false | false
            active 0 0 0                          | false | false | false
            inactive 75 105 150                   | false | false | false
            """)
    void aTemporalLayerNeedsTheOnesBelow(String encoding, boolean tl0, boolean tl1, boolean tl2) {
        String[] words = encoding.split(" ");
        long[] bps = {Long.parseLong(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3])};
        SpatialLayerRates rates = words[0].equals("active")
                ? SpatialLayerRates.of(320, 180, bps) : SpatialLayerRates.inactive(320, 180, bps);

        assertEquals(tl0, rates.viable(0));
        assertEquals(tl1, rates.viable(1));
        assertEquals(tl2, rates.viable(2));
        assertFalse(rates.viable(3));
    }

    @Test
    void shapeIgnoresRatesButNotAvailability() {
        LayerRates rates = LayerRates.of(SpatialLayerRates.of(320, 180, 75_000, 105_000, 150_000));
        assertTrue(rates.sameShape(LayerRates.of(SpatialLayerRates.of(320, 180, 80_000, 120_000, 170_000))));
        assertFalse(rates.sameShape(LayerRates.of(SpatialLayerRates.of(320, 180, 80_000, 120_000, 0))));
        assertFalse(rates.sameShape(LayerRates.of(SpatialLayerRates.inactive(320, 180, 75_000, 105_000, 150_000))));
        assertFalse(rates.sameShape(LayerRates.of(SpatialLayerRates.of(640, 360, 75_000, 105_000, 150_000))));
    }

    @Test
    void aHintIsBothSizesOrHidden() {
        assertThrows(IllegalArgumentException.class, () -> new RenderHint(0, 360));
        assertThrows(IllegalArgumentException.class, () -> new RenderHint(640, -1));
        assertFalse(RenderHint.NOT_VISIBLE.visible());
    }
}
