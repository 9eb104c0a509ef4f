package org.atrium.sfu.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublisherLayerDemandTest {

    private final PublisherLayerDemand demand = new PublisherLayerDemand(PublisherLayerDemand.DEFAULT_SWITCH_OFF_AFTER_MS);

    /**
     * A timeline for one source X with three encodings: {@code "t:d,d; t:d"} where each d is
     * one receiver's demanded spatial layer (-1: it wants none) and an empty list means no
     * receiver. The switches of the last step and the encodings on after it are checked.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # timeline                          | last step switches           | on after
            0:2,0                               |                              | S0 S1 S2
            0:2,0; 4999:0                       |                              | S0 S1 S2
            0:0; 4999:0                         |                              | S0 S1 S2
            0:0; 5000:0                         | X:S1 off X:S2 off            | S0
            0:2,0; 1000:2; 5999:0               |                              | S0 S1 S2
            0:2,0; 1000:2; 6000:0               | X:S1 off X:S2 off            | S0
            0:2; 1000:0; 6000:0; 6001:2         | X:S1 on X:S2 on              | S0 S1 S2
            0:2; 1000:0; 6000:0; 6001:1,-1      | X:S1 on                      | S0 S1
            0:1,-1; 5000:1                      | X:S2 off                     | S0 S1
            0:0; 3000:2; 7999:0                 |                              | S0 S1 S2
            0:0; 3000:2; 8000:0                 | X:S1 off X:S2 off            | S0
            0:; 5000:                           | X:S0 off X:S1 off X:S2 off   |
            0:-1,-1; 5000:-1                    | X:S0 off X:S1 off X:S2 off   |
            """)
    void switchesOffLateAndOnAtOnce(String timeline, String switches, String on) {
        List<LayerSwitch> last = List.of();
        for (String step : timeline.split(";")) {
            String[] parts = step.trim().split(":", -1);
            long now = Long.parseLong(parts[0]);
            List<Allocation> receivers = new ArrayList<>();
            for (String demanded : parts[1].split(",")) {
                if (!demanded.isBlank()) {
                    receivers.add(receiverWanting("X", Integer.parseInt(demanded.trim())));
                }
            }
            last = demand.update(now, Map.of("X", 3), receivers);
        }

        assertEquals(switches == null ? "" : switches,
                last.stream().map(LayerSwitch::toString).collect(Collectors.joining(" ")));
        assertEquals(on == null ? "" : on, IntStream.range(0, 3).filter(s -> demand.enabled("X", s))
                .mapToObj(s -> "S" + s).collect(Collectors.joining(" ")));
    }

    @Test
    void eachSourceHasItsOwnDemand() {
        List<Allocation> receivers = List.of(
                new Allocation(List.of(Decision.video("X", new Layer(0, 2), 150_000, 2),
                        Decision.paused("Y", PauseReason.BANDWIDTH, 0)), 150_000, 1_650_000, 0),
                new Allocation(List.of(Decision.audio("x-audio", 40_000),
                        Decision.paused("X", PauseReason.NOT_VISIBLE, -1)), 40_000, 40_000, 0));

        demand.update(0, Map.of("X", 3, "Y", 3), receivers);
        List<LayerSwitch> switches = demand.update(5_000, Map.of("X", 3, "Y", 3), receivers);

        assertEquals("[Y:S1 off, Y:S2 off]", switches.toString());
        assertTrue(demand.enabled("X", 2));
        assertTrue(demand.enabled("Y", 0));
    }

    @Test
    void aSourceNoLongerPublishedIsForgotten() {
        demand.update(0, Map.of("X", 3), List.of());
        demand.update(5_000, Map.of("X", 3), List.of());
        assertFalse(demand.enabled("X", 0));

        demand.update(6_000, Map.of(), List.of());
        // Published again: it starts as publishers do, everything on.
        assertTrue(demand.enabled("X", 0));
        assertEquals(List.of(), demand.update(7_000, Map.of("X", 3), List.of()));
        assertTrue(demand.enabled("X", 2));
    }

    private static Allocation receiverWanting(String sourceId, int demandedSpatial) {
        Decision decision = demandedSpatial < 0
                ? Decision.paused(sourceId, PauseReason.NOT_VISIBLE, -1)
                : Decision.video(sourceId, new Layer(0, 0), 75_000, demandedSpatial);
        return new Allocation(List.of(decision), decision.bps(), decision.bps(), 0);
    }
}
