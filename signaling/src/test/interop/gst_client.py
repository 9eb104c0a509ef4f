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
import os
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
        self._configure_agent()
        self.webrtc.connect("on-ice-candidate", self.on_ice_candidate)
        self.webrtc.connect("pad-added", self.on_pad_added)
        self.owner_of_mid = {}
        self.offers = []  # offers not yet answered, oldest first (the SFU sends one at a time)
        self.busy = False
        self.published = False
        self.ws = None
        self.aloop = None

    def _configure_agent(self):
        """No UPnP discovery: it would multicast on the LAN, and nothing may leave loopback."""
        agent = self.ice.get_property("agent")  # the libnice NiceAgent behind webrtcbin's ICE
        if agent is not None and agent.find_property("upnp") is not None:
            agent.set_property("upnp", False)

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
        if not self.published:
            self.published = True
            self.publish(offer)
        self.when_caps_known(time.monotonic() + CAPS_WAIT, lambda: self.set_remote(offer))

    def set_remote(self, offer):
        # Decline simulcast (docs/signaling.md allows it): we send one stream per kind.
        sdp = re.sub(r"a=(rid|simulcast):[^\r\n]*\r\n", "", offer["sdp"])
        _, message = GstSdp.SDPMessage.new_from_text(sdp)
        description = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.OFFER, message)
        promise = Gst.Promise.new_with_change_func(lambda p: GLib.idle_add(self.on_remote_set, offer, p.get_reply()))
        self.webrtc.emit("set-remote-description", description, promise)

    def on_remote_set(self, offer, reply):
        if reply is not None and reply.has_field("error"):
            say("ERROR set-remote-description", reply.get_value("error"))
        self.create_answer(offer)
        return False

    def publish(self, offer):
        """Sends our test sources in the publish sections: mid "0" (audio) and "1" (video).

        webrtcbin 1.22 makes the transceivers of a remote offer only when it answers, so ours
        come first: a sink pad named sink_<m-line index> gets a transceiver bound to that m-line.
        """
        mids = re.findall(r"^a=mid:(\S+)", offer["sdp"], re.M)  # one per m-section, in order
        for section in offer.get("publish", []):
            source = {"microphone": AUDIO, "camera": VIDEO}.get(section["source"])
            if source is None or section["mid"] not in mids:
                continue
            branch = Gst.parse_bin_from_description(source, True)
            self.pipe.add(branch)
            pad = self.webrtc.request_pad_simple(f"sink_{mids.index(section['mid'])}")
            pad.get_property("transceiver").set_property(
                "direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
            branch.get_static_pad("src").link(pad)
            branch.sync_state_with_parent()

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
            promise.wait()
            reply = promise.get_reply()
            if reply is None or not reply.has_field("answer"):
                say("ERROR create-answer", reply.to_string() if reply is not None else "no reply")
                return
            answer = reply.get_value("answer")
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
        caps = (pad.get_current_caps() or pad.query_caps(None)).to_string()
        # Each codec the SFU may send us (we answered Opus and VP8); decodebin is avoided on
        # purpose: in 1.22 it fails to link RTP caps here, and a failed link stops nicesrc.
        if "OPUS" in caps.upper():
            kind, chain = "audio", "rtpopusdepay ! opusdec"
        elif "VP8" in caps.upper():
            kind, chain = "video", "rtpvp8depay ! vp8dec"
        else:
            kind, chain = None, "fakesink sync=false"
        decode = Gst.parse_bin_from_description(
            f"queue ! {chain}" + (" ! fakesink name=out sync=false" if kind else ""), True)
        self.pipe.add(decode)
        decode.sync_state_with_parent()
        pad.link(decode.get_static_pad("sink"))
        if kind:
            self.count_frames(decode.get_by_name("out").get_static_pad("sink"), kind, mid)
        else:
            say("ERROR codec mid", mid, caps)

    def count_frames(self, pad, kind, mid):
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
        # Not sys.exit: the stdin thread is still blocked in read(), and Python 3.11 aborts at
        # shutdown on a daemon thread that holds stdin's lock.
        os._exit(0)

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
