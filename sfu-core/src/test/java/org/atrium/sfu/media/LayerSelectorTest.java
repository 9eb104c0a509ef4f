package org.atrium.sfu.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Layer decisions for a stream of packets. A packet is written
 * {@code s<encoding>t<tid>[K][B][Y][?]}: K a keyframe, B the beginning of a frame, Y the
 * layer sync bit, ? a payload that could not be read; {@code >s,t} sets the target.
 * Decisions: F forward, S switch, D drop (a gap to close), I ignore.
 */
class LayerSelectorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; single stream; first target; script; decisions
        a single stream starts at once;               true;  0; s0t0B s0t0 s0t1B;                        S F F
        simulcast waits for a keyframe of the target; false; 2; s2t0B s1t0KB s2t0KB s2t0;               I I S F
        other encodings are ignored;                  false; 1; s1t0KB s0t0KB s2t0KB s1t1B;             S I I F
        temporal down at the next frame start;        false; 0; s0t0KB s0t2B >0,0 s0t2 s0t1B s0t0B s0t2B; S F F D F D
        temporal up needs a layer sync frame;         false; 0; >0,0 s0t0KB s0t1B >0,2 s0t1B s0t1BY s0t2B; S D D F D
        temporal up to the sync frame's layer only;   false; 0; >0,0 s0t0KB >0,2 s0t2BY s0t2;            S F F
        a keyframe lifts the temporal cap;            false; 0; >0,0 s0t0KB s0t1B >0,2 s0t0KB s0t2B;     S D F F
        spatial switch up at the target's keyframe;   false; 0; s0t0KB s0t0B >2,2 s2t0B s0t0B s2t0KB s0t0B s2t0; S F I F S I F
        spatial switch down likewise;                 false; 2; s2t0KB >0,2 s2t1B s0t0KB s2t0B s0t1B;   S F S I F
        pausing ignores everything;                   false; 1; s1t0KB >-1,2 s1t0B s1t0KB;              S I I
        resuming waits for a keyframe;                false; 1; s1t0KB >-1,2 s1t0B >1,2 s1t0B s1t0KB;   S I I S
        an unreadable packet of the current layer;    false; 0; s0t0KB s0t2B? s1t0KB?;                 S F I
        an unreadable keyframe never switches;        false; 1; s1t0KB? s1t0KB;                         I S
        """)
    void decidesAsScripted(String name, boolean single, int firstTarget, String script, String decisions) {
        LayerSelector selector = new LayerSelector(single, firstTarget);
        List<String> got = new ArrayList<>();
        for (String step : script.trim().split("\\s+")) {
            if (step.startsWith(">")) {
                String[] target = step.substring(1).split(",");
                selector.setTarget(Integer.parseInt(target[0]), Integer.parseInt(target[1]));
                continue;
            }
            int spatial = step.charAt(1) - '0';
            int temporal = step.charAt(3) - '0';
            String flags = step.substring(4);
            LayerSelector.Decision decision = selector.decide(spatial, !flags.contains("?"), flags.contains("K"),
                    flags.contains("B"), temporal, flags.contains("Y"));
            got.add(decision.name().substring(0, 1));
        }
        assertEquals(decisions, String.join(" ", got));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; target; script; current spatial; current temporal; awaits keyframe
        not started;              2; s0t0KB;               -1; 3; true
        started on the target;    1; s1t0KB;               1;  3; false
        switching;                0; s0t0KB >2,1 s0t0B;    0;  1; true
        """)
    void reportsItsState(String name, int target, String script, int spatial, int temporal, boolean awaits) {
        LayerSelector selector = new LayerSelector(false, target);
        for (String step : script.trim().split("\\s+")) {
            if (step.startsWith(">")) {
                String[] t = step.substring(1).split(",");
                selector.setTarget(Integer.parseInt(t[0]), Integer.parseInt(t[1]));
                continue;
            }
            String flags = step.substring(4);
            selector.decide(step.charAt(1) - '0', true, flags.contains("K"), flags.contains("B"), step.charAt(3) - '0',
                    flags.contains("Y"));
        }
        assertEquals(spatial, selector.currentSpatial());
        assertEquals(temporal, selector.currentTemporal());
        assertEquals(awaits, selector.awaitsKeyframe());
    }
}
