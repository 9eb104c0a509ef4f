package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The room page's controls between two Chromium pages, pressed as a user would (real clicks and
 * keys on elements found by role and accessible name): what page A does is seen by page B.
 *
 * <p>Screen sharing needs no extra flag: with {@code --use-fake-ui-for-media-stream} and {@code
 * --use-fake-device-for-media-stream}, headless Chromium answers getDisplayMedia at once with a
 * fake "screen" (displaySurface "monitor", a moving test pattern), and with a "Fake audio" track
 * when audio is asked for.
 */
@Tag("browser")
class RoomControlsBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    /** How soon the other page must show a change. */
    private static final Duration SEEN = Duration.ofSeconds(3);

    @Test
    void muteStopCameraAndShareScreenAreSeenByTheOtherPageInTheSameSession() {
        BrowserPage ada = join("Ada");
        BrowserPage bo = join("Bo");
        String adaId = participantId(ada);
        String camera = "document.querySelector('video[data-participant-id=\"" + adaId + "\"][data-source=\"camera\"]')";
        String screen = "document.querySelector('video[data-participant-id=\"" + adaId + "\"][data-source=\"screen\"]')";
        String tile = camera + ".closest('.tile')";
        bo.waitUntilTrue(shows(camera), CONNECT);
        assertEquals("false", bo.eval("return " + tile + ".dataset.audioMuted;"));
        assertEquals("false", bo.eval("return " + tile + ".dataset.videoMuted;"));

        ada.clickButton("Mute microphone");
        long at = System.nanoTime();
        bo.waitUntilTrue(tile + ".dataset.audioMuted === 'true'", SEEN);
        report("microphone muted", at);
        ada.byRoleAndName("button", "Unmute microphone");

        ada.clickButton("Stop camera");
        at = System.nanoTime();
        bo.waitUntilTrue(tile + ".dataset.videoMuted === 'true'", SEEN);
        report("camera stopped", at);
        assertEquals(0L, ada.eval("return window.atrium.localStream.getVideoTracks().length;"), "camera track stopped");
        assertTrue((Boolean) bo.eval("return !!" + camera + ";"), "the stopped camera's video element stays");

        ada.clickButton("Share screen");
        at = System.nanoTime();
        bo.waitUntilTrue(shows(screen), SEEN);
        report("screen shown", at);
        assertEquals(2L, bo.eval("return document.querySelectorAll('.tile.remote').length;"), "a tile of its own");
        // Speaker view features the shared screen; grid view features nothing.
        bo.clickButton("Speaker view");
        assertEquals("true", bo.byRoleAndName("button", "Speaker view").getAttribute("aria-pressed"));
        bo.waitUntilTrue(screen + ".closest('.tile').hasAttribute('data-featured')", SEEN);
        bo.clickButton("Speaker view");
        bo.waitUntilTrue("!document.querySelector('[data-featured]')", SEEN);

        ada.clickButton("Unmute microphone");
        at = System.nanoTime();
        bo.waitUntilTrue(tile + ".dataset.audioMuted === 'false'", SEEN);
        report("microphone unmuted", at);

        long framesBefore = ((Number) bo.eval("return " + camera + ".getVideoPlaybackQuality().totalVideoFrames;"))
                .longValue();
        ada.clickButton("Start camera");
        at = System.nanoTime();
        bo.waitUntilTrue(tile + ".dataset.videoMuted === 'false'", SEEN);
        bo.waitUntilTrue(camera + ".getVideoPlaybackQuality().totalVideoFrames > " + (framesBefore + 5), SEEN);
        report("camera frames again", at);
        assertEquals(adaId, participantId(ada), "the same session");
        assertEquals(0L, ada.eval("return window.atrium.reconnects + window.atrium.resumes;"), "no new join");
        assertEquals(2, server.server().sfu().rooms().room("controls").size());

        ada.clickButton("Stop sharing");
        at = System.nanoTime();
        bo.waitUntilTrue("!" + screen, SEEN);
        report("screen tile gone", at);
        ada.byRoleAndName("button", "Share screen");
    }

    @Test
    void chatAndControlsFromTheKeyboard() {
        BrowserPage ada = join("Ada");
        BrowserPage bo = join("Bo");
        for (BrowserPage page : List.of(ada, bo)) {
            page.waitUntil("Send is enabled once the chat channel is open", CONNECT,
                    () -> page.byRoleAndName("button", "Send").isEnabled());
        }

        // Enter in the Message box sends.
        ada.byRoleAndName("textbox", "Message").sendKeys("hello Bo", Keys.ENTER);
        bo.waitUntil("Ada's message in Bo's Chat log", SEEN, () -> chat(bo).contains("Ada: hello Bo"));
        assertEquals("", ada.byRoleAndName("textbox", "Message").getAttribute("value"), "the box is emptied");

        // The Send button sends too.
        bo.byRoleAndName("textbox", "Message").sendKeys("hi Ada");
        bo.clickButton("Send");
        ada.waitUntil("Bo's message in Ada's Chat log", SEEN, () -> chat(ada).contains("Bo: hi Ada"));
        assertTrue(chat(ada).contains("Ada: hello Bo"), "one's own message is in one's log: " + chat(ada));

        // A control is a real button: focused and pressed with Enter from the keyboard.
        WebElement mute = ada.byRoleAndName("button", "Mute microphone");
        ada.eval("arguments[0].focus();", mute);
        mute.sendKeys(Keys.ENTER);
        ada.waitUntil("the button says what it does now", SEEN,
                () -> "Unmute microphone".equals(mute.getAccessibleName()));
        String adaId = participantId(ada);
        // Connection quality from getStats, per participant, on the tile and in the list.
        bo.waitUntilTrue("['good', 'fair', 'poor'].includes(window.atrium.quality.get('" + adaId + "'))", CONNECT);
        assertTrue((Boolean) bo.eval("return !!document.querySelector('.tile[data-quality][data-participant-id=\""
                + adaId + "\"]');"));
        bo.waitUntilTrue("document.querySelector('video[data-participant-id=\"" + adaId
                + "\"]').closest('.tile').dataset.audioMuted === 'true'", SEEN);
    }

    @Test
    void withoutANameInTheUrlThePreJoinScreenAsksForOneAndTheDevices() {
        BrowserPage page = chromium.open(server.http("/room/controls").toString());
        page.waitUntilTrue("document.getElementById('prejoin-preview').videoWidth > 0", CONNECT);
        assertEquals(null, page.eval("return window.atrium.participantId;"), "not joined before Join");
        for (String device : List.of("Camera", "Microphone")) {
            List<WebElement> options = new Select(page.byRoleAndName("combobox", device)).getOptions();
            assertTrue(options.size() >= 2, device + ": the fake device and none: " + options.size());
        }
        page.byRoleAndName("textbox", "Your name").sendKeys("Cy", Keys.ENTER);
        page.waitUntilTrue("window.atrium.state === 'connected'", CONNECT);
        assertEquals("Cy", page.eval("return window.atrium.name;"));
        assertEquals(1, server.server().sfu().rooms().room("controls").size());
        page.byRoleAndName("button", "Leave");
    }

    private static String chat(BrowserPage page) {
        return page.byRoleAndName("log", "Chat").getText();
    }

    /** A video element that exists and has decoded and shown frames. */
    private static String shows(String video) {
        return "(() => { const v = " + video + "; return !!v && v.videoWidth > 0"
                + " && v.getVideoPlaybackQuality().totalVideoFrames > 0; })()";
    }

    private static void report(String what, long sinceNanos) {
        System.out.printf("%s on the other page after %d ms%n", what, (System.nanoTime() - sinceNanos) / 1_000_000);
    }

    private BrowserPage join(String name) {
        BrowserPage page = chromium.open(server.http("/room/controls?name=" + name).toString());
        page.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        return page;
    }

    private static String participantId(BrowserPage page) {
        return (String) page.eval("return window.atrium.participantId;");
    }
}
