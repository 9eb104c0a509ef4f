package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Data channels between Chromium pages through the SFU: each page's one peer connection
 * carries an SCTP association to the SFU (the offer's m=application section), and the SFU
 * relays what each page sends, in the envelope of docs/signaling.md, on the receiver's
 * channel of the same label and kind.
 */
@Tag("browser")
class DataChannelBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    /**
     * Installs {@code window.dc} in a connected page: channels it opens or is given record
     * every message as {label, from, text, size, sum} in {@code dc.got}; {@code dc.send}
     * wraps a payload in the client's envelope.
     */
    private static final String HARNESS = """
            const utf8 = new TextEncoder(), text = new TextDecoder();
            window.dc = {
              got: [], channels: {}, closed: [],
              watch(ch) {
                ch.binaryType = 'arraybuffer';
                ch.onmessage = e => {
                  const b = new Uint8Array(e.data);
                  const ids = []; let at = 2;
                  for (let i = 0; i < b[1]; i++) { const n = b[at++]; ids.push(text.decode(b.subarray(at, at + n))); at += n; }
                  const payload = b.subarray(at);
                  let sum = 0; for (let i = 0; i < payload.length; i++) sum = (sum + payload[i] * (i % 251 + 1)) % 1000000007;
                  dc.got.push({label: ch.label, from: ids[0] || '', text: payload.length <= 64 ? text.decode(payload) : '',
                               size: payload.length, sum, textFlag: (b[0] & 1) === 1, ordered: ch.ordered,
                               maxRetransmits: ch.maxRetransmits === null ? -1 : ch.maxRetransmits});
                };
                ch.onclose = () => dc.closed.push(ch.label);
              },
              open(label, options) {
                const ch = window.atrium.pc.createDataChannel(label, options || {});
                dc.channels[label] = ch; dc.watch(ch); return ch;
              },
              envelope(payload, targets, isText) {
                const ids = targets.map(t => utf8.encode(t));
                const out = new Uint8Array(2 + ids.reduce((n, id) => n + 1 + id.length, 0) + payload.length);
                out[0] = isText ? 1 : 0; out[1] = ids.length; let at = 2;
                for (const id of ids) { out[at++] = id.length; out.set(id, at); at += id.length; }
                out.set(payload, at); return out;
              },
              send(label, message, targets) {
                dc.channels[label].send(dc.envelope(utf8.encode(message), targets || [], true));
              },
              texts(label) { return dc.got.filter(m => m.label === label).map(m => m.from + ':' + m.text); }
            };
            window.atrium.pc.ondatachannel = e => dc.watch(e.channel);
            """;

    // The room page itself opens "chat" (its own chat, through the SDK): these channels of the
    // test's own are named apart from it, so that each label has one channel per page.
    @Test
    void messagesReachTheRoomOrTheirTargetsAndChannelsCloseAndOpen() {
        List<BrowserPage> pages = List.of(
                join("data", "Ada"), join("data", "Bo"), join("data", "Cy"));
        BrowserPage ada = pages.get(0);
        BrowserPage bo = pages.get(1);
        BrowserPage cy = pages.get(2);
        String boId = id(bo);
        String adaId = id(ada);
        String cyId = id(cy);
        for (BrowserPage page : pages) {
            page.eval(HARNESS);
            page.eval("dc.open('talk');");
        }
        for (BrowserPage page : pages) {
            page.waitUntilTrue("dc.channels.talk.readyState === 'open'", CONNECT);
        }

        // A plain string is for the whole room: Bo and Cy get it in an envelope naming Ada.
        ada.eval("dc.channels.talk.send('hello room');");
        // An envelope naming Cy is for Cy alone; then one for everyone, which Bo gets after it.
        ada.eval("dc.send('talk', 'for Cy only', [arguments[0]]); dc.send('talk', 'everyone again');", cyId);
        cy.waitUntil("Cy has all three", DELIVERY, () -> texts(cy, "talk").size() == 3);
        bo.waitUntil("Bo has the two for the room", DELIVERY, () -> texts(bo, "talk").size() == 2);
        assertEquals(List.of(adaId + ":hello room", adaId + ":for Cy only", adaId + ":everyone again"),
                texts(cy, "talk"));
        // Ordered and reliable: had the targeted message reached Bo, it would be before the last.
        assertEquals(List.of(adaId + ":hello room", adaId + ":everyone again"), texts(bo, "talk"));
        assertEquals(List.of(), texts(ada, "talk"), "a sender does not get its own messages");

        // Bo, who never opened "notes", is given it by the SFU when Cy writes there.
        cy.eval("dc.open('notes', {ordered: false, maxRetransmits: 0});");
        cy.waitUntilTrue("dc.channels.notes.readyState === 'open'", CONNECT);
        cy.eval("dc.send('notes', 'unreliable hello');");
        bo.waitUntil("Bo gets the note on a channel the SFU opened", DELIVERY, () -> texts(bo, "notes").size() == 1);
        Map<?, ?> note = (Map<?, ?>) bo.eval("return dc.got.find(m => m.label === 'notes');");
        assertEquals(cyId, note.get("from"));
        assertEquals(Boolean.FALSE, note.get("ordered"), "unordered end to end: " + note);
        assertEquals(0L, note.get("maxRetransmits"), "unreliable end to end: " + note);

        // Ada closes "talk" and opens "talk-2": the room carries on on the new one.
        ada.eval("dc.channels.talk.close();");
        ada.waitUntilTrue("dc.channels.talk.readyState === 'closed'", CONNECT);
        ada.eval("dc.open('talk-2');");
        ada.waitUntilTrue("dc.channels['talk-2'].readyState === 'open'", CONNECT);
        ada.eval("dc.send('talk-2', 'on the new channel');");
        bo.waitUntil("Bo gets the message on talk-2", DELIVERY, () -> texts(bo, "talk-2").size() == 1);
        assertEquals(List.of(adaId + ":on the new channel"), texts(bo, "talk-2"));
        // Bo still talks to Ada on "talk" (Ada's own closed; the SFU gives her a new one).
        bo.eval("dc.send('talk', 'still here');");
        ada.waitUntil("Ada gets Bo's message on a talk channel again", DELIVERY,
                () -> texts(ada, "talk").size() == 1);
        assertEquals(List.of(boId + ":still here"), texts(ada, "talk"));
    }

    @Test
    void throughFivePercentLossOrderedMessagesAllArriveUnreliableOnesNeverTwiceAndA256KibMessage() throws Exception {
        MediaPortLoss.assumeAvailable();
        BrowserPage ada = join("bulk", "Ada");
        BrowserPage bo = join("bulk", "Bo");
        String adaId = id(ada);
        for (BrowserPage page : List.of(ada, bo)) {
            page.eval(HARNESS);
            page.eval("dc.open('bulk');");
        }
        for (BrowserPage page : List.of(ada, bo)) {
            page.waitUntilTrue("dc.channels.bulk.readyState === 'open'", CONNECT);
        }
        try (MediaPortLoss loss = MediaPortLoss.start(server.server().sfu().mediaAddress().getPort(), 5)) {
            ada.evalAsync("""
                    const ch = dc.channels.bulk;
                    ch.bufferedAmountLowThreshold = 256 * 1024;
                    for (let i = 0; i < 10000; i++) {
                      if (ch.bufferedAmount > 1024 * 1024) {
                        await new Promise(r => ch.addEventListener('bufferedamountlow', r, {once: true}));
                      }
                      dc.send('bulk', String(i));
                    }
                    """);
            bo.waitUntil("10,000 messages at Bo", Duration.ofSeconds(90),
                    () -> ((Number) bo.eval("return dc.got.length;")).intValue() >= 10000);

            // Unordered and unreliable through the same loss: each arrives once or not at all.
            ada.evalAsync("""
                    const ch = dc.open('lossy', {ordered: false, maxRetransmits: 0});
                    await new Promise(r => { if (ch.readyState === 'open') r(); else ch.onopen = r; });
                    for (let i = 0; i < 1000; i++) {
                      dc.send('lossy', 'u' + i);
                      if (i % 50 === 49) await new Promise(r => setTimeout(r, 20));
                    }
                    """);
            Thread.sleep(3000);
        }
        Map<?, ?> lossy = (Map<?, ?>) bo.eval("""
                const got = dc.got.filter(m => m.label === 'lossy').map(m => m.text);
                const valid = got.filter(t => /^u[0-9]+$/.test(t) && Number(t.slice(1)) < 1000);
                return {received: got.length, distinct: new Set(got).size, valid: valid.length};
                """);
        System.out.println("unreliable, unordered through 5 % loss: " + lossy + " of 1000");
        assertEquals(lossy.get("received"), lossy.get("distinct"), "never duplicated: " + lossy);
        assertEquals(lossy.get("received"), lossy.get("valid"), "only what was sent: " + lossy);
        // A lost packet carries dozens of these small messages, so how many arrive varies a lot
        // (573 of 1000 in one run); some must.
        assertTrue(((Number) lossy.get("received")).intValue() > 100, "delivered: " + lossy);
        bo.eval("dc.got = dc.got.filter(m => m.label !== 'lossy');");
        Map<?, ?> order = (Map<?, ?>) bo.eval("""
                let inOrder = 0; const seen = new Set();
                dc.got.forEach((m, i) => { if (m.text === String(i)) inOrder++; seen.add(m.text); });
                return {count: dc.got.length, inOrder, distinct: seen.size, from: dc.got[0].from};
                """);
        assertEquals(10000L, order.get("count"), "every message, none twice: " + order);
        assertEquals(10000L, order.get("inOrder"), "all in order: " + order);
        assertEquals(adaId, order.get("from"));

        // 256 KiB as one message: a plain string, which is for the whole room and needs no
        // envelope (browsers send at most 256 KiB, whatever the SFU offers).
        Map<?, ?> sent = (Map<?, ?>) ada.eval("""
                const chars = [];
                for (let i = 0; i < 256 * 1024; i++) chars.push(String.fromCharCode(97 + (i * 7 + 3) % 26));
                const message = chars.join('');
                const payload = new TextEncoder().encode(message);
                let sum = 0; for (let i = 0; i < payload.length; i++) sum = (sum + payload[i] * (i % 251 + 1)) % 1000000007;
                dc.channels.bulk.send(message);
                return {size: payload.length, sum};
                """);
        bo.waitUntil("the 256 KiB message at Bo", DELIVERY,
                () -> ((Number) bo.eval("return dc.got.length;")).intValue() == 10001);
        Map<?, ?> large = (Map<?, ?>) bo.eval("return dc.got[10000];");
        assertEquals(sent.get("size"), large.get("size"), "intact: " + large);
        assertEquals(sent.get("sum"), large.get("sum"), "intact: " + large);
        assertEquals(Boolean.TRUE, large.get("textFlag"), "a string stays text: " + large);
    }

    private BrowserPage join(String room, String name) {
        BrowserPage page = chromium.open(server.http("/room/" + room + "?name=" + name).toString());
        page.waitUntilTrue("window.atrium && window.atrium.state === 'connected' && window.atrium.participantId",
                CONNECT);
        return page;
    }

    private static String id(BrowserPage page) {
        return (String) page.eval("return window.atrium.participantId;");
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(BrowserPage page, String label) {
        return (List<String>) page.eval("return dc.texts(arguments[0]);", label);
    }
}
