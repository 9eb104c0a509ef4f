// A werift participant of an Atrium room, written from docs/signaling.md alone.
//
//   node --experimental-websocket werift_client.mjs ws://127.0.0.1:8080/ws ROOM NAME
//
// werift has no codecs: ../gst_rtp.py encodes our test picture (VP8) and tone (Opus) into RTP
// on loopback UDP, which we write into the published tracks, and decodes (one process per
// received track) the RTP we forward to it. Progress lines on stdout as aiortc_client.py prints
// them (JOINED, OFFER, DECODED video|audio <participantId> <frames>, ERROR, LEFT). Runs until
// SIGTERM, SIGINT or the end of stdin; then leaves the room, stops its helpers and exits 0.
// Node 20 has WebSocket only behind --experimental-websocket (werift 0.25+ needs Node 22).

import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import readline from 'node:readline';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters } from 'werift';

const [url, room, name] = process.argv.slice(2);
if (!name) {
  console.error('usage: werift_client.mjs SIGNALING_URL ROOM NAME');
  process.exit(2);
}
const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'gst_rtp.py');
const say = (...words) => process.stdout.write(words.join(' ') + '\n');
process.stdout.on('error', () => stop()); // the reader went away (EPIPE): nobody to report to
const helpers = new Set();

function helper(...args) {
  const child = spawn('/usr/bin/python3', ['-u', HELPER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  helpers.add(child);
  child.on('exit', () => helpers.delete(child));
  return child;
}

/** A UDP socket on 127.0.0.1 and a free port. */
async function udpSocket() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

async function freePort() {
  const socket = await udpSocket();
  const port = socket.address().port;
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

const pc = new RTCPeerConnection({
  bundlePolicy: 'max-bundle',
  // The SFU's payload types (docs/signaling.md): Opus 111, VP8 96.
  codecs: {
    audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
    video: [new RTCRtpCodecParameters({
      mimeType: 'video/VP8', clockRate: 90000, payloadType: 96,
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }],
    })],
  },
  // Loopback only: 127.0.0.1 as the one host address. A STUN server on loopback where nothing
  // listens, because with no iceServers at all werift falls back to a public one.
  iceServers: [{ urls: 'stun:127.0.0.1:3478' }],
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceInterfaceAddresses: { udp4: '127.0.0.1' },
  iceUseIpv4: false,
  iceUseIpv6: false,
});

const local = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
let ownerOfMid = new Map(); // subscribed mid -> participantId, from the latest offer
let published = false;

async function publish() {
  const audio = await udpSocket();
  const video = await udpSocket();
  audio.on('message', (rtp) => local.audio.writeRtp(rtp));
  video.on('message', (rtp) => local.video.writeRtp(rtp));
  helper('send', String(audio.address().port), String(video.address().port));
}

// Candidates gathered after the answer went out, if any (everything is bundled: no sdpMid needed).
pc.onIceCandidate.subscribe((c) => {
  if (c && c.candidate && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'candidate', candidate: c.candidate }));
});

pc.ontrack = ({ track, transceiver }) => { decode(track, transceiver).catch((e) => say('ERROR decode', e)); };

/** Forwards the track's RTP to a decoder; a section reused by a later participant counts afresh. */
async function decode(track, transceiver) {
  const port = await freePort();
  const out = await udpSocket();
  const decoder = helper('decode', track.kind, String(port));
  let owner = null;
  let base = 0;
  readline.createInterface({ input: decoder.stdout }).on('line', (line) => {
    const [word, count] = line.trim().split(/\s+/);
    if (word !== 'FRAMES' || !/^\d+$/.test(count ?? '')) return;
    const now = ownerOfMid.get(transceiver.mid) ?? null;
    if (now !== owner) { owner = now; base = Number(count); }
    if (owner) say('DECODED', track.kind, owner, Number(count) - base);
  });
  track.onReceiveRtp.subscribe((rtp) => out.send(rtp.serialize(), port, '127.0.0.1'));
  // The decoder starts mid-stream: ask for a keyframe now and again shortly.
  if (track.kind === 'video') {
    for (const delay of [0, 1000, 3000]) {
      setTimeout(() => { if (track.ssrc) transceiver.receiver.sendRtcpPLI(track.ssrc).catch(() => {}); }, delay);
    }
  }
}

const ws = new WebSocket(url);
ws.onopen = () => ws.send(JSON.stringify({ type: 'join', room, name }));
ws.onclose = () => stop();
ws.onerror = (e) => say('ERROR websocket', e.message ?? 'error');
let queue = Promise.resolve(); // offers are answered one after another, in order
ws.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.type === 'joined') say('JOINED', message.participantId);
  else if (message.type === 'error') say('ERROR', message.code, message.message);
  else if (message.type === 'offer') queue = queue.then(() => answer(message)).catch((e) => say('ERROR answer', e));
};

async function answer(offer) {
  ownerOfMid = new Map((offer.subscribe ?? []).map((s) => [s.mid, s.participantId]));
  // Decline simulcast (docs/signaling.md allows it): we send one stream per kind, without RIDs.
  const sdp = offer.sdp.replace(/a=(rid|simulcast):[^\r\n]*\r\n/g, '');
  await pc.setRemoteDescription({ type: 'offer', sdp });
  for (const section of offer.publish ?? []) {
    const kind = { microphone: 'audio', camera: 'video' }[section.source];
    const transceiver = pc.getTransceivers().find((t) => t.mid === section.mid);
    if (!kind || !transceiver) continue;
    transceiver.setDirection('sendonly');
    if (transceiver.sender.track !== local[kind]) await transceiver.sender.replaceTrack(local[kind]);
  }
  await pc.setLocalDescription(await pc.createAnswer());
  // Gathering is done by now, so the answer carries our candidates: no trickle needed.
  ws.send(JSON.stringify({ type: 'answer', version: offer.version, sdp: pc.localDescription.sdp }));
  say('OFFER', offer.version, ownerOfMid.size);
  if (!published) { published = true; await publish(); }
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'leave' })); } catch { /* closing anyway */ }
  for (const child of helpers) child.kill('SIGTERM');
  await pc.close().catch(() => {});
  say('LEFT');
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
