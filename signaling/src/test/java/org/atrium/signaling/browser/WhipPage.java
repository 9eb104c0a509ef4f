package org.atrium.signaling.browser;

import java.util.Map;

/**
 * A browser page as a WHIP publisher or WHEP player, in the page's own JavaScript: an
 * RTCPeerConnection whose offer it POSTs, as any WHIP or WHEP client in a browser does. Each
 * session has a key; the page keeps it in {@code window.whip[key]}.
 */
final class WhipPage {

    /**
     * Defines {@code window.whipStart(key, url, publish, simulcast)} and {@code window.whipColour(key)}
     * in the page. A simulcast publisher films 1280x720 (libwebrtc sends three encodings from
     * 960x540 up) and sends three encodings, lowest resolution first, as
     * docs/whip-whep.md asks.
     */
    private static final String SETUP = """
            if (window.whipStart) return;
            window.whip = {};
            window.whipStart = async (key, url, publish, simulcast) => {
              const pc = new RTCPeerConnection();
              const session = {pc, video: null};
              window.whip[key] = session;
              if (publish) {
                const size = simulcast ? {width: 1280, height: 720} : {width: 320, height: 240};
                const media = await navigator.mediaDevices.getUserMedia({audio: true, video: size});
                for (const track of media.getTracks()) {
                  const encodings = simulcast && track.kind === 'video'
                      ? [{rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}]
                      : undefined;
                  pc.addTransceiver(track, {direction: 'sendonly', sendEncodings: encodings});
                }
              } else {
                pc.addTransceiver('audio', {direction: 'recvonly'});
                pc.addTransceiver('video', {direction: 'recvonly'});
                pc.ontrack = event => {
                  if (event.track.kind !== 'video') return;
                  const video = document.createElement('video');
                  video.muted = true;
                  video.autoplay = true;
                  video.playsInline = true;
                  video.srcObject = new MediaStream([event.track]);
                  document.body.appendChild(video);
                  session.video = video;
                };
              }
              await pc.setLocalDescription(await pc.createOffer());
              // All candidates in the offer: a WHIP client may also trickle them with PATCH.
              await new Promise(resolve => {
                if (pc.iceGatheringState === 'complete') return resolve();
                pc.addEventListener('icegatheringstatechange', () => {
                  if (pc.iceGatheringState === 'complete') resolve();
                });
              });
              const response = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/sdp'},
                  body: pc.localDescription.sdp});
              const text = await response.text();
              if (response.status !== 201) throw new Error('POST ' + url + ': ' + response.status + ' ' + text);
              session.location = new URL(response.headers.get('Location'), url).toString();
              await pc.setRemoteDescription({type: 'answer', sdp: text});
              return session.location;
            };
            // An ICE restart as a WHIP client makes one (RFC 9725 4.3.2): the new offer's credentials
            // and candidates in a PATCH with If-Match: *, the SFU's new ones into the old answer.
            window.whipRestartIce = async key => {
              const session = window.whip[key];
              const pc = session.pc;
              pc.restartIce();
              await pc.setLocalDescription(await pc.createOffer());
              await new Promise(resolve => {
                if (pc.iceGatheringState === 'complete') return resolve();
                pc.addEventListener('icegatheringstatechange', () => {
                  if (pc.iceGatheringState === 'complete') resolve();
                });
              });
              const offer = pc.localDescription.sdp;
              const value = (sdp, name) => sdp.split(/\\r?\\n/).find(l => l.startsWith('a=' + name + ':')).slice(name.length + 3);
              const mid = value(offer, 'mid');
              const candidates = offer.split(/\\r?\\n/).filter(l => l.startsWith('a=candidate:'));
              const fragment = ['a=ice-ufrag:' + value(offer, 'ice-ufrag'), 'a=ice-pwd:' + value(offer, 'ice-pwd'),
                  'm=audio 9 UDP/TLS/RTP/SAVPF 0', 'a=mid:' + mid, ...candidates, 'a=end-of-candidates', ''].join('\\r\\n');
              const response = await fetch(session.location, {method: 'PATCH', headers: {
                  'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*'}, body: fragment});
              const text = await response.text();
              if (response.status !== 200) throw new Error('PATCH: ' + response.status + ' ' + text);
              const answer = pc.remoteDescription.sdp
                  .replace(/a=ice-ufrag:.*\\r\\n/g, 'a=ice-ufrag:' + value(text, 'ice-ufrag') + '\\r\\n')
                  .replace(/a=ice-pwd:.*\\r\\n/g, 'a=ice-pwd:' + value(text, 'ice-pwd') + '\\r\\n');
              await pc.setRemoteDescription({type: 'answer', sdp: answer});
              return value(text, 'ice-ufrag');
            };
            window.whipColour = key => {
              const video = window.whip[key] && window.whip[key].video;
              if (!video || video.videoWidth === 0) return null;
              const canvas = document.createElement('canvas');
              canvas.width = video.videoWidth;
              canvas.height = video.videoHeight;
              const context = canvas.getContext('2d');
              context.drawImage(video, 0, 0);
              const w = canvas.width, h = canvas.height;
              const data = context.getImageData(w / 4, h / 4, w / 2, h / 2).data;
              const sum = [0, 0, 0];
              for (let i = 0; i < data.length; i += 4) {
                sum[0] += data[i]; sum[1] += data[i + 1]; sum[2] += data[i + 2];
              }
              const n = data.length / 4;
              return sum.map(v => Math.round(v / n));
            };
            """;

    private WhipPage() {
    }

    /** Starts a session in the page: POSTs its offer to {@code url}, applies the answer; returns the session URL. */
    static String start(BrowserPage page, String key, String url, boolean publish) {
        return start(page, key, url, publish, false);
    }

    static String start(BrowserPage page, String key, String url, boolean publish, boolean simulcast) {
        page.eval(SETUP);
        return (String) page.evalAsync("return await window.whipStart(args[0], args[1], args[2], args[3]);", key, url,
                publish, simulcast);
    }

    /** Restarts the session's ICE through a PATCH; returns the SFU's new ICE ufrag. */
    static String restartIce(BrowserPage page, String key) {
        return (String) page.evalAsync("return await window.whipRestartIce(args[0]);", key);
    }

    /** The mean colour of the middle of the session's video as {r, g, b}, or null before its first frame. */
    static int[] colour(BrowserPage page, String key) {
        Object value = page.eval("return window.whipColour(arguments[0]);", key);
        if (!(value instanceof java.util.List<?> list) || list.size() != 3) {
            return null;
        }
        return new int[] {((Number) list.get(0)).intValue(), ((Number) list.get(1)).intValue(),
                ((Number) list.get(2)).intValue()};
    }

    /** The session's video inbound-rtp: {@code ssrc}, {@code framesDecoded}; empty before any. */
    static Map<?, ?> inboundVideo(BrowserPage page, String key) {
        return (Map<?, ?>) page.evalAsync("""
                const stats = await window.whip[args[0]].pc.getStats();
                let video = {};
                stats.forEach(s => {
                  if (s.type === 'inbound-rtp' && s.kind === 'video') {
                    video = {ssrc: s.ssrc, framesDecoded: s.framesDecoded || 0, packetsLost: s.packetsLost || 0};
                  }
                });
                return video;
                """, key);
    }
}
