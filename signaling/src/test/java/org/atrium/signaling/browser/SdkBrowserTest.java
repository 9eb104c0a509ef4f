package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client SDK as served at {@code /sdk/atrium-client.js}, in Chromium: two clients of
 * one page join a room, publish camera and microphone, receive each other's tracks with
 * decoded video, and chat over a data channel.
 */
@Tag("browser")
class SdkBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);

    private static final String START = """
            const { AtriumClient } = await import('/sdk/atrium-client.js');
            const sdk = window.sdk = { tracks: [], chat: [] };
            for (const name of ['Ada', 'Bob']) {
              const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
              const client = new AtriumClient({ room: 'sdk', name });
              client.on('track-added', (t) => sdk.tracks.push(`${name} ${t.kind} ${t.participantId}`));
              client.on('data', (m) => sdk.chat.push(`${name} ${m.from} ${m.text}`));
              sdk[name] = { client, chat: client.openDataChannel('chat') };
              await client.publish(media.getVideoTracks()[0], { source: 'camera' });
              await client.publish(media.getAudioTracks()[0], { source: 'microphone' });
              await client.join();
            }
            return [sdk.Ada.client.participantId, sdk.Bob.client.participantId];
            """;

    @Test
    void twoSdkClientsExchangeMediaAndChat() {
        BrowserPage page = chromium.open(server.http("/").toString());
        List<?> ids = (List<?>) page.evalAsync(START);
        String ada = (String) ids.get(0);
        String bob = (String) ids.get(1);

        page.waitUntilTrue("window.sdk.tracks.length === 4", CONNECT);
        @SuppressWarnings("unchecked")
        List<String> tracks = (List<String>) page.eval("return window.sdk.tracks.slice().sort()");
        assertEquals(List.of("Ada audio " + bob, "Ada video " + bob, "Bob audio " + ada, "Bob video " + ada), tracks);

        page.waitUntil("Bob decodes Ada's video", CONNECT, () -> ((Number) page.evalAsync("""
                const stats = await window.sdk.Bob.client.getStats();
                return stats.inbound.filter((s) => s.kind === 'video').reduce((n, s) => n + s.bytes, 0);
                """)).longValue() > 0);

        // Messages sent before the other's association is up are not kept: say it until it arrives.
        page.waitUntil("Bob gets Ada's chat", CONNECT, () -> Boolean.TRUE.equals(page.eval("""
                const chat = window.sdk.Ada.chat;
                if (chat.open) chat.send('hello, room');
                return window.sdk.chat.length > 0;
                """)));
        assertEquals("Bob " + ada + " hello, room", page.eval("return window.sdk.chat[0]"));

        page.eval("window.sdk.Ada.client.leave(); window.sdk.Bob.client.leave();");
    }
}
