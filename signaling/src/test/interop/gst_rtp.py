#!/usr/bin/python3
"""The codecs of werift_client.mjs (werift has none): GStreamer on loopback UDP.

    gst_rtp.py send AUDIO_PORT VIDEO_PORT   Opus (pt 111) and VP8 (pt 96) RTP to 127.0.0.1
    gst_rtp.py decode audio|video PORT      decodes the RTP it gets on 127.0.0.1:PORT and prints
                                            "FRAMES <decoded so far>" about twice a second

Runs until SIGTERM, SIGINT or the end of stdin.
"""

import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

SEND = ("audiotestsrc is-live=true wave=sine freq=440 volume=0.1 ! audioconvert ! audioresample"
        " ! opusenc ! rtpopuspay pt=111 ! udpsink host=127.0.0.1 port={audio} sync=false"
        " videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1"
        " ! videoconvert ! vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 target-bitrate=300000"
        " ! rtpvp8pay pt=96 picture-id-mode=15-bit mtu=1200 ! udpsink host=127.0.0.1 port={video} sync=false")
DECODE = {  # kind -> (the RTP's caps, depayloader and decoder)
    "audio": ("application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111",
              "rtpopusdepay ! opusdec"),
    "video": ("application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96",
              "rtpvp8depay ! vp8dec"),
}


def main():
    Gst.init(None)
    if sys.argv[1:2] == ["send"] and len(sys.argv) == 4:
        pipe = Gst.parse_launch(SEND.format(audio=int(sys.argv[2]), video=int(sys.argv[3])))
    elif sys.argv[1:2] == ["decode"] and len(sys.argv) == 4 and sys.argv[2] in DECODE:
        caps, chain = DECODE[sys.argv[2]]
        pipe = Gst.parse_launch(f'udpsrc address=127.0.0.1 port={int(sys.argv[3])} caps="{caps}"'
                                f" ! rtpjitterbuffer latency=50 ! {chain} ! fakesink name=out sync=false")
        frames, last = [0], [0.0]

        def count(_pad, _info):
            frames[0] += 1
            if time.monotonic() - last[0] >= 0.5:
                last[0] = time.monotonic()
                print("FRAMES", frames[0], flush=True)
            return Gst.PadProbeReturn.OK

        pipe.get_by_name("out").get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, count)
    else:
        sys.exit("usage: gst_rtp.py send AUDIO_PORT VIDEO_PORT | decode audio|video PORT")

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)

    def watch_stdin():
        while sys.stdin.buffer.read(4096):
            pass
        GLib.idle_add(loop.quit)

    threading.Thread(target=watch_stdin, daemon=True).start()
    pipe.set_state(Gst.State.PLAYING)
    loop.run()
    pipe.set_state(Gst.State.NULL)


if __name__ == "__main__":
    main()
