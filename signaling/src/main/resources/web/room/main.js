// The room page: /room/NAME. A pre-join screen (skipped with ?name=), then the room on the
// project's client SDK: remote tiles, controls, chat, participants and their connection
// quality. Everything about the connection goes through AtriumClient's public API.

import { AtriumClient } from '/sdk/atrium-client.js';
import { setupChat } from './chat.js';
import { setupControls, showPreview } from './controls.js';
import { atrium, log, useClient } from './hook.js';
import { setupLayout } from './layout.js';
import { describe, explainMediaError, getLocalMedia } from './media.js';
import { readParams } from './params.js';
import { participantList } from './participants.js';
import { prejoin } from './prejoin.js';
import { watchQuality } from './quality.js';
import { markActive, Tiles } from './tiles.js';

const MAX_ERROR_LINES = 5;

/** @param {string} id */
const $ = (id) => /** @type {any} */ (document.getElementById(id));

const ui = {
  status: $('status'),
  error: $('error'),
  count: $('count'),
  room: $('room'),
  grid: $('grid'),
  people: $('people'),
  controls: $('controls'),
  localTile: $('local-tile'),
  localVideo: $('local-video'),
  localLabel: $('local-label'),
  leave: $('leave'),
  sound: $('enable-sound'),
};

let soundBlocked = false; // the browser refused to play sound before a click

/**
 * @param {string} state
 * @param {string} words
 */
function setState(state, words) {
  if (atrium.state !== state) log(`state ${state}: ${words}`);
  atrium.state = state;
  document.body.dataset.state = state;
  ui.status.textContent = words;
}

/**
 * `sticky` messages (about your own devices) stay; the rest go at the next join.
 * @param {string} text
 * @param {boolean} [sticky]
 */
function showError(text, sticky = false) {
  const line = document.createElement('p');
  line.textContent = text;
  if (!sticky) line.dataset.connection = '';
  ui.error.append(line);
  while (ui.error.childElementCount > MAX_ERROR_LINES) ui.error.firstElementChild.remove();
  log(`shown error: ${text}`);
}

/** @param {HTMLVideoElement} video */
async function play(video) {
  // Once sound was refused, play muted until the click: unmuted would fail again.
  video.muted = soundBlocked;
  try {
    await video.play();
  } catch (err) {
    const name = /** @type {{ name?: string }} */ (err).name;
    if (name !== 'NotAllowedError') return; // AbortError: a newer srcObject replaced this one
    soundBlocked = true;
    ui.sound.hidden = false;
    video.muted = true;
    video.play().catch(() => {});
  }
}

async function start() {
  const params = readParams();
  atrium.room = params.room;
  $('room-name').textContent = params.room;
  document.title = `${params.room || 'No room'} – Atrium`;
  log(`page room=${params.room} name=${params.name ?? '(pre-join)'} token=${params.token ? 'yes' : 'no'}`);
  if (!params.roomValid) {
    setState('error', 'Not connected');
    showError(`"${params.room}" is not a valid room name. A room name is 1 to 64 letters, `
      + 'digits, "_", "-" or ".". Go back to the start page to pick another.');
    return;
  }

  /** @type {{ name: string, stream: MediaStream | null, error: unknown, cameraId?: string }} */
  let choice;
  if (params.name !== null) {
    setState('getting-media', 'Getting camera…');
    choice = { name: params.name, ...(await getLocalMedia()) };
  } else {
    setState('prejoin', 'Not in the room yet');
    choice = await prejoin({
      section: $('prejoin'), form: $('prejoin-form'), name: $('prejoin-name'), camera: $('prejoin-camera'),
      microphone: $('prejoin-microphone'), preview: $('prejoin-preview'), note: $('prejoin-note'),
    });
  }
  atrium.name = choice.name;
  const stream = choice.stream ?? new MediaStream();
  atrium.localStream = stream;
  explainMissingMedia(stream, choice.error);

  /** @type {RTCConfiguration} */
  const rtcConfiguration = {};
  // ?relay=1: all media through TURN, as on a network that allows nothing else.
  if (params.relay) rtcConfiguration.iceTransportPolicy = 'relay';
  // ?cert=rsa: RSA-2048 instead of ECDSA, as GStreamer's webrtcbin uses, to test the SFU's DTLS.
  if (params.rsa) {
    rtcConfiguration.certificates = [await RTCPeerConnection.generateCertificate(/** @type {any} */ ({
      name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256',
    }))];
  }
  const client = new AtriumClient({
    room: params.room, name: choice.name, ...(params.token ? { token: params.token } : {}), rtcConfiguration,
  });
  useClient(client);
  enterRoom(client, stream, choice.cameraId);
  // Published before join() so that the first answer carries them; not awaited, in case
  // the SDK resolves only once a track is sending, which needs the join.
  for (const track of stream.getTracks()) {
    client.publish(track, { source: track.kind === 'audio' ? 'microphone' : 'camera' })
      .catch((err) => showError(`Your ${track.kind === 'audio' ? 'microphone' : 'camera'} could not be sent: ${describe(err)}`));
  }
  setState('connecting', 'Connecting…');
  try {
    await client.join();
  } catch (err) {
    log(`join failed: ${describe(err)}`);
  }
}

/**
 * @param {MediaStream} stream
 * @param {unknown} error
 */
function explainMissingMedia(stream, error) {
  const video = stream.getVideoTracks().length > 0;
  const audio = stream.getAudioTracks().length > 0;
  const why = explainMediaError(error);
  if (!video && !audio) {
    showError(`Camera and microphone unavailable (${why}). You joined without them: `
      + 'you can watch and listen, but others cannot see or hear you.', true);
  } else if (!video) {
    showError(`Camera unavailable (${why}). Others can hear you but not see you.`, true);
  } else if (!audio) {
    showError(`Microphone unavailable (${why}). Others can see you but not hear you.`, true);
  }
}

/**
 * @param {AtriumClient} client
 * @param {MediaStream} stream
 * @param {string | undefined} cameraId
 */
function enterRoom(client, stream, cameraId) {
  ui.room.hidden = false;
  ui.controls.hidden = false;
  ui.localLabel.textContent = `You (${atrium.name})`;
  showPreview(ui.localVideo, stream);
  const tiles = new Tiles(ui.grid, client, play);
  const people = participantList(ui.people, ui.count);
  const controls = setupControls(client, {
    mic: $('mic'), camera: $('camera'), screen: $('screen'), face: $('face'),
    localTile: ui.localTile, localVideo: ui.localVideo,
  }, { stream, cameraId }, (text) => showError(text));
  setupLayout(ui.grid, $('layout'));
  setupChat(client, { form: $('chat-form'), input: $('chat-input'), send: $('chat-send'), list: $('chat-log') },
    () => atrium.name ?? 'You');
  watchQuality(() => client.peerConnection, () => client.remoteTracks(), (id, quality, detail) => {
    const tile = ui.grid.querySelector(`.tile.remote.camera[data-participant-id="${CSS.escape(id)}"]`);
    if (tile) {
      tile.dataset.quality = quality;
      const badge = tile.querySelector('.quality');
      badge.textContent = quality;
      badge.title = detail;
    }
    people.render();
  });
  followConnection(client, tiles, people, controls);

  ui.sound.addEventListener('click', () => {
    soundBlocked = false;
    ui.sound.hidden = true;
    tiles.replay();
  });
  ui.leave.addEventListener('click', () => {
    if (client.state === 'disconnected') {
      client.join().catch((err) => log(`rejoin failed: ${describe(err)}`));
      return;
    }
    client.leave();
  });
  window.addEventListener('pagehide', () => client.leave());
}

/**
 * The SDK's events onto the tiles, the list and window.atrium.
 * @param {AtriumClient} client
 * @param {Tiles} tiles
 * @param {{ render(): void }} people
 * @param {{ render(): void }} controls
 */
function followConnection(client, tiles, people, controls) {
  let sdkState = 'disconnected';
  let joinedSinceDrop = false;
  let everJoined = false;

  // Joined in signaling is not enough for the tests' 'connected': media must flow too.
  const refreshState = () => {
    const pc = client.peerConnection;
    switch (sdkState) {
      case 'connecting': return setState('connecting', 'Connecting…');
      case 'reconnecting': return setState('reconnecting', 'Connection lost; reconnecting…');
      case 'disconnected': return setState('disconnected', 'Disconnected');
      default:
        if (pc?.connectionState === 'connected') return setState('connected', 'Connected');
        if (pc?.connectionState === 'failed') return setState('failed', 'Media connection failed');
        if (pc?.connectionState === 'disconnected') return setState('reconnecting', 'Media interrupted; reconnecting…');
        return setState('joined', 'Connecting media…');
    }
  };

  client.on('connection-state', ({ state, reason }) => {
    const previous = sdkState;
    sdkState = state;
    log(`sdk ${state}${reason ? ` (${reason})` : ''}`);
    if (state === 'connected' && previous === 'reconnecting') {
      joinedSinceDrop = false;
      // `joined` follows in the same turn when this was a new join, not a resume.
      setTimeout(() => {
        if (!joinedSinceDrop) {
          atrium.resumes++;
          log(`resumed as ${atrium.participantId}`);
        }
      }, 0);
    }
    if (state === 'disconnected') {
      atrium.participantId = null;
      if (reason && reason !== 'left') showError(`Disconnected: ${reason}`);
    }
    ui.leave.textContent = state === 'disconnected' ? 'Rejoin' : 'Leave';
    refreshState();
    people.render();
  });

  client.on('joined', (joined) => {
    joinedSinceDrop = true;
    if (everJoined) atrium.reconnects++;
    everJoined = true;
    atrium.participantId = joined.participantId;
    atrium.node = client.nodeId;
    atrium.url = client.url;
    if (joined.name) atrium.name = joined.name; // a join token may set the name
    ui.localLabel.textContent = `You (${atrium.name})`;
    ui.localTile.dataset.participantId = joined.participantId;
    for (const line of ui.error.querySelectorAll('p[data-connection]')) line.remove();
    log(`joined ${joined.room} as ${joined.participantId} with ${joined.participants.length} others`);
    const pc = client.peerConnection;
    pc?.addEventListener('connectionstatechange', () => {
      log(`peer connection ${pc.connectionState}`);
      if (pc === client.peerConnection) refreshState();
    });
    refreshState();
    people.render();
  });

  // The node drained: the SDK moved this page to another node, its tiles kept (a new own id).
  client.on('moved', (moved) => {
    atrium.moves++;
    atrium.participantId = moved.participantId;
    atrium.node = moved.node;
    atrium.url = moved.url;
    ui.localTile.dataset.participantId = moved.participantId;
    log(`moved to node ${moved.node} as ${moved.participantId} (was ${moved.previousParticipantId}, ${moved.reason})`);
    const pc = client.peerConnection;
    pc?.addEventListener('connectionstatechange', () => {
      log(`peer connection ${pc.connectionState}`);
      if (pc === client.peerConnection) refreshState();
    });
    refreshState();
    people.render();
  });

  client.on('participant-joined', (p) => {
    log(`participant-joined ${p.id} (${p.name})`);
    tiles.addParticipant(p.id, p.name);
    people.render();
  });
  client.on('participant-left', ({ participantId, reason }) => {
    log(`participant-left ${participantId} reason=${reason}`);
    tiles.removeParticipant(participantId);
    if (atrium.activeSpeaker === participantId) setActiveSpeaker(tiles, null);
    people.render();
  });
  client.on('track-added', (track) => {
    tiles.addTrack(track);
    people.render();
  });
  client.on('track-removed', (track) => tiles.removeTrack(track));
  client.on('track-muted', (e) => {
    log(`track-muted ${e.participantId} ${e.source}`);
    tiles.setMuted(e.participantId, e.source, true);
    people.render();
  });
  client.on('track-unmuted', (e) => {
    log(`track-unmuted ${e.participantId} ${e.source}`);
    tiles.setMuted(e.participantId, e.source, false);
    people.render();
  });
  client.on('active-speaker', ({ participantId }) => setActiveSpeaker(tiles, participantId));
  client.on('video-paused', ({ participantId, mid, reason }) => {
    log(`video-paused ${participantId} mid ${mid} reason=${reason}`);
    tiles.setPaused(participantId, mid, reason);
  });
  client.on('video-resumed', ({ participantId, mid }) => {
    log(`video-resumed ${participantId} mid ${mid}`);
    tiles.setPaused(participantId, mid, null);
  });
  client.on('error', ({ code, message }) => {
    log(`error ${code}: ${message}`);
    if (code !== 'listener') showError(message || `The server reported an error (${code}).`);
    controls.render();
  });
}

/**
 * Marks the speaker's tile, yours when it is you.
 * @param {Tiles} tiles
 * @param {string | null} id
 */
function setActiveSpeaker(tiles, id) {
  atrium.activeSpeaker = id;
  markActive(ui.localTile, id !== null && id === atrium.participantId);
  tiles.setActiveSpeaker(id);
}

start().catch((err) => {
  log(`start failed: ${describe(err)}`);
  setState('error', 'Not connected');
  showError(`The page could not start: ${err instanceof Error ? err.message : String(err)}`);
});
