package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The room page's "Face overlay" button (/face/face-overlay.js on every remote video): one page's
 * camera films a face ({@link FaceVideo}), another page receives it through the SFU and turns the
 * overlay on.
 * The detector, its model and the WASM binaries all come from the server.
 */
@Tag("browser")
class FaceOverlayBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration DETECT = Duration.ofSeconds(30);

    @Test
    void findsTheFaceInAReceivedVideoAndPaintsOverIt() {
        BrowserPage publisher = chromium.open(server.http("/room/face?name=Pub").toString(),
                List.of("--use-file-for-fake-video-capture=" + FaceVideo.file()));
        publisher.waitUntilTrue("window.atrium && window.atrium.participantId", CONNECT);
        String publisherId = (String) publisher.eval("return window.atrium.participantId;");
        BrowserPage receiver = chromium.open(server.http("/room/face?name=Rec").toString());
        String video = "document.querySelector('video[data-participant-id=\"" + publisherId + "\"]')";
        receiver.waitUntilTrue(video + " && " + video + ".videoWidth > 0", CONNECT);

        // Off by default: nothing of the detector is loaded until the button is pressed.
        assertEquals("false", receiver.eval("return document.querySelector('#face').getAttribute('aria-pressed');"));
        assertEquals(0L, receiver.eval("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/face/')).length;"));
        long started = System.nanoTime();
        receiver.clickButton("Face overlay");
        assertEquals("true", receiver.eval("return document.querySelector('#face').getAttribute('aria-pressed');"));
        String tile = video + ".parentElement";
        receiver.waitUntilTrue("Number(" + tile + ".dataset.faces) >= 1", DETECT);
        receiver.eval("window.faceOverlay = window.atrium.faceOverlays.get(" + video + ");");
        long firstFaceMillis = (System.nanoTime() - started) / 1_000_000;

        // The pixels and boxes of one detection (read in one task, between two detections).
        receiver.waitUntilTrue("window.faceOverlay.lastFaces.length >= 1", DETECT);
        Map<?, ?> seen = (Map<?, ?>) receiver.eval("""
                const video = %s;
                const overlay = window.faceOverlay;
                const canvas = video.parentElement.querySelector('canvas.face-overlay');
                const faces = overlay.lastFaces;
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                // Painted pixels inside each face's box, and away from every box (beyond the stroke's width).
                const margin = 6;
                const within = (f, x, y, m) => x >= f.x - m && x < f.x + f.width + m && y >= f.y - m && y < f.y + f.height + m;
                const inside = faces.map(() => 0);
                let outside = 0;
                for (let y = 0; y < canvas.height; y++) {
                  for (let x = 0; x < canvas.width; x++) {
                    if (data[(y * canvas.width + x) * 4 + 3] === 0) continue;
                    faces.forEach((f, i) => { if (within(f, x, y, 0)) inside[i]++; });
                    if (!faces.some(f => within(f, x, y, margin))) outside++;
                  }
                }
                const c = canvas.getBoundingClientRect(), v = video.getBoundingClientRect();
                return {
                  faces, inside, outside,
                  canvasWidth: canvas.width, canvasHeight: canvas.height,
                  videoWidth: video.videoWidth, videoHeight: video.videoHeight,
                  cssAspect: c.width / c.height,
                  withinVideo: c.left >= v.left - 1 && c.right <= v.right + 1 && c.top >= v.top - 1 && c.bottom <= v.bottom + 1,
                  // object-fit: contain: the frame fills the box's height and is centred across it
                  // (a box wider than the frame), or fills its width and is centred down it.
                  containFit: getComputedStyle(video).objectFit !== 'contain' || (c.width / c.height <= v.width / v.height
                      ? Math.abs(c.height - v.height) < 1 && Math.abs(c.left + c.right - v.left - v.right) < 2
                      : Math.abs(c.width - v.width) < 1 && Math.abs(c.top + c.bottom - v.top - v.bottom) < 2),
                  detectionMs: overlay.lastDetectionMs,
                  foreign: performance.getEntriesByType('resource').map(e => e.name)
                      .filter(name => !name.startsWith(location.origin + '/')),
                };
                """.formatted(video));
        System.out.printf("face overlay: first face %d ms after start, %s%n", firstFaceMillis, seen);
        assertEquals("worker", receiver.evalAsync(
                "return (await (await import('/face/face-overlay.js')).loadFaceDetector()).thread;"),
                "detection runs in a worker, off the page's main thread");

        assertEquals(List.of(), seen.get("foreign"), "every file comes from the server");
        assertEquals(number(seen, "videoWidth"), number(seen, "canvasWidth"), "canvas pixels = frame size: " + seen);
        assertEquals(number(seen, "videoHeight"), number(seen, "canvasHeight"), "canvas pixels = frame size: " + seen);
        assertEquals(number(seen, "videoWidth") / number(seen, "videoHeight"), number(seen, "cssAspect"), 0.02,
                "the canvas is shown with the frame's proportions: " + seen);
        assertTrue(Boolean.TRUE.equals(seen.get("withinVideo")), "the canvas lies over the video: " + seen);
        assertTrue(Boolean.TRUE.equals(seen.get("containFit")), "the canvas covers the frame as shown: " + seen);

        // One box is where the face is in the sender's frame (scaled if the receiver gets a smaller layer).
        List<?> faces = (List<?>) seen.get("faces");
        List<?> inside = (List<?>) seen.get("inside");
        double scale = number(seen, "videoWidth") / FaceVideo.WIDTH;
        double[] expected = FaceVideo.faceInFrame();
        int found = -1;
        for (int i = 0; i < faces.size(); i++) {
            Map<?, ?> face = (Map<?, ?>) faces.get(i);
            double centreX = number(face, "x") + number(face, "width") / 2;
            double centreY = number(face, "y") + number(face, "height") / 2;
            if (Math.abs(centreX - (expected[0] + expected[2] / 2) * scale) < expected[2] / 2 * scale
                    && Math.abs(centreY - (expected[1] + expected[3] / 2) * scale) < expected[3] / 2 * scale) {
                found = i;
            }
        }
        assertTrue(found >= 0, "a box centred in the face " + java.util.Arrays.toString(expected) + ": " + seen);
        Map<?, ?> face = (Map<?, ?>) faces.get(found);
        double area = number(face, "width") * number(face, "height");
        assertTrue(((Number) inside.get(found)).doubleValue() > 0.15 * area,
                "box and glasses painted inside the face's box: " + seen);
        assertEquals(0.0, number(seen, "outside"), "nothing painted away from the faces: " + seen);

        // It keeps detecting, at the rate the scheduler allows one tile.
        long detections = ((Number) receiver.eval("return Number(" + tile + ".dataset.detections);")).longValue();
        BrowserPage.sleep(Duration.ofSeconds(5));
        long later = ((Number) receiver.eval("return Number(" + tile + ".dataset.detections);")).longValue();
        System.out.printf("face overlay: %.1f detections a second on one tile (last took %.0f ms)%n",
                (later - detections) / 5.0,
                ((Number) receiver.eval("return window.faceOverlay.lastDetectionMs;")).doubleValue());
        assertTrue(later - detections >= 5, "at least one detection a second: " + (later - detections) + " in 5 s");

        // For a person to look at: the receiving page with the overlay on (target/face-overlay.png).
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("target", "face-overlay.png"), receiver.screenshotPng());
        } catch (java.io.IOException e) {
            System.out.println("no screenshot: " + e);
        }

        // Turning it off takes everything away.
        receiver.clickButton("Face overlay");
        assertEquals(Boolean.TRUE, receiver.eval("const tile = " + tile + "; return !tile.querySelector('canvas.face-overlay')"
                + " && !('faces' in tile.dataset) && !('detections' in tile.dataset);"));

        // Where no module worker can start, the same detector runs on the main thread. A second
        // instance of the detector's module (another URL) loads its own, with Worker unavailable.
        Object fallback = receiver.evalAsync("""
                const { loadFaceDetector } = await import('/face/face-detector.js?without-worker');
                const Worker = window.Worker;
                window.Worker = undefined;
                let detector;
                try {
                  detector = await loadFaceDetector();
                } finally {
                  window.Worker = Worker;
                }
                const video = %s;
                let faces = 0;
                for (let i = 0; i < 20 && faces === 0; i++) faces = (await detector.detect(video)).faces.length;
                return detector.thread + ' ' + faces;
                """.formatted(video));
        assertTrue(String.valueOf(fallback).matches("main [1-9][0-9]*"), "main-thread detector: " + fallback);
    }

    private static double number(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }
}
