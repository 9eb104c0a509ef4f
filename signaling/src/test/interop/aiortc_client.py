#!/usr/bin/python3
"""An aiortc participant of an Atrium room, written from docs/signaling.md alone.

    /usr/bin/python3 aiortc_client.py ws://127.0.0.1:8080/ws ROOM NAME

Publishes a generated picture (VP8) and tone (Opus), answers every offer of the SFU,
decodes every track it receives, and prints one progress line at a time on stdout:

    JOINED <participantId>
    OFFER <version> <number of subscribed sections>
    DECODED video|audio <participantId> <frames decoded so far>
    ERROR <code> <message>
    LEFT

Runs until SIGTERM, SIGINT or the end of stdin; then leaves the room and exits 0.
Needs Debian's python3-aiortc (aiortc 1.4) and python3-websockets.
"""

import asyncio
import fractions
import json
import signal
import sys
import threading
import time

import numpy
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from av import VideoFrame
import websockets

from aiortc_tracks import PacedTrack, Tone

WIDTH, HEIGHT, FPS = 320, 240, 15
REPORT_EVERY = 0.5  # seconds between DECODED lines of one track


def say(*words):
    print(*words, flush=True)


class TestPattern(PacedTrack):
    """Moving luma bars, so that every frame differs and the encoder keeps sending."""

    kind = "video"

    def __init__(self):
        super().__init__(1 / FPS)
        self._bars = (numpy.arange(WIDTH, dtype=numpy.uint16) * 4 % 256).astype(numpy.uint8)

    async def recv(self):
        n = await self._next()
        yuv = numpy.full((HEIGHT * 3 // 2, WIDTH), 128, dtype=numpy.uint8)
        yuv[:HEIGHT, :] = numpy.roll(self._bars, n * 4)
        frame = VideoFrame.from_ndarray(yuv, format="yuv420p")
        frame.pts = n * (90000 // FPS)
        frame.time_base = fractions.Fraction(1, 90000)
        return frame


class Client:
    def __init__(self, url, room, name):
        self.url, self.room, self.name = url, room, name
        # An explicit empty list: left unset, aiortc would ask a public STUN server.
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.audio, self.video = Tone(), TestPattern()
        self.owner_of_mid = {}  # subscribed mid -> participantId, from the latest offer
        self.tasks = []
        self.pc.on("track", self.on_track)

    async def run(self, stop):
        async with websockets.connect(self.url, max_size=None) as ws:
            await ws.send(json.dumps({"type": "join", "room": self.room, "name": self.name}))
            reader = asyncio.ensure_future(self.read(ws))
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait([reader, stopped], return_when=asyncio.FIRST_COMPLETED)
            if not reader.done():
                await ws.send(json.dumps({"type": "leave"}))
                reader.cancel()
        for task in self.tasks:
            task.cancel()
        await self.pc.close()
        say("LEFT")

    async def read(self, ws):
        async for text in ws:
            message = json.loads(text)
            kind = message.get("type")
            if kind == "joined":
                say("JOINED", message["participantId"])
            elif kind == "offer":
                await self.answer(ws, message)
            elif kind == "error":
                say("ERROR", message.get("code"), message.get("message"))

    async def answer(self, ws, offer):
        self.owner_of_mid = {s["mid"]: s["participantId"] for s in offer.get("subscribe", [])}
        await self.pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        tracks = {"audio": self.audio, "video": self.video}
        for transceiver in self.pc.getTransceivers():
            # The publish sections ("0" microphone, "1" camera): send our track in them.
            for section in offer.get("publish", []):
                if section["mid"] == transceiver.mid and section["source"] in ("microphone", "camera"):
                    transceiver.direction = "sendonly"
                    if transceiver.sender.track is None:
                        transceiver.sender.replaceTrack(tracks[section["kind"]])
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        # aiortc does not trickle: its candidates are in the answer's SDP.
        await ws.send(json.dumps({"type": "answer", "version": offer["version"],
                                  "sdp": self.pc.localDescription.sdp}))
        say("OFFER", offer["version"], len(self.owner_of_mid))

    def on_track(self, track):
        transceiver = next(t for t in self.pc.getTransceivers() if t.receiver.track is track)
        self.tasks.append(asyncio.ensure_future(self.decode(track, transceiver.mid)))

    async def decode(self, track, mid):
        """Reads decoded frames; a section reused by a later participant counts afresh."""
        frames, owner, last = 0, None, 0.0
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                return
            now_owner = self.owner_of_mid.get(mid)
            if now_owner != owner:
                frames, owner = 0, now_owner
            frames += 1
            if owner and time.monotonic() - last >= REPORT_EVERY:
                last = time.monotonic()
                say("DECODED", track.kind, owner, frames)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: aiortc_client.py SIGNALING_URL ROOM NAME")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    # The end of stdin (the test closing its pipe, or the test JVM dying) stops us too.
    def watch_stdin():
        while sys.stdin.buffer.read(4096):
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    loop.run_until_complete(Client(*sys.argv[1:]).run(stop))


if __name__ == "__main__":
    main()
