#!/usr/bin/python3
"""A WHIP publisher or WHEP player on aiortc, written from RFC 9725 and docs/whip-whep.md.

    /usr/bin/python3 whip_client.py publish URL [--token T] [--color R,G,B] [--trickle]
    /usr/bin/python3 whip_client.py play URL [--token T]

publish POSTs an offer that sends a generated picture (VP8: a solid colour with a moving bar)
and a tone (Opus); with --trickle its candidates are left out of the offer and sent in a PATCH
after the answer, as a trickling client does. play POSTs an offer that receives one audio and
one video track and decodes them. Progress on stdout, one line each:

    CREATED <status> <Location>
    REFUSED <status> <reason>
    PATCHED <status>
    STATE <connection state>
    DECODED video|audio <frames decoded so far>
    COLOR <r> <g> <b>        (play: the mean colour of the middle of the latest frame)
    DELETED <status>

A publisher's tone can be turned off and on by writing "quiet" or "loud" lines to its stdin
(--quiet starts it off), which makes it the room's active speaker or not. Runs until SIGTERM,
SIGINT or the end of stdin; then DELETEs its session and exits 0.
Needs Debian's python3-aiortc (aiortc 1.4).
"""

import argparse
import asyncio
import fractions
import signal
import sys
import threading
import time
import urllib.parse

import numpy
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from av import VideoFrame

from aiortc_tracks import PacedTrack, Tone
from whip_http import request

WIDTH, HEIGHT, FPS = 320, 240, 15
REPORT_EVERY = 0.5
LOUD = 6000


def say(*words):
    print(*words, flush=True)


class ColourPicture(PacedTrack):
    """A solid colour with a bar moving across it, so that every frame differs."""

    kind = "video"

    def __init__(self, rgb):
        super().__init__(1 / FPS)
        self._rgb = numpy.zeros((HEIGHT, WIDTH, 3), dtype=numpy.uint8)
        self._rgb[:, :] = rgb

    async def recv(self):
        n = await self._next()
        rgb = self._rgb.copy()
        x = (n * 8) % WIDTH
        rgb[:, x:x + 8] = 255 - rgb[:, x:x + 8]
        frame = VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts = n * (90000 // FPS)
        frame.time_base = fractions.Fraction(1, 90000)
        return frame


def without_candidates(sdp):
    return "".join(line + "\r\n" for line in sdp.splitlines()
                   if not line.startswith("a=candidate:") and line != "a=end-of-candidates")


def fragment(sdp):
    """The offer's ICE credentials and candidates as a trickle-ice-sdpfrag (RFC 8840)."""
    lines = sdp.splitlines()
    ufrag = next(line for line in lines if line.startswith("a=ice-ufrag:"))
    pwd = next(line for line in lines if line.startswith("a=ice-pwd:"))
    mid = next(line for line in lines if line.startswith("a=mid:"))
    candidates = [line for line in lines if line.startswith("a=candidate:")]
    return "\r\n".join([ufrag, pwd, "m=audio 9 UDP/TLS/RTP/SAVPF 0", mid] + candidates
                       + ["a=end-of-candidates", ""])


class Session:
    def __init__(self, args):
        self.args = args
        # An explicit empty list: left unset, aiortc would ask a public STUN server.
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.location = None
        self.tone = Tone(0 if args.quiet else LOUD)
        self.tasks = []
        self.pc.on("connectionstatechange", lambda: say("STATE", self.pc.connectionState))
        self.pc.on("track", self.on_track)

    def headers(self, content_type=None):
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if self.args.token:
            headers["Authorization"] = "Bearer " + self.args.token
        return headers

    async def run(self, stop):
        if self.args.mode == "publish":
            colour = [int(c) for c in self.args.color.split(",")]
            self.pc.addTransceiver(self.tone, direction="sendonly")
            self.pc.addTransceiver(ColourPicture(colour), direction="sendonly")
        else:
            self.pc.addTransceiver("audio", direction="recvonly")
            self.pc.addTransceiver("video", direction="recvonly")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        offer = self.pc.localDescription.sdp
        body = without_candidates(offer) if self.args.trickle else offer
        status, headers, answer = await asyncio.to_thread(
            request, "POST", self.args.url, body.encode(), self.headers("application/sdp"))
        if status != 201:
            say("REFUSED", status, answer.decode(errors="replace").strip())
            await self.pc.close()
            return
        self.location = urllib.parse.urljoin(self.args.url, headers["Location"])
        say("CREATED", status, headers["Location"])
        await self.pc.setRemoteDescription(RTCSessionDescription(answer.decode(), "answer"))
        if self.args.trickle:
            patch_headers = self.headers("application/trickle-ice-sdpfrag")
            patch_headers["If-Match"] = headers["ETag"]
            status, _, _ = await asyncio.to_thread(
                request, "PATCH", self.location, fragment(offer).encode(), patch_headers)
            say("PATCHED", status)
        await stop.wait()
        for task in self.tasks:
            task.cancel()
        status, _, _ = await asyncio.to_thread(request, "DELETE", self.location, None, self.headers())
        say("DELETED", status)
        await self.pc.close()

    def on_track(self, track):
        self.tasks.append(asyncio.ensure_future(self.decode(track)))

    async def decode(self, track):
        frames, last = 0, 0.0
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            frames += 1
            if time.monotonic() - last >= REPORT_EVERY:
                last = time.monotonic()
                say("DECODED", track.kind, frames)
                if track.kind == "video":
                    rgb = frame.to_ndarray(format="rgb24")
                    h, w = rgb.shape[0], rgb.shape[1]
                    middle = rgb[h // 4:3 * h // 4, w // 4:3 * w // 4].reshape(-1, 3).mean(axis=0)
                    say("COLOR", *(int(c) for c in middle))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["publish", "play"])
    parser.add_argument("url")
    parser.add_argument("--token")
    parser.add_argument("--color", default="200,40,40")
    parser.add_argument("--trickle", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    session = Session(args)

    def set_loud(loud):
        session.tone.amplitude = LOUD if loud else 0
        say("TONE", "loud" if loud else "quiet")

    # "quiet" and "loud" lines switch the tone; the end of stdin (the test closing its pipe,
    # or the test JVM dying) stops us.
    def watch_stdin():
        for line in sys.stdin:
            if line.strip() in ("quiet", "loud"):
                loop.call_soon_threadsafe(set_loud, line.strip() == "loud")
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    loop.run_until_complete(session.run(stop))


if __name__ == "__main__":
    main()
