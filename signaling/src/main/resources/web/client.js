// Atrium web client: joins the room named in the URL, following docs/signaling.md.
//
// The SFU is always the offerer; this page only answers. One WebSocket carries the
// signaling and one RTCPeerConnection carries all media. Everything that belongs to
// one connection lives in a "session" object made by connect(), so that automatic
// reconnection can later be added by calling connect() again.

const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_NAME_CHARS = 64;
const DEFAULT_NAME = 'guest';
// 1280x720 when the camera offers it: the top of three simulcast encodings.
const VIDEO_CONSTRAINTS = { width: { ideal: 1280 }, height: { ideal: 720 } };
// The simulcast encodings the SFU asks for, by RID: a quarter, half and full resolution,
// each VP8 with three temporal layers. Bitrates are the encodings' caps.
const SIMULCAST_ENCODINGS = {
  q: { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  h: { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  f: { scaleResolutionDownBy: 1, maxBitrate: 1_700_000 },
};
// render-size messages: sent at most once per this many ms, and only when a size changed.
const RENDER_SIZE_DEBOUNCE_MS = 500;
// The words on a tile whose video the SFU paused, by `video-paused` reason; '' shows none.
const PAUSE_TEXT = {
  bandwidth: 'Video paused: your connection is too slow',
  unavailable: 'Video paused: no video is coming from this participant',
  'not-visible': '',
};
const PAUSE_TEXT_OTHER = 'Video paused';
const MAX_LOG_LINES = 2000;
const MAX_ERROR_LINES = 5;
const LEAVE_TIMEOUT_MS = 2000;
// After a lost connection or a server restart the page joins again by itself, waiting
// 1 s, then 2, 4, 8, up to 15 s between tries (with jitter, so that a room's pages do not
// all come back in the same instant).
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 15000;
// Refusals that another try would only repeat: the page stays disconnected.
const FINAL_ERRORS = new Set(['room-full', 'too-many-rooms', 'unauthorized', 'token-expired', 'wrong-room',
  'forbidden', 'bad-request', 'already-joined']);

const $ = (id) => document.getElementById(id);
const ui = {
  body: document.body,
  localTile: $('local-tile'),
  status: $('status'),
  error: $('error'),
  count: $('count'),
  grid: $('grid'),
  roomName: $('room-name'),
  localVideo: $('local-video'),
  localLabel: $('local-label'),
  localBadge: $('local-badge'),
  soundButton: $('enable-sound'),
  leaveButton: $('leave'),
};

// Test hook: kept current for Selenium; `log` is printed when a test fails.
const atrium = {
  pc: null,
  ws: null,
  participantId: null,
  room: null,
  name: null,
  state: 'starting',
  remote: new Map(), // participantId -> { name, stream }
  log: [],
  localStream: null,
  offerVersion: 0, // version of the last offer answered
  activeSpeaker: null, // participantId of the room's dominant speaker (maybe you), or null
  reconnects: 0, // joins made again by the page itself after a lost connection
  resumes: 0, // sessions taken back on a new connection after the old one dropped
  pausedVideo: new Map(), // participantId -> reason of its `video-paused`, until `video-resumed`
  renderSizes: [], // the last `render-size` list sent: [{ mid, width, height }]
  publishLayers: new Map(), // mid -> { rid: active } as last applied for `publish-layers`
};
window.atrium = atrium;

// DOM of each remote tile, kept apart from atrium.remote so that the hook stays plain data.
const tiles = new Map(); // participantId -> { root, video, name, badge, pausedNote, attachedKey }

let session = null; // the live connection, or null when disconnected
// The join token from the page URL (?token=...), or null on a server that needs none.
// Kept out of window.atrium so that it shows in no test log.
let joinToken = null;
let soundBlocked = false; // the browser refused to autoplay with sound
let reconnectDelay = RECONNECT_MIN_MS;
let reconnectTimer = null;

const startTime = performance.now();

function log(text) {
  const line = `${((performance.now() - startTime) / 1000).toFixed(3)}s ${text}`;
  atrium.log.push(line);
  if (atrium.log.length > MAX_LOG_LINES) atrium.log.splice(0, atrium.log.length - MAX_LOG_LINES);
  console.debug('[atrium]', line);
}

// ---------------------------------------------------------------- status and errors

function setState(state, words) {
  atrium.state = state;
  ui.body.dataset.state = state;
  ui.status.textContent = words;
  log(`state ${state}: ${words}`);
}

// `sticky` messages (about your own devices) survive a new connection; the rest are
// about one connection and are cleared by connect().
function showError(text, { sticky = false } = {}) {
  const line = document.createElement('p');
  line.textContent = text;
  if (!sticky) line.dataset.connection = '';
  ui.error.append(line);
  // Keep the area short: only the latest few messages matter to the reader.
  while (ui.error.childElementCount > MAX_ERROR_LINES) ui.error.firstElementChild.remove();
  log(`shown error: ${text}`);
}

function clearConnectionErrors() {
  for (const line of ui.error.querySelectorAll('p[data-connection]')) line.remove();
}

function updateCount() {
  if (!atrium.participantId) {
    ui.count.textContent = '';
    delete ui.count.dataset.count;
    return;
  }
  const people = atrium.remote.size + 1; // the others plus you
  ui.count.dataset.count = String(people);
  ui.count.textContent = people === 1 ? 'Only you in the room' : `${people} people in the room`;
}

// ---------------------------------------------------------------- start-up

function readRoomFromUrl() {
  const match = location.pathname.match(/^\/room\/([^/]*)\/?$/);
  if (!match) return '';
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1]; // malformed %-escape: let validation reject it in plain words
  }
}

function readNameFromUrl() {
  const raw = (new URLSearchParams(location.search).get('name') ?? '').trim();
  // The protocol allows at most 64 characters; count code points, not UTF-16 units.
  const name = Array.from(raw).slice(0, MAX_NAME_CHARS).join('');
  return name || DEFAULT_NAME;
}

// A server with join tokens refuses a join without one (docs/signaling.md, "Join tokens").
function readTokenFromUrl() {
  const token = (new URLSearchParams(location.search).get('token') ?? '').trim();
  return token || null;
}

async function start() {
  atrium.room = readRoomFromUrl();
  atrium.name = readNameFromUrl();
  joinToken = readTokenFromUrl();
  ui.roomName.textContent = atrium.room;
  document.title = `${atrium.room || 'No room'} – Atrium`;
  ui.localLabel.textContent = `You (${atrium.name})`;
  log(`page room=${atrium.room} name=${atrium.name} token=${joinToken ? 'yes' : 'no'}`);

  if (!ROOM_PATTERN.test(atrium.room)) {
    setState('error', 'Not connected');
    showError(`"${atrium.room}" is not a valid room name. A room name is 1 to 64 letters, ` +
      'digits, "_", "-" or ".". Go back to the start page to pick another.');
    return;
  }

  setState('getting-media', 'Getting camera…');
  const { stream, error } = await getLocalMedia();
  atrium.localStream = stream;
  showLocalPreview(stream, error);

  ui.soundButton.addEventListener('click', enableSound);
  ui.leaveButton.addEventListener('click', onLeaveButton);
  ui.leaveButton.hidden = false;
  initRenderSizes();
  const certificate = await pageCertificate;
  if (certificate) certificates = [certificate];
  connect();
}

// ---------------------------------------------------------------- local media

// Tries camera+microphone, then microphone only, then camera only, so that a
// missing or refused device never stops someone from joining.
async function getLocalMedia() {
  if (!navigator.mediaDevices?.getUserMedia) {
    log('getUserMedia unavailable');
    return { stream: null, error: { name: 'NoMediaDevices' } };
  }
  const attempts = [
    { what: 'camera+microphone', constraints: { audio: true, video: VIDEO_CONSTRAINTS } },
    { what: 'microphone', constraints: { audio: true } },
    { what: 'camera', constraints: { video: VIDEO_CONSTRAINTS } },
  ];
  let firstError = null;
  for (const { what, constraints } of attempts) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      log(`getUserMedia ${what}: ok`);
      return { stream, error: firstError };
    } catch (err) {
      log(`getUserMedia ${what}: ${err.name} ${err.message}`);
      firstError ??= err;
    }
  }
  return { stream: null, error: firstError };
}

function explainMediaError(err) {
  switch (err?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'access was not allowed';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no such device was found';
    case 'NotReadableError':
    case 'AbortError':
      return 'the device is busy or not working (is another program using it?)';
    case 'NoMediaDevices':
      return 'this browser offers no camera here (the page must be opened over https or on localhost)';
    default:
      return err ? `${err.name}: ${err.message}` : 'unknown reason';
  }
}

function showLocalPreview(stream, error) {
  const hasAudio = Boolean(stream?.getAudioTracks().length);
  const hasVideo = Boolean(stream?.getVideoTracks().length);
  const why = explainMediaError(error);
  if (!hasAudio && !hasVideo) {
    showError(`Camera and microphone unavailable (${why}). You joined without them: ` +
      'you can watch and listen, but others cannot see or hear you.', { sticky: true });
  } else if (!hasVideo) {
    showError(`Camera unavailable (${why}). You joined with your microphone only: ` +
      'others can hear you but not see you.', { sticky: true });
  } else if (!hasAudio) {
    showError(`Microphone unavailable (${why}). You joined with your camera only: ` +
      'others can see you but not hear you.', { sticky: true });
  }
  ui.localBadge.textContent = hasVideo ? (hasAudio ? '' : 'no microphone') : 'no camera';

  for (const track of stream?.getTracks() ?? []) {
    track.addEventListener('ended', () => {
      log(`local ${track.kind} track ended`);
      showError(`Your ${track.kind === 'video' ? 'camera' : 'microphone'} stopped working.`, { sticky: true });
    });
  }
  if (hasVideo) {
    ui.localVideo.muted = true; // never play your own microphone back to you
    ui.localVideo.srcObject = stream;
    ui.localVideo.play().catch((err) => log(`local preview play: ${err.name}`));
  }
}

// ---------------------------------------------------------------- connection

function webSocketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

// Opens one signaling connection with its own RTCPeerConnection. All callbacks check
// `session === s` so that events from an old connection never touch a newer one.
function connect() {
  const s = {
    ws: null,
    pc: null,
    resumeToken: null, // from `joined`: takes the session back after the connection drops
    queue: Promise.resolve(), // messages are handled one at a time, in arrival order
    opened: false,
    leaving: false,
    midOwner: new Map(), // mid -> participantId, from the latest offer's `subscribe`
    videoMids: [], // the video mids of the latest offer's `subscribe`, in its order
    renderSizeKey: null, // JSON of the last `render-size` list sent, null before the first
    renderSizeUnsupported: false, // the server answered `render-size` with `unknown-type`
    departed: new Set(), // ids that got participant-left: late tracks for them are ignored
  };
  s.pc = createPeerConnection(s);
  session = s;
  atrium.pc = s.pc;
  atrium.participantId = null;
  ui.leaveButton.textContent = 'Leave';
  clearConnectionErrors();
  setState('connecting', 'Connecting…');

  openSocket(s);
}

// The session's WebSocket: a new one on connect(), and again to resume the session after
// the connection dropped, the peer connection (and so the media) carrying on meanwhile.
function openSocket(s) {
  const resuming = s.resumeToken !== null;
  s.ws = new WebSocket(webSocketUrl());
  atrium.ws = s.ws;
  s.ws.addEventListener('open', () => {
    if (session !== s) return;
    s.opened = true;
    log(resuming ? 'ws open, resuming' : 'ws open');
    if (resuming) {
      send(s, { type: 'resume', token: s.resumeToken });
      return;
    }
    const join = { type: 'join', room: atrium.room, name: atrium.name };
    if (joinToken) join.token = joinToken;
    send(s, join);
  });
  s.ws.addEventListener('message', (event) => {
    if (session !== s) return;
    const msg = parseMessage(event.data);
    if (!msg) return;
    s.queue = s.queue
      .then(() => handleMessage(s, msg))
      .catch((err) => {
        log(`handling ${msg.type} failed: ${err?.name} ${err?.message}`);
        if (session === s) showError(`Something went wrong handling "${msg.type}": ${err?.message ?? err}`);
      });
  });
  s.ws.addEventListener('error', () => log('ws error'));
  s.ws.addEventListener('close', (event) => {
    if (session !== s) return;
    onClosed(s, event);
  });
}

// `?cert=rsa` makes the peer connection use an RSA-2048 certificate instead of the browser's
// ECDSA default, as GStreamer's webrtcbin and some pages do, to test the SFU's DTLS with it.
// Made once, before the first connect(): start() awaits it.
const pageCertificate = new URLSearchParams(location.search).get('cert') === 'rsa'
  ? RTCPeerConnection.generateCertificate({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' })
  : Promise.resolve(null);
let certificates; // [pageCertificate] once start() has it, else undefined: the browser default

// `?relay=1` makes the page send all its media through TURN (iceTransportPolicy "relay"), as a
// client on a network that allows nothing else would.
const relayOnly = new URLSearchParams(location.search).get('relay') === '1';

function createPeerConnection(s) {
  // ICE servers come with `joined`; the SFU's own candidates come in every offer.
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', certificates,
    iceTransportPolicy: relayOnly ? 'relay' : 'all' });
  pc.addEventListener('icecandidate', (event) => onLocalCandidate(s, event));
  pc.addEventListener('track', (event) => onTrack(s, event));
  pc.addEventListener('iceconnectionstatechange', () => onPeerState(s));
  pc.addEventListener('connectionstatechange', () => onPeerState(s));
  pc.addEventListener('signalingstatechange', () => log(`signaling ${pc.signalingState}`));
  return pc;
}

function send(s, msg) {
  if (s.ws.readyState !== WebSocket.OPEN) {
    log(`not sent (socket not open): ${msg.type}`);
    return;
  }
  s.ws.send(JSON.stringify(msg));
  if (msg.type === 'candidate') {
    log(`sent candidate ${msg.candidate ? msg.candidate.split(' ').slice(2, 8).join(' ') : '(end)'}`);
  } else {
    log(`sent ${msg.type}${msg.version ? ` v${msg.version}` : ''}`);
  }
}

function parseMessage(data) {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch {
    log(`ignored non-JSON frame: ${String(data).slice(0, 80)}`);
    return null;
  }
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') {
    log(`ignored frame without type: ${String(data).slice(0, 80)}`);
    return null;
  }
  return msg;
}

function describeClose(s, event) {
  if (s.leaving) return 'you left the room';
  if (event.reason) return event.reason;
  switch (event.code) {
    case 1000: return 'the server ended the connection';
    case 1001: return 'the server is shutting down';
    case 1006: return s.opened ? 'the connection to the server was lost' : 'could not reach the server';
    case 1008: return 'the server refused this connection';
    case 1009: return 'a message was too large';
    case 1011: return 'the server hit an internal error';
    default: return `connection closed (code ${event.code})`;
  }
}

function onClosed(s, event) {
  log(`ws closed code=${event.code} reason=${event.reason || '-'} clean=${event.wasClean}`);
  // A dropped connection (no close frame) while the media still flows: take the session
  // back on a new connection; the server keeps it for a grace period.
  const pcAlive = s.pc.connectionState !== 'failed' && s.pc.connectionState !== 'closed';
  if (!s.leaving && s.resumeToken && event.code === 1006 && pcAlive) {
    scheduleResume(s);
    return;
  }
  endSession(s, `Disconnected: ${describeClose(s, event)}`);
  if (!s.leaving && event.code !== 1008 && !FINAL_ERRORS.has(s.lastError)) scheduleReconnect();
}

function scheduleResume(s) {
  const delay = Math.round(reconnectDelay * (0.75 + Math.random() * 0.5));
  reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
  log(`resuming the session in ${delay} ms`);
  setState('reconnecting', 'Connection to the server lost; reconnecting…');
  reconnectTimer = setTimeout(() => {
    reconnectTimer = null;
    if (session === s) openSocket(s);
  }, delay);
}

function onResumed(s, msg) {
  log(`resumed as ${msg.participantId}`);
  atrium.resumes++;
  reconnectDelay = RECONNECT_MIN_MS;
  clearConnectionErrors();
  setState('joined', 'Connecting…');
  onPeerState(s);
  // A render-size sent while the socket was down was lost: say it again.
  s.renderSizeKey = null;
  scheduleRenderSizes();
}

// The server no longer has the session (it ended, or the server restarted): start over.
function onResumeRefused(s) {
  log('the session could not be resumed; joining again');
  s.resumeToken = null;
  endSession(s, 'Reconnecting…');
  atrium.reconnects++;
  connect();
}

// Tears down a session's connection, peer connection and remote tiles.
function endSession(s, words) {
  session = null;
  if (s.ws.readyState === WebSocket.OPEN || s.ws.readyState === WebSocket.CONNECTING) s.ws.close(1000, 'ended');
  s.pc.close(); // the server has dropped us; this connection's media is over
  for (const id of [...atrium.remote.keys()]) removeParticipant(id);
  setActiveSpeaker(null);
  atrium.participantId = null;
  updateCount();
  ui.leaveButton.textContent = 'Rejoin';
  ui.soundButton.hidden = true; // no one to hear; playVideo() shows it again if needed
  // Local tracks are kept: a later connect() (rejoin, reconnection) reuses them.
  setState('disconnected', words);
}

function scheduleReconnect() {
  const delay = Math.round(reconnectDelay * (0.75 + Math.random() * 0.5));
  reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
  log(`reconnecting in ${delay} ms`);
  ui.leaveButton.textContent = 'Reconnect now';
  setState('reconnecting', `Disconnected; trying again in ${Math.ceil(delay / 1000)} s…`);
  reconnectTimer = setTimeout(() => {
    reconnectTimer = null;
    if (session) return;
    atrium.reconnects++;
    connect();
  }, delay);
}

function cancelReconnect() {
  if (reconnectTimer !== null) {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
  }
}

function onLeaveButton() {
  if (!session) {
    cancelReconnect();
    connect(); // "Rejoin" or "Reconnect now"
    return;
  }
  const s = session;
  if (s.ws.readyState !== WebSocket.OPEN) {
    // Between connections (resuming): nothing to tell the server, which lets it go.
    cancelReconnect();
    s.leaving = true;
    endSession(s, 'Disconnected: you left the room');
    return;
  }
  s.leaving = true;
  setState('leaving', 'Leaving…');
  send(s, { type: 'leave' });
  // The server closes the socket after `leave`; close it ourselves if it does not.
  setTimeout(() => {
    if (session === s) s.ws.close(1000, 'left');
  }, LEAVE_TIMEOUT_MS);
}

// ---------------------------------------------------------------- server messages

async function handleMessage(s, msg) {
  if (session !== s) return;
  switch (msg.type) {
    case 'joined': s.resumeToken = typeof msg.resumeToken === 'string' ? msg.resumeToken : null; return onJoined(s, msg);
    case 'resumed': return onResumed(s, msg);
    case 'offer': return handleOffer(s, msg);
    case 'participant-joined': return onParticipantJoined(msg);
    case 'participant-left': return onParticipantLeft(s, msg);
    case 'active-speaker': return onActiveSpeaker(msg);
    case 'video-paused': return onVideoPaused(s, msg);
    case 'video-resumed': return onVideoResumed(s, msg);
    case 'publish-layers': return onPublishLayers(s, msg);
    case 'error':
      if (isRenderSizeRefusal(msg)) return onRenderSizeUnsupported(s);
      s.lastError = msg.code;
      if (msg.code === 'unknown-session') return onResumeRefused(s);
      return onServerError(msg);
    default:
      // Later protocol versions may add messages; this client just skips them.
      log(`ignored message type ${msg.type}`);
  }
}

function onJoined(s, msg) {
  atrium.participantId = msg.participantId ?? null;
  useIceServers(s, msg.iceServers);
  reconnectDelay = RECONNECT_MIN_MS; // a good join resets the backoff
  if (typeof msg.room === 'string') atrium.room = msg.room;
  // A join token may set the name the others see.
  if (typeof msg.name === 'string' && msg.name) {
    atrium.name = msg.name;
    ui.localLabel.textContent = `You (${atrium.name})`;
  }
  const others = Array.isArray(msg.participants) ? msg.participants : [];
  log(`joined ${atrium.room} as ${atrium.participantId} with ${others.length} others`);
  for (const p of others) addParticipant(p.id, p.name);
  updateCount();
  setState('joined', 'Connecting…');
}

// The TURN servers of `joined`, with credentials minted for this participant. They are set
// before the first offer is answered, which is when the browser gathers its candidates.
function useIceServers(s, servers) {
  if (!Array.isArray(servers)) return;
  const iceServers = servers.filter((server) => server && (typeof server.urls === 'string' || Array.isArray(server.urls)));
  try {
    s.pc.setConfiguration({ ...s.pc.getConfiguration(), iceServers });
    atrium.iceServers = iceServers.flatMap((server) => [].concat(server.urls));
    log(`ICE servers: ${atrium.iceServers.join(' ') || 'none'}`);
  } catch (err) {
    log(`ICE servers not usable: ${err?.name} ${err?.message}`);
  }
}

function onParticipantJoined(msg) {
  const p = msg.participant ?? {};
  log(`participant-joined ${p.id} (${p.name})`);
  addParticipant(p.id, p.name);
  updateCount();
}

function onParticipantLeft(s, msg) {
  const id = msg.participantId;
  log(`participant-left ${id} reason=${msg.reason}`);
  s.departed.add(id);
  removeParticipant(id);
  // The server sends nothing when the speaker leaves; the next speaker is announced.
  if (atrium.activeSpeaker === id) setActiveSpeaker(null);
  updateCount();
}

function onActiveSpeaker(msg) {
  const id = msg.participantId;
  if (typeof id !== 'string' || !id) {
    log('active-speaker without participantId: ignored');
    return;
  }
  log(`active-speaker ${id}`);
  setActiveSpeaker(id);
}

// Marks the speaker's tile (yours when it is you); a tile made later is marked by createTile.
function setActiveSpeaker(id) {
  atrium.activeSpeaker = id;
  markActiveSpeaker(ui.localTile, id !== null && id === atrium.participantId);
  for (const [tileId, tile] of tiles) markActiveSpeaker(tile.root, tileId === id);
}

function markActiveSpeaker(element, active) {
  if (active) {
    element.dataset.activeSpeaker = 'true';
  } else {
    delete element.dataset.activeSpeaker;
  }
}

function onServerError(msg) {
  log(`server error ${msg.code}: ${msg.message}`);
  showError(msg.message || `The server reported an error (${msg.code ?? 'no code'}).`);
  // For bad-answer the server re-sends its offer; the queue answers it again.
}

// ---------------------------------------------------------------- offer / answer

async function handleOffer(s, msg) {
  const { pc } = s;
  const publish = Array.isArray(msg.publish) ? msg.publish : [];
  const subscribe = Array.isArray(msg.subscribe) ? msg.subscribe : [];
  log(`offer v${msg.version}: publish ${publish.map((p) => `${p.mid}/${p.kind}`).join(',') || '-'}` +
    ` subscribe ${subscribe.map((p) => `${p.mid}/${p.kind}/${p.participantId}`).join(',') || '-'}`);
  if (typeof msg.sdp !== 'string' || !Number.isInteger(msg.version)) {
    showError('The server sent an offer without SDP or version; it was ignored.');
    return;
  }
  // Set before setRemoteDescription: `track` events fire while it runs.
  s.midOwner = new Map(subscribe.map((x) => [x.mid, x.participantId]));
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    await attachLocalTracks(pc, publish);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
  } catch (err) {
    if (session !== s) return; // closed while we worked: nothing to report
    log(`offer v${msg.version} failed: ${err.name} ${err.message}`);
    // Return to a stable state so that the next offer can still be applied.
    if (pc.signalingState === 'have-remote-offer') {
      await pc.setRemoteDescription({ type: 'rollback' }).catch((e) => log(`rollback: ${e.name}`));
    }
    showError(`Could not accept the server's media offer (version ${msg.version}): ${err.message}`);
    return;
  }
  if (session !== s) return;
  send(s, { type: 'answer', version: msg.version, sdp: pc.localDescription.sdp });
  atrium.offerVersion = msg.version;
  // render-size names the video mids of answered offers only.
  s.videoMids = subscribe.filter((x) => x.kind === 'video').map((x) => x.mid);
  scheduleRenderSizes();
}

// For each m-section the SFU receives in: send our track of that kind there. A kind
// we do not have keeps its direction, so the answer says `inactive` for it.
async function attachLocalTracks(pc, publish) {
  for (const { mid, kind } of publish) {
    const transceiver = pc.getTransceivers().find((t) => t.mid === mid);
    if (!transceiver) {
      log(`publish mid ${mid}: no such transceiver`);
      continue;
    }
    const track = atrium.localStream?.getTracks().find((t) => t.kind === kind);
    if (!track) continue;
    transceiver.direction = 'sendonly';
    if (transceiver.sender.track !== track) {
      await transceiver.sender.replaceTrack(track);
      log(`publishing ${kind} on mid ${mid}`);
      if (kind === 'video') await configureSimulcast(transceiver.sender);
    }
  }
}

// The offer's a=rid lines gave the sender one encoding per RID; each gets its scale,
// bitrate cap and temporal layers. A browser that refuses the scalability mode still
// sends the spatial layers.
async function configureSimulcast(sender) {
  const params = sender.getParameters();
  const encodings = params.encodings || [];
  if (!encodings.some((e) => e.rid && SIMULCAST_ENCODINGS[e.rid])) return;
  for (const encoding of encodings) Object.assign(encoding, SIMULCAST_ENCODINGS[encoding.rid] || {});
  try {
    for (const encoding of encodings) encoding.scalabilityMode = 'L1T3';
    await sender.setParameters(params);
  } catch (err) {
    log(`simulcast with L1T3: ${err.name} ${err.message}; trying without temporal layers`);
    for (const encoding of encodings) delete encoding.scalabilityMode;
    try {
      await sender.setParameters(params);
    } catch (err2) {
      log(`simulcast parameters refused: ${err2.name} ${err2.message}`);
      return;
    }
  }
  log(`simulcast: ${encodings.map((e) => `${e.rid}/${e.scaleResolutionDownBy}`).join(' ')}`);
}

function onLocalCandidate(s, event) {
  if (session !== s) return;
  const c = event.candidate;
  if (c && !c.candidate) return; // per-section end marker; the final null one is sent
  send(s, c
    ? { type: 'candidate', candidate: c.candidate, sdpMid: c.sdpMid }
    : { type: 'candidate', candidate: null });
}

const PEER_STATE_WORDS = {
  new: null,
  checking: null,
  connecting: null,
  connected: ['connected', 'Connected'],
  completed: ['connected', 'Connected'],
  disconnected: ['reconnecting', 'Reconnecting…'],
  failed: ['failed', 'Connection failed'],
  closed: null, // only after we close it; the socket's close sets "Disconnected"
};

function onPeerState(s) {
  const pc = s.pc;
  log(`ice ${pc.iceConnectionState}, connection ${pc.connectionState ?? '-'}`);
  if (session !== s || s.leaving) return;
  // connectionState also covers DTLS; older Firefox only has iceConnectionState.
  const words = PEER_STATE_WORDS[pc.connectionState ?? pc.iceConnectionState];
  if (words && atrium.state !== words[0]) setState(...words);
}

// ---------------------------------------------------------------- remote participants

function addParticipant(id, name) {
  if (typeof id !== 'string' || !id || id === atrium.participantId) return null;
  const label = typeof name === 'string' && name ? name : id;
  let entry = atrium.remote.get(id);
  if (entry) {
    entry.name = label;
  } else {
    entry = { name: label, stream: new MediaStream() };
    atrium.remote.set(id, entry);
    createTile(id);
    log(`tile added ${id}`);
  }
  tiles.get(id).name.textContent = label;
  tiles.get(id).video.setAttribute('aria-label', `Video of ${label}`);
  return entry;
}

function createTile(id) {
  const root = document.createElement('figure');
  root.className = 'tile remote';
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  video.setAttribute('playsinline', '');
  video.dataset.participantId = id;
  const caption = document.createElement('figcaption');
  caption.className = 'label';
  const name = document.createElement('span');
  name.className = 'name';
  const badge = document.createElement('span');
  badge.className = 'badge';
  caption.append(name, badge);
  const pausedNote = document.createElement('p');
  pausedNote.className = 'paused-note';
  pausedNote.setAttribute('role', 'status');
  pausedNote.hidden = true;
  root.append(video, pausedNote, caption);
  ui.grid.append(root);
  tiles.set(id, { root, video, name, badge, pausedNote, attachedKey: '' });
  markActiveSpeaker(root, id === atrium.activeSpeaker);
  showVideoPause(id);
  updateBadge(id);
  watchRenderSize(video);
}

function removeParticipant(id) {
  const entry = atrium.remote.get(id);
  const tile = tiles.get(id);
  if (entry) {
    // Drop the tracks from our stream but do not stop() them: they belong to the
    // transceiver, which the SFU reuses for the next participant's track.
    for (const track of entry.stream.getTracks()) entry.stream.removeTrack(track);
    atrium.remote.delete(id);
  }
  atrium.pausedVideo.delete(id);
  if (tile) {
    unwatchRenderSize(tile.video);
    tile.video.srcObject = null;
    tile.root.remove();
    tiles.delete(id);
    log(`tile removed ${id}`);
  }
}

function onTrack(s, event) {
  if (session !== s) return;
  const { track } = event;
  const mid = event.transceiver?.mid;
  const fromStream = event.streams?.[0]?.id;
  const fromOffer = s.midOwner.get(mid);
  if (fromStream && fromOffer && fromStream !== fromOffer) {
    log(`track mid ${mid}: stream id ${fromStream} differs from offer's ${fromOffer}`);
  }
  const id = fromStream ?? fromOffer; // the doc: streams[0].id is the participant id
  if (!id) {
    log(`track ${track.kind} mid ${mid} without participant: ignored`);
    return;
  }
  if (s.departed.has(id)) {
    log(`track ${track.kind} for departed ${id}: ignored`);
    return;
  }
  log(`track ${track.kind} mid ${mid} from ${id}`);
  const entry = atrium.remote.get(id) ?? addParticipant(id, null);
  if (!entry) return;
  updateCount();

  // A receiving track moves to a new participant when the SFU reuses its m-section.
  for (const [otherId, other] of atrium.remote) {
    if (otherId !== id && other.stream.getTrackById(track.id)) {
      other.stream.removeTrack(track);
      updateBadge(otherId);
    }
  }
  // One audio and one video track per participant: a new one replaces the old.
  for (const old of entry.stream.getTracks()) {
    if (old.kind === track.kind && old !== track) entry.stream.removeTrack(old);
  }
  if (!entry.stream.getTrackById(track.id)) entry.stream.addTrack(track);

  // Mute/unmute follow media flow (and the slot going inactive): refresh the badges.
  track.onmute = () => refreshAllBadges();
  track.onunmute = () => refreshAllBadges();
  track.onended = () => refreshAllBadges();
  updateBadge(id);
  // Audio and video arrive in the same setRemoteDescription: attach once, after both.
  setTimeout(() => attachStream(id), 0);
}

// (Re)assigns srcObject when the set of tracks changed, so every browser picks up a
// track that was added after the first assignment, then starts playback.
function attachStream(id) {
  const entry = atrium.remote.get(id);
  const tile = tiles.get(id);
  if (!entry || !tile) return;
  const tracks = entry.stream.getTracks();
  const key = tracks.map((t) => t.id).sort().join(',');
  if (!tracks.length || key === tile.attachedKey) return;
  tile.attachedKey = key;
  tile.video.srcObject = entry.stream;
  log(`video attached ${id}: ${tracks.map((t) => t.kind).join('+')}`);
  playVideo(tile.video, id);
}

function updateBadge(id) {
  const entry = atrium.remote.get(id);
  const tile = tiles.get(id);
  if (!entry || !tile) return;
  const video = entry.stream.getVideoTracks()[0];
  const audio = entry.stream.getAudioTracks()[0];
  const videoOn = video && !video.muted && video.readyState === 'live';
  const audioOn = audio && audio.readyState === 'live';
  tile.root.classList.toggle('video-off', !videoOn);
  tile.badge.textContent = videoOn ? (audioOn ? '' : 'no audio') : (audioOn ? 'no video' : 'no media');
}

function refreshAllBadges() {
  for (const id of tiles.keys()) updateBadge(id);
}

// ---------------------------------------------------------------- simulcast layers
//
// The SFU picks, per receiver, which simulcast encoding and temporal layers of each video
// it forwards (docs/signaling.md, "Simulcast and layers"). This page helps with three
// messages: `render-size` tells it how large each received video is shown, so that it never
// sends more; `video-paused` / `video-resumed` say when it forwards none of a video, shown on
// the tile; `publish-layers` switches off the encodings of our own camera that no one takes.

// --- render-size: client -> server

const renderSize = {
  resize: null, // ResizeObserver of the remote video elements, null without one
  intersect: null, // IntersectionObserver, null without one
  offscreen: new WeakSet(), // video elements scrolled out of view
  timer: null, // the pending send, at most one
};

function initRenderSizes() {
  if (typeof ResizeObserver === 'function') {
    renderSize.resize = new ResizeObserver(() => scheduleRenderSizes());
  }
  if (typeof IntersectionObserver === 'function') {
    renderSize.intersect = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          renderSize.offscreen.delete(entry.target);
        } else {
          renderSize.offscreen.add(entry.target);
        }
      }
      scheduleRenderSizes();
    });
  }
  document.addEventListener('visibilitychange', () => scheduleRenderSizes());
}

function watchRenderSize(video) {
  renderSize.resize?.observe(video);
  renderSize.intersect?.observe(video);
  scheduleRenderSizes();
}

function unwatchRenderSize(video) {
  renderSize.resize?.unobserve(video);
  renderSize.intersect?.unobserve(video);
  renderSize.offscreen.delete(video);
  scheduleRenderSizes();
}

// Throttled rather than restarted on each change, so that a long resize still reports
// every RENDER_SIZE_DEBOUNCE_MS: at most two messages a second.
function scheduleRenderSizes() {
  if (renderSize.timer !== null) return;
  renderSize.timer = setTimeout(() => {
    renderSize.timer = null;
    if (session) sendRenderSizes(session);
  }, RENDER_SIZE_DEBOUNCE_MS);
}

// Sends the whole list, one entry per received video mid, when it differs from the last one
// sent on this session.
function sendRenderSizes(s) {
  if (s.renderSizeUnsupported || s.ws.readyState !== WebSocket.OPEN) return;
  const sizes = s.videoMids.map((mid) => ({ mid, ...measureRenderSize(tiles.get(s.midOwner.get(mid))?.video) }));
  const key = JSON.stringify(sizes);
  if (key === s.renderSizeKey || (s.renderSizeKey === null && sizes.length === 0)) return;
  s.renderSizeKey = key;
  atrium.renderSizes = sizes;
  send(s, { type: 'render-size', sizes });
  log(`render sizes ${sizes.map((x) => `${x.mid}:${x.width}x${x.height}`).join(' ') || '-'}`);
}

// The element's box in device pixels; 0x0 when it is not on screen at all.
function measureRenderSize(video) {
  if (!video || !video.isConnected || document.visibilityState === 'hidden' || renderSize.offscreen.has(video)) {
    return { width: 0, height: 0 };
  }
  const box = video.getBoundingClientRect();
  return renderSizeOf(box.width, box.height, window.devicePixelRatio || 1);
}

// CSS pixels times the device pixel ratio, rounded; both 0 unless both are positive.
function renderSizeOf(cssWidth, cssHeight, pixelRatio) {
  const width = Math.round(cssWidth * pixelRatio);
  const height = Math.round(cssHeight * pixelRatio);
  return width > 0 && height > 0 ? { width, height } : { width: 0, height: 0 };
}

// A server without layer allocation refuses the message as an unknown type; it is then
// simply not sent again on this connection, and the error is not shown.
function isRenderSizeRefusal(msg) {
  return msg.code === 'unknown-type' && typeof msg.message === 'string' && msg.message.includes("'render-size'");
}

function onRenderSizeUnsupported(s) {
  if (!s.renderSizeUnsupported) log('the server does not take render-size; not sent again');
  s.renderSizeUnsupported = true;
}

// --- video-paused / video-resumed: server -> client

function onVideoPaused(s, msg) {
  const id = pausedParticipant(s, msg);
  if (!id) return;
  const reason = typeof msg.reason === 'string' && msg.reason ? msg.reason : 'unknown';
  log(`video-paused ${id} mid ${msg.mid} reason=${reason}`);
  atrium.pausedVideo.set(id, reason);
  showVideoPause(id);
}

function onVideoResumed(s, msg) {
  const id = pausedParticipant(s, msg);
  if (!id) return;
  log(`video-resumed ${id} mid ${msg.mid}`);
  atrium.pausedVideo.delete(id);
  showVideoPause(id);
}

// The message names the participant; its mid (from the latest offer) stands in otherwise.
function pausedParticipant(s, msg) {
  const id = typeof msg.participantId === 'string' && msg.participantId ? msg.participantId : s.midOwner.get(msg.mid);
  if (!id) log(`${msg.type} for unknown mid ${msg.mid}: ignored`);
  return id || null;
}

// The tile's overlay and data-video-paused follow atrium.pausedVideo. Only the picture is
// covered: the element keeps playing, so the participant's audio goes on.
function showVideoPause(id) {
  const tile = tiles.get(id);
  if (!tile) return; // createTile calls this again
  const reason = atrium.pausedVideo.get(id);
  const text = reason === undefined ? '' : pauseText(reason);
  if (reason === undefined) {
    delete tile.root.dataset.videoPaused;
  } else {
    tile.root.dataset.videoPaused = reason;
  }
  tile.pausedNote.textContent = text;
  tile.pausedNote.hidden = !text;
}

function pauseText(reason) {
  return Object.hasOwn(PAUSE_TEXT, reason) ? PAUSE_TEXT[reason] : PAUSE_TEXT_OTHER;
}

// --- publish-layers: server -> publisher

async function onPublishLayers(s, msg) {
  const active = msg.active && typeof msg.active === 'object' ? msg.active : {};
  const sender = s.pc.getTransceivers().find((t) => t.mid === msg.mid)?.sender;
  if (!sender || !sender.track) {
    log(`publish-layers for mid ${msg.mid}, which sends nothing: ignored`);
    return;
  }
  const params = sender.getParameters();
  const encodings = params.encodings || [];
  const changed = setActiveEncodings(encodings, active);
  const unknown = Object.keys(active).filter((rid) => !encodings.some((e) => e.rid === rid));
  if (unknown.length) log(`publish-layers mid ${msg.mid}: unknown rids ${unknown.join(',')} ignored`);
  if (changed) {
    try {
      await sender.setParameters(params);
    } catch (err) {
      log(`publish-layers mid ${msg.mid} refused: ${err.name} ${err.message}`);
      return;
    }
  }
  const state = Object.fromEntries(sender.getParameters().encodings.filter((e) => e.rid).map((e) => [e.rid, e.active !== false]));
  atrium.publishLayers.set(msg.mid, state);
  log(`publish-layers mid ${msg.mid}: ${Object.entries(state).map(([rid, on]) => `${rid} ${on ? 'on' : 'off'}`).join(', ')}` +
    (changed ? '' : ' (unchanged)'));
}

// Sets `active` on each encoding whose rid the map names with a boolean; returns how many changed.
function setActiveEncodings(encodings, active) {
  let changed = 0;
  for (const encoding of encodings) {
    const want = encoding.rid && Object.hasOwn(active, encoding.rid) ? active[encoding.rid] : undefined;
    if (typeof want !== 'boolean' || (encoding.active !== false) === want) continue;
    encoding.active = want;
    changed++;
  }
  return changed;
}

// ---------------------------------------------------------------- autoplay

async function playVideo(video, id) {
  // Once sound was refused, play muted until the click: retrying unmuted would fail again.
  video.muted = soundBlocked;
  if (soundBlocked) ui.soundButton.hidden = false;
  try {
    await video.play();
    log(`playing ${id}${video.muted ? ' (muted)' : ''}`);
  } catch (err) {
    if (err.name === 'AbortError') return; // a newer srcObject replaced this load
    if (err.name !== 'NotAllowedError') {
      log(`play ${id}: ${err.name} ${err.message}`);
      return;
    }
    // Sound needs a click first: show the picture muted meanwhile.
    log(`autoplay with sound blocked for ${id}`);
    soundBlocked = true;
    ui.soundButton.hidden = false;
    video.muted = true;
    video.play().catch((e) => log(`muted play ${id}: ${e.name}`));
  }
}

function enableSound() {
  soundBlocked = false;
  ui.soundButton.hidden = true;
  log('sound enabled by click');
  for (const [id, tile] of tiles) {
    if (tile.video.srcObject) playVideo(tile.video, id);
  }
}

// ---------------------------------------------------------------- go

start().catch((err) => {
  log(`start failed: ${err?.name} ${err?.message}`);
  setState('error', 'Not connected');
  showError(`The page could not start: ${err?.message ?? err}`);
});
