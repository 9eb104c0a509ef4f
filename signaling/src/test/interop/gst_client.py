#!/usr/bin/python3
"""A GStreamer webrtcbin participant of an Atrium room, written from docs/signaling.md alone.

    /usr/bin/python3 gst_client.py ws://127.0.0.1:8080/ws ROOM NAME

Publishes videotestsrc -> vp8enc and audiotestsrc -> opusenc, answers every offer of the SFU,
decodes every track it receives, and prints progress lines on stdout as aiortc_client.py does
(JOINED, OFFER, DECODED video|audio <participantId> <frames>, ERROR, LEFT).

Runs until SIGTERM, SIGINT or the end of stdin; then leaves the room and exits 0.
Needs GStreamer 1.22 (Debian gstreamer1.0-plugins-{base,good,bad}, gstreamer1.0-nice,
python3-gst-1.0, gir1.2-gst-plugins-bad-1.0) and python3-websockets. GLib's main loop runs the
pipeline on the main thread; the WebSocket runs on an asyncio loop in another thread.
"""

import asyncio
import json
import re
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402
import websockets  # noqa: E402

REPORT_EVERY = 0.5  # seconds between DECODED lines of one track
CAPS_WAIT = 5.0  # seconds to wait for the encoders' caps before answering anyway
# The SSRCs we send; an answer that sends one stream must name them (a=ssrc).
AUDIO_SSRC, VIDEO_SSRC = 11111111, 22222222

AUDIO = (f"audiotestsrc is-live=true wave=sine freq=440 volume=0.1 ! audioconvert ! audioresample"
         f" ! opusenc ! rtpopuspay pt=111 ssrc={AUDIO_SSRC} ! queue")
VIDEO = (f"videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1"
         f" ! videoconvert ! vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 target-bitrate=300000"
         f" ! rtpvp8pay pt=96 picture-id-mode=15-bit ssrc={VIDEO_SSRC} ! queue")


def say(*words):
    print(*words, flush=True)


class Client:
    def __init__(self, url, room, name):
        self.url, self.room, self.name = url, room, name
        self.main = GLib.MainLoop()
        self.pipe = Gst.Pipeline.new("client")
        self.webrtc = Gst.ElementFactory.make("webrtcbin", "webrtc")
        self.webrtc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        self.pipe.add(self.webrtc)
        # libnice leaves loopback interfaces out; on loopback 127.0.0.1 is the only address.
        # Keep the agent referenced: in 1.22's Python bindings its floating reference is not sunk.
        self.ice = self.webrtc.get_property("ice-agent")
        if not self.ice.emit("add-local-ip-address", "127.0.0.1"):
            say("ERROR local-address add-local-ip-address 127.0.0.1 refused")
        self._no_upnp()
        self.webrtc.connect("on-ice-candidate", self.on_ice_candidate)
        self.webrtc.connect("pad-added", self.on_pad_added)
        self.owner_of_mid = {}
        self.offers = []  # offers not yet answered, oldest first (the SFU sends one at a time)
        self.busy = False
        self.published = False
        self.ws = None
        self.aloop = None

    def _no_upnp(self):
        """No UPnP discovery: it would multicast on the LAN (nothing may leave loopback)."""
        if self.ice.find_property("upnp") is not None:
            self.ice.set_property("upnp", False)

    # --- WebSocket (asyncio thread) -----------------------------------------------------------

    def start_websocket(self):
        ready = threading.Event()

        def run():
            self.aloop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.aloop)
            ready.set()
            self.aloop.run_until_complete(self.read())
            GLib.idle_add(self.quit)

        threading.Thread(target=run, daemon=True).start()
        ready.wait()

    async def read(self):
        try:
            async with websockets.connect(self.url, max_size=None) as ws:
                self.ws = ws
                await ws.send(json.dumps({"type": "join", "room": self.room, "name": self.name}))
                async for text in ws:
                    GLib.idle_add(self.on_message, json.loads(text))
        except Exception as e:  # a closed connection ends the client
            say("ERROR websocket", repr(e))

    def send(self, message):
        if self.ws is not None:
            asyncio.run_coroutine_threadsafe(self.ws.send(json.dumps(message)), self.aloop)

    # --- Signaling (GLib main thread) ---------------------------------------------------------

    def on_message(self, message):
        kind = message.get("type")
        if kind == "joined":
            say("JOINED", message["participantId"])
        elif kind == "offer":
            self.offers.append(message)
            self.next_offer()
        elif kind == "error":
            say("ERROR", message.get("code"), message.get("message"))
        return False

    def next_offer(self):
        if self.busy or not self.offers:
            return
        self.busy = True
        offer = self.offers.pop(0)
        self.owner_of_mid = {s["mid"]: s["participantId"] for s in offer.get("subscribe", [])}
        # Decline simulcast (docs/signaling.md allows it): we send one stream per kind.
        sdp = re.sub(r"a=(rid|simulcast):[^\r\n]*\r\n", "", offer["sdp"])
        _, message = GstSdp.SDPMessage.new_from_text(sdp)
        description = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.OFFER, message)
        promise = Gst.Promise.new_with_change_func(lambda _p: GLib.idle_add(self.on_remote_set, offer))
        self.webrtc.emit("set-remote-description", description, promise)

    def on_remote_set(self, offer):
        if not self.published:
            self.published = True
            self.publish(offer)
        self.when_caps_known(time.monotonic() + CAPS_WAIT, lambda: self.create_answer(offer))
        return False

    def publish(self, offer):
        """Sends our test sources in the publish sections: mid "0" (audio) and "1" (video)."""
        for section in offer.get("publish", []):
            source = {"microphone": AUDIO, "camera": VIDEO}.get(section["source"])
            if source is None:
                continue
            transceiver = self.transceiver(section["mid"])
            transceiver.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
            branch = Gst.parse_bin_from_description(source, True)
            self.pipe.add(branch)
            # sink_<m-line index> attaches the pad to the transceiver of that m-line.
            pad = self.webrtc.request_pad_simple(f"sink_{transceiver.get_property('mlineindex')}")
            branch.get_static_pad("src").link(pad)
            branch.sync_state_with_parent()

    def transceiver(self, mid):
        for index in range(64):
            t = self.webrtc.emit("get-transceiver", index)
            if t is None:
                break
            if t.get_property("mid") == mid:
                return t
        raise LookupError(f"no transceiver for mid {mid}")

    def when_caps_known(self, deadline, then):
        """Runs `then` once every sink pad has caps (their SSRCs go in the answer), or at `deadline`."""
        pads = [p for p in self.webrtc.sinkpads if p.get_name().startswith("sink_")]
        if all(p.get_current_caps() is not None for p in pads) or time.monotonic() > deadline:
            then()
            return False
        GLib.timeout_add(50, self.when_caps_known, deadline, then)
        return False

    def create_answer(self, offer):
        def on_answer(promise):
            # Read the SDP while the promise that produced it is alive (else 1.22 crashes).
            answer = promise.get_reply().get_value("answer")
            text = answer.sdp.as_text()
            self.webrtc.emit("set-local-description", answer, Gst.Promise.new())
            GLib.idle_add(self.send_answer, offer, text)

        self.webrtc.emit("create-answer", None, Gst.Promise.new_with_change_func(on_answer))

    def send_answer(self, offer, sdp):
        self.send({"type": "answer", "version": offer["version"], "sdp": sdp})
        say("OFFER", offer["version"], len(self.owner_of_mid))
        self.busy = False
        self.next_offer()
        return False

    def on_ice_candidate(self, _element, _mline, candidate):
        # Everything is bundled: no sdpMid needed (docs/signaling.md).
        self.send({"type": "candidate", "candidate": candidate})

    # --- Receiving ----------------------------------------------------------------------------

    def on_pad_added(self, _element, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        mid = pad.get_property("transceiver").get_property("mid")
        decode = Gst.parse_bin_from_description("queue ! decodebin name=d", True)
        self.pipe.add(decode)
        decode.get_by_name("d").connect("pad-added", lambda _d, p: self.on_decoded_pad(decode, p, mid))
        decode.sync_state_with_parent()
        pad.link(decode.get_static_pad("sink"))

    def on_decoded_pad(self, bin_, pad, mid):
        kind = "video" if pad.query_caps(None).to_string().startswith("video/") else "audio"
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        bin_.add(sink)  # beside decodebin, inside the same bin: no ghost pad needed
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))
        state = {"frames": 0, "owner": None, "last": 0.0}

        def count(_pad, _info):
            owner = self.owner_of_mid.get(mid)
            if owner != state["owner"]:  # a section reused by a later participant counts afresh
                state["frames"], state["owner"] = 0, owner
            state["frames"] += 1
            if owner and time.monotonic() - state["last"] >= REPORT_EVERY:
                state["last"] = time.monotonic()
                say("DECODED", kind, owner, state["frames"])
            return Gst.PadProbeReturn.OK

        pad.add_probe(Gst.PadProbeType.BUFFER, count)

    # --- Life ---------------------------------------------------------------------------------

    def run(self):
        self.pipe.set_state(Gst.State.PLAYING)
        self.start_websocket()
        for sig in (signal.SIGTERM, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, self.quit)

        # The end of stdin (the test closing its pipe, or the test JVM dying) stops us too.
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            GLib.idle_add(self.quit)

        threading.Thread(target=watch_stdin, daemon=True).start()
        self.main.run()
        self.pipe.set_state(Gst.State.NULL)
        say("LEFT")

    def quit(self):
        if self.ws is not None and self.aloop is not None and self.aloop.is_running():
            sent = asyncio.run_coroutine_threadsafe(self.ws.send(json.dumps({"type": "leave"})), self.aloop)
            try:
                sent.result(timeout=2)
            except Exception:
                pass
        self.main.quit()
        return False


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gst_client.py SIGNALING_URL ROOM NAME")
    Gst.init(None)
    Client(*sys.argv[1:]).run()


if __name__ == "__main__":
    main()
