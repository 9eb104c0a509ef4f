"""What the aiortc scripts share: aiortc on loopback, and paced generated tracks.

Importing this module makes aioice offer 127.0.0.1, which it otherwise leaves out of its
host addresses; on loopback it is the only one.
"""

import asyncio
import fractions
import math
import time

import aioice.ice
import numpy
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

SAMPLE_RATE, PTIME = 48000, 0.020


class PacedTrack(MediaStreamTrack):
    """A track that hands out a frame every `interval` seconds of wall clock."""

    def __init__(self, interval):
        super().__init__()
        self._interval = interval
        self._start = None
        self._count = 0

    async def _next(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            self._count += 1
            await asyncio.sleep(max(0, self._start + self._count * self._interval - time.time()))
        return self._count


class Tone(PacedTrack):
    """A 440 Hz tone of the amplitude given (0 is silence); `amplitude` may change while it plays."""

    kind = "audio"

    def __init__(self, amplitude=3000):
        super().__init__(PTIME)
        self._samples = int(SAMPLE_RATE * PTIME)
        self.amplitude = amplitude

    async def recv(self):
        n = await self._next()
        t = (numpy.arange(self._samples) + n * self._samples) / SAMPLE_RATE
        pcm = (self.amplitude * numpy.sin(2 * math.pi * 440 * t)).astype(numpy.int16).reshape(1, -1)
        frame = AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = n * self._samples
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        return frame
