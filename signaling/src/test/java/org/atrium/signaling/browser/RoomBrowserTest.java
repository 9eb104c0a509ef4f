package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Browsers in one room see and hear each other through the SFU: real Chromium pages
 * with fake camera and microphone, each with one RTCPeerConnection to the server.
 */
@Tag("browser")
class RoomBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    /**
     * Per remote participant of the page: inbound video frames decoded and audio packets
     * received, matched to participants through the tracks of their MediaStream.
     */
    private static final String MEDIA_BY_PARTICIPANT = """
            const stats = await window.atrium.pc.getStats();
            const byTrack = {};
            stats.forEach(s => { if (s.type === 'inbound-rtp' && s.trackIdentifier) byTrack[s.trackIdentifier] = s; });
            const result = {};
            for (const [id, remote] of window.atrium.remote) {
              const entry = {frames: 0, audioPackets: 0, videoElement: false};
              for (const track of remote.stream ? remote.stream.getTracks() : []) {
                const s = byTrack[track.id];
                if (!s) continue;
                if (track.kind === 'video') entry.frames = s.framesDecoded || 0;
                if (track.kind === 'audio') entry.audioPackets = s.packetsReceived || 0;
              }
              const video = document.querySelector('video[data-participant-id="' + id + '"]');
              entry.videoElement = !!video;
              entry.videoWidth = video ? video.videoWidth : 0;
              result[id] = entry;
            }
            return result;
            """;


    @Test
    void threePagesSeeAndHearEachOtherThenAFourthJoinsAndOneLeaves() {
        List<BrowserPage> pages = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String name : List.of("Ada", "Bo", "Cy")) {
            BrowserPage page = join(name);
            pages.add(page);
            ids.add(participantId(page));
        }
        assertEquals(3, server.server().sfu().rooms().room("demo").size());

        // Each page decodes both others' video, and their audio packets keep arriving.
        for (int i = 0; i < pages.size(); i++) {
            assertReceivesFrom(pages.get(i), others(ids, ids.get(i)), CONNECT);
        }

        // The fake microphones all beep: the SFU names one dominant speaker, the same on
        // every page, and each page marks that tile (or its own).
        pages.get(0).waitUntilTrue("window.atrium.activeSpeaker", FIVE_SECONDS);
        String speaker = (String) pages.get(0).eval("return window.atrium.activeSpeaker;");
        assertTrue(ids.contains(speaker), speaker);
        for (BrowserPage page : pages) {
            page.waitUntilTrue("window.atrium.activeSpeaker === '" + speaker + "'"
                    + " && document.querySelectorAll('[data-active-speaker=\"true\"]').length === 1", FIVE_SECONDS);
        }

        // A fourth page joins later: the other three show it within 5 s of its joining. Its
        // browser starts on a blank page first, so that the seconds a browser takes to
        // start are not counted as joining.
        BrowserPage late = chromium.open("about:blank");
        BrowserPage.sleep(Duration.ofSeconds(2));
        late.navigate(server.http("/room/demo?name=Di").toString());
        late.waitUntilTrue("window.atrium && window.atrium.participantId", CONNECT);
        String lateId = participantId(late);
        long joinedAt = System.nanoTime();
        try {
            assertAllShow(pages, lateId, FIVE_SECONDS);
        } catch (AssertionError e) {
            System.out.println("fourth page's log: " + late.eval("return window.atrium.log.join('\\n');"));
            throw e;
        }
        System.out.printf("fourth participant's video decoded by all three %d ms after it joined%n",
                (System.nanoTime() - joinedAt) / 1_000_000);
        System.out.println("fourth page's log: " + late.eval("return window.atrium.log.join('\\n');"));
        System.out.println("first page's log: " + pages.get(0).eval("return window.atrium.log.join('\\n');"));
        for (BrowserPage page : pages) {
            assertReceivesFrom(page, List.of(lateId), FIVE_SECONDS);
        }
        assertReceivesFrom(late, ids, CONNECT);

        // One page closes: its video is gone from the others within 5 s.
        BrowserPage leaving = pages.remove(0);
        String leavingId = ids.remove(0);
        leaving.close();
        long closedAt = System.nanoTime();
        pages.add(late);
        for (BrowserPage page : pages) {
            page.waitUntilTrue("!document.querySelector('video[data-participant-id=\"" + leavingId + "\"]')",
                    FIVE_SECONDS);
        }
        System.out.printf("closed page's video removed from the others within %d ms%n",
                (System.nanoTime() - closedAt) / 1_000_000);
        assertEquals(3, server.server().sfu().rooms().room("demo").size());

        // The remaining three still receive each other.
        ids.add(lateId);
        for (int i = 0; i < pages.size(); i++) {
            assertReceivesFrom(pages.get(i), others(ids, ids.get(i)), FIVE_SECONDS);
        }
        System.out.printf("server counters: rtp in %d, rtp out %d, keyframe requests %d%n",
                server.server().sfu().metrics().rtpPacketsReceived(),
                server.server().sfu().metrics().rtpPacketsSent(),
                server.server().sfu().metrics().keyframeRequestsSent());
    }

    /**
     * Polls every page in turn until each has a video element for the participant that
     * has decoded and shown at least one of its frames, all within one deadline. The check
     * reads the element, not getStats(), which would cost the busy browsers more.
     */
    private static void assertAllShow(List<BrowserPage> pages, String participantId, Duration timeout) {
        String shown = "const v = document.querySelector('video[data-participant-id=\"" + participantId + "\"]');"
                + " return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;";
        long deadline = System.nanoTime() + timeout.toNanos();
        List<BrowserPage> waiting = new ArrayList<>(pages);
        while (true) {
            // A page counts once a check that ended before the deadline saw it.
            waiting.removeIf(page -> Boolean.TRUE.equals(page.eval(shown)) && System.nanoTime() <= deadline);
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(waiting.size() + " page(s) did not show " + participantId + " within "
                        + timeout.toMillis() + " ms\n" + waiting.get(0).diagnostics());
            }
            BrowserPage.sleep(Duration.ofMillis(100));
        }
    }

    private BrowserPage join(String name) {
        BrowserPage page = chromium.open(server.http("/room/demo?name=" + name).toString());
        page.waitUntilTrue("window.atrium && window.atrium.participantId", CONNECT);
        return page;
    }

    private static String participantId(BrowserPage page) {
        return (String) page.eval("return window.atrium.participantId;");
    }

    private static List<String> others(List<String> ids, String self) {
        List<String> others = new ArrayList<>(ids);
        others.remove(self);
        return others;
    }

    /**
     * Waits until the page has a video element for each participant, decodes its frames
     * and receives its audio, then checks that both keep advancing.
     */
    private static void assertReceivesFrom(BrowserPage page, List<String> participants, Duration timeout) {
        page.waitUntil("video and audio from " + participants, timeout, () -> {
            Map<?, ?> media = media(page);
            for (String id : participants) {
                Map<?, ?> entry = (Map<?, ?>) media.get(id);
                if (entry == null || !Boolean.TRUE.equals(entry.get("videoElement"))
                        || number(entry, "frames") < 1 || number(entry, "audioPackets") < 1) {
                    return false;
                }
            }
            return true;
        });
        Map<?, ?> before = media(page);
        page.waitUntil("frames and audio packets advancing from " + participants, FIVE_SECONDS, () -> {
            Map<?, ?> now = media(page);
            for (String id : participants) {
                Map<?, ?> was = (Map<?, ?>) before.get(id);
                Map<?, ?> is = (Map<?, ?>) now.get(id);
                if (number(is, "frames") <= number(was, "frames")
                        || number(is, "audioPackets") <= number(was, "audioPackets")) {
                    return false;
                }
            }
            return true;
        });
        Map<?, ?> after = media(page);
        for (String id : participants) {
            assertTrue(number((Map<?, ?>) after.get(id), "videoWidth") > 0, "video has a size: " + after);
        }
    }

    private static Map<?, ?> media(BrowserPage page) {
        return (Map<?, ?>) page.evalAsync(MEDIA_BY_PARTICIPANT);
    }

    private static long number(Map<?, ?> map, String key) {
        Object value = map == null ? null : map.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }
}
