package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The README's screenshots of the room page, taken as a user would see it: the pre-join screen;
 * a room of four in grid view with chat and the face overlay on; the speaker view with a shared
 * screen; and the room on a phone-sized screen. Each is taken once the page shows what it is meant
 * to (faces found, the screen decoding, every tile playing), so the test fails when the page does
 * not get there.
 *
 * <p>The images go to {@code target/screenshots}; {@code -Datrium.screenshots=../docs/screenshots}
 * (relative to the signaling module) writes the README's copies.
 */
@Tag("browser")
class RoomScreenshotsTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final String DESKTOP = "--window-size=1280,800";

    @Test
    void theRoomPageAsTheReadmeShowsIt() throws IOException {
        Path out = Path.of(System.getProperty("atrium.screenshots", "target/screenshots"));
        Files.createDirectories(out);

        // Bo comes through the pre-join screen; Ada's camera films a face.
        BrowserPage bo = chromium.open(server.http("/room/atrium").toString(), List.of(DESKTOP));
        bo.waitUntilTrue("document.getElementById('prejoin-preview').videoWidth > 0", CONNECT);
        save(out, "prejoin.png", bo);
        bo.byRoleAndName("textbox", "Your name").sendKeys("Bo", Keys.ENTER);
        bo.waitUntilTrue("window.atrium.state === 'connected'", CONNECT);
        BrowserPage ada = chromium.open(server.http("/room/atrium?name=Ada").toString(),
                List.of(DESKTOP, "--use-file-for-fake-video-capture=" + FaceVideo.file()));
        BrowserPage cy = chromium.open(server.http("/room/atrium?name=Cy").toString(), List.of(DESKTOP));
        BrowserPage di = chromium.open("about:blank");
        di.emulatePhone(390, 844, 1);
        di.navigate(server.http("/room/atrium?name=Di").toString());
        for (BrowserPage page : List.of(ada, bo, cy, di)) {
            page.waitUntilTrue("window.atrium.state === 'connected'", CONNECT);
        }
        String adaId = (String) ada.eval("return window.atrium.participantId;");
        String allPlaying = "document.querySelectorAll('.tile.remote video').length === 3 && [...document"
                + ".querySelectorAll('.tile.remote video')].every(v => v.videoWidth > 0 && !v.paused)";
        bo.waitUntilTrue(allPlaying, CONNECT);

        // Grid view: a few chat lines, the face overlay on Ada's face.
        say(ada, "Hello everyone!");
        say(cy, "Hi Ada, the glasses suit you.");
        bo.waitUntilTrue("document.querySelector('[role=\"log\"][aria-label=\"Chat\"]').children.length >= 2", CONNECT);
        bo.clickButton("Face overlay");
        bo.waitUntilTrue("Number(document.querySelector('video[data-participant-id=\"" + adaId
                + "\"]').closest('.tile').dataset.faces) >= 1", CONNECT);
        save(out, "room-grid.png", bo);

        // Speaker view with Cy's screen featured.
        bo.clickButton("Face overlay");
        cy.clickButton("Share screen");
        bo.waitUntilTrue("(() => { const v = document.querySelector('video[data-source=\"screen\"]');"
                + " return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0; })()", CONNECT);
        bo.clickButton("Speaker view");
        bo.waitUntilTrue("document.querySelector('.grid').dataset.layout === 'speaker'", CONNECT);
        BrowserPage.sleep(Duration.ofSeconds(1));
        save(out, "room-speaker.png", bo);

        // A phone-sized screen: Di sees the room, with its controls at the bottom.
        di.waitUntilTrue("document.querySelectorAll('.tile.remote video').length >= 3 && [...document"
                + ".querySelectorAll('.tile.remote video')].some(v => v.videoWidth > 0)", CONNECT);
        save(out, "room-phone.png", di);
    }

    private static void say(BrowserPage page, String text) {
        page.waitUntilTrue("!document.getElementById('chat-send').disabled", CONNECT);
        page.byRoleAndName("textbox", "Message").sendKeys(text, Keys.ENTER);
    }

    private static void save(Path dir, String name, BrowserPage page) throws IOException {
        byte[] png = page.screenshotPng();
        assertTrue(png.length > 10_000, name + " is an image of the page: " + png.length + " bytes");
        Files.write(dir.resolve(name), png);
        System.out.printf("screenshot %s: %d bytes%n", dir.resolve(name), png.length);
    }
}
