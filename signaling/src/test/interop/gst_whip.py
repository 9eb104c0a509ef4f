#!/usr/bin/python3
"""A WHIP publisher on GStreamer's webrtcbin, written from RFC 9725 and docs/whip-whep.md.

    /usr/bin/python3 gst_whip.py URL [--token T] [--codec vp8|h264] [--color R,G,B]

POSTs an offer that sends a generated picture (a solid colour with a ball of the inverse colour
moving across it, so that every frame differs) and a 440 Hz tone (Opus). GStreamer 1.22 has no
whipsink, so webrtcbin does the WebRTC and urllib the HTTP. The offer carries every candidate
(it is sent once ICE gathering is complete), so nothing is trickled. Progress on stdout, one line
each, as whip_client.py prints it:

    CREATED <status> <Location>
    REFUSED <status> <reason>
    STATE <connection state>
    ERROR <what> <detail>
    DELETED <status>

Runs until SIGTERM, SIGINT or the end of stdin; then DELETEs its session and exits 0. Exits 1
if the offer is refused or cannot be sent, 2 if --codec h264 and no H.264 encoder is installed.
Needs GStreamer 1.22 (Debian gstreamer1.0-plugins-{base,good,bad}, gstreamer1.0-nice,
python3-gst-1.0, gir1.2-gst-plugins-bad-1.0); H.264 needs x264enc or openh264enc.
"""

import argparse
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

from whip_http import request  # noqa: E402

CAPS_WAIT = 5.0  # seconds to wait for the encoders' caps before offering anyway
GATHER_WAIT = 5.0  # seconds to wait for ICE gathering to complete before offering anyway
# The SSRCs we send (webrtcbin writes them as a=ssrc lines); one msid stream holds both tracks.
AUDIO_SSRC, VIDEO_SSRC = 11111111, 22222222
STREAM = "gst-whip"

AUDIO = (f"audiotestsrc is-live=true wave=sine freq=440 volume=0.1 ! audioconvert ! audioresample"
         f" ! opusenc ! rtpopuspay pt=111 ssrc={AUDIO_SSRC} ! queue")
PICTURE = ("videotestsrc is-live=true pattern=ball background-color={background}"
           " foreground-color={foreground} ! video/x-raw,width=320,height=240,framerate=15/1"
           " ! videoconvert")
VP8 = (f"vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 target-bitrate=300000"
       f" ! rtpvp8pay pt=96 picture-id-mode=15-bit ssrc={VIDEO_SSRC}")
# Constrained baseline: the H.264 profile every WebRTC stack decodes (no B-frames).
H264_PAY = (f"video/x-h264,profile=constrained-baseline ! h264parse"
            f" ! rtph264pay pt=102 config-interval=-1 aggregate-mode=zero-latency ssrc={VIDEO_SSRC}")
H264_ENCODERS = {
    "x264enc": "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=300",
    "openh264enc": "openh264enc bitrate=300000 gop-size=30 complexity=low",
}


def say(*words):
    print(*words, flush=True)


def video_branch(codec, rgb):
    """The video source and encoder as a bin description, or None when no H.264 encoder exists."""
    colour = 0xFF000000 | rgb[0] << 16 | rgb[1] << 8 | rgb[2]  # ARGB, as videotestsrc takes it
    picture = PICTURE.format(background=colour, foreground=colour ^ 0x00FFFFFF)
    if codec == "vp8":
        encoder = VP8
    else:
        name = next((n for n in H264_ENCODERS if Gst.ElementFactory.find(n) is not None), None)
        if name is None:
            return None
        encoder = f"{H264_ENCODERS[name]} ! {H264_PAY}"
    return f"{picture} ! {encoder} ! queue"


def completed(sdp, candidates):
    """The offer as sent: our candidates in every m-section (all share one bundled transport),
    and the media-level a=msid of RFC 8830, which webrtcbin 1.22 writes only as a=ssrc msid:."""
    out, section = [], None

    def close_section():
        if section is None:
            return
        if not any(line.startswith("a=msid:") for line in section):
            msid = next((line.split(" ", 1)[1] for line in section if " msid:" in line), None)
            if msid is not None:
                section.append("a=" + msid)
        if not any(line.startswith("a=candidate:") for line in section):
            section.extend("a=" + c for c in candidates)
            section.append("a=end-of-candidates")
        out.extend(section)

    for line in sdp.replace("\r\n", "\n").rstrip("\n").split("\n"):
        if line.startswith("m="):
            close_section()
            section = [line]
        elif section is None:
            out.append(line)
        else:
            section.append(line)
    close_section()
    return "\r\n".join(out) + "\r\n"


class Publisher:
    def __init__(self, args, video):
        self.args = args
        self.main = GLib.MainLoop()
        self.pipe = Gst.Pipeline.new("publisher")
        self.webrtc = Gst.ElementFactory.make("webrtcbin", "webrtc")
        self.webrtc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        self.pipe.add(self.webrtc)
        # libnice leaves loopback interfaces out; on loopback 127.0.0.1 is the only address.
        # Keep the agent referenced: in 1.22's Python bindings its floating reference is not sunk.
        self.ice = self.webrtc.get_property("ice-agent")
        if not self.ice.emit("add-local-ip-address", "127.0.0.1"):
            say("ERROR local-address add-local-ip-address 127.0.0.1 refused")
        agent = self.ice.get_property("agent")  # no UPnP: it would multicast on the LAN
        if agent is not None and agent.find_property("upnp") is not None:
            agent.set_property("upnp", False)
        self.candidates = []
        self.offer = None  # the local offer's text, once created
        self.location = None
        self.sent = False
        self.quitting = False
        self.webrtc.connect("on-ice-candidate", lambda _e, _m, c: self.candidates.append(c))
        self.webrtc.connect("notify::ice-gathering-state", self.on_gathering)
        self.webrtc.connect("notify::connection-state", self.on_connection_state)
        for index, description in enumerate([AUDIO, video]):
            branch = Gst.parse_bin_from_description(description, True)
            self.pipe.add(branch)
            pad = self.webrtc.request_pad_simple(f"sink_{index}")
            pad.set_property("msid", STREAM)
            pad.get_property("transceiver").set_property(
                "direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
            branch.get_static_pad("src").link(pad)

    def headers(self, content_type=None):
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if self.args.token:
            headers["Authorization"] = "Bearer " + self.args.token
        return headers

    # --- Offer (GLib main thread unless noted) ------------------------------------------------

    def when_caps_known(self, deadline):
        """Offers once every sink pad has caps (their SSRCs go in the offer), or at `deadline`."""
        pads = [p for p in self.webrtc.sinkpads if p.get_name().startswith("sink_")]
        if all(p.get_current_caps() is not None for p in pads) or time.monotonic() > deadline:
            self.create_offer()
            return False
        GLib.timeout_add(50, self.when_caps_known, deadline)
        return False

    def create_offer(self):
        def on_offer(promise):  # on a webrtcbin thread
            # Read the SDP while the promise that produced it is alive (else 1.22 crashes).
            promise.wait()
            reply = promise.get_reply()
            if reply is None or not reply.has_field("offer"):
                say("ERROR create-offer", reply.to_string() if reply is not None else "no reply")
                GLib.idle_add(self.quit, 1)
                return
            offer = reply.get_value("offer")
            self.offer = offer.sdp.as_text()
            self.webrtc.emit("set-local-description", offer, Gst.Promise.new())
            GLib.timeout_add(int(GATHER_WAIT * 1000), self.send_offer, "gathering timed out")

        self.webrtc.emit("create-offer", None, Gst.Promise.new_with_change_func(on_offer))

    def on_gathering(self, _element, _pspec):  # on a webrtcbin thread
        if self.webrtc.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            GLib.idle_add(self.send_offer, None)

    def send_offer(self, timed_out):
        if self.sent or self.offer is None:
            return False
        self.sent = True
        if timed_out:
            say("ERROR ice-gathering", timed_out)
        if not self.candidates:
            say("ERROR ice-gathering no candidates")
        offer = completed(self.offer, self.candidates)
        try:
            status, headers, body = request("POST", self.args.url, offer.encode(), self.headers("application/sdp"))
        except (OSError, urllib.error.URLError) as e:
            say("ERROR post", repr(e))
            return self.quit(1)
        if status != 201:
            say("REFUSED", status, body.decode(errors="replace").strip())
            return self.quit(1)
        self.location = urllib.parse.urljoin(self.args.url, headers["Location"])
        say("CREATED", status, headers["Location"])
        ok, message = GstSdp.SDPMessage.new_from_text(body.decode())
        if ok != GstSdp.SDPResult.OK:
            say("ERROR answer unparsable")
            return self.quit(1)
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
        promise = Gst.Promise.new_with_change_func(lambda p: GLib.idle_add(self.on_remote_set, p.get_reply()))
        self.webrtc.emit("set-remote-description", answer, promise)
        return False

    def on_remote_set(self, reply):
        if reply is not None and reply.has_field("error"):
            say("ERROR set-remote-description", reply.get_value("error"))
        return False

    def on_connection_state(self, _element, _pspec):  # on a webrtcbin thread
        state = self.webrtc.get_property("connection-state")
        GLib.idle_add(lambda: say("STATE", state.value_nick) or False)

    # --- Life ---------------------------------------------------------------------------------

    def run(self):
        self.pipe.set_state(Gst.State.PLAYING)
        GLib.idle_add(self.when_caps_known, time.monotonic() + CAPS_WAIT)
        for sig in (signal.SIGTERM, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, self.quit)

        # The end of stdin (the test closing its pipe, or the test JVM dying) stops us too.
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            GLib.idle_add(self.quit)

        threading.Thread(target=watch_stdin, daemon=True).start()
        self.main.run()
        # Not sys.exit: the stdin thread is still blocked in read(), and Python 3.11 aborts at
        # shutdown on a daemon thread that holds stdin's lock.
        os._exit(self.code)

    def quit(self, code=0):
        if self.quitting:
            return False
        self.quitting, self.code = True, code
        if self.location is not None:
            try:
                status, _, _ = request("DELETE", self.location, None, self.headers())
                say("DELETED", status)
            except (OSError, urllib.error.URLError) as e:
                say("ERROR delete", repr(e))
        self.pipe.set_state(Gst.State.NULL)
        self.main.quit()
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--token")
    parser.add_argument("--codec", choices=["vp8", "h264"], default="vp8")
    parser.add_argument("--color", default="200,40,40")
    args = parser.parse_args()
    rgb = [int(c) for c in args.color.split(",")]
    if len(rgb) != 3 or not all(0 <= c <= 255 for c in rgb):
        parser.error("--color takes R,G,B, each 0-255")
    Gst.init(None)
    video = video_branch(args.codec, rgb)
    if video is None:
        say("ERROR codec h264 unavailable: neither x264enc nor openh264enc is installed")
        sys.exit(2)
    Publisher(args, video).run()


if __name__ == "__main__":
    main()
