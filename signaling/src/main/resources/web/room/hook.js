// The test hook, window.atrium: plain data the browser tests read (and print on failure).
// Kept current by the other modules; the join token never goes in it.

const MAX_LOG_LINES = 2000;
const startTime = performance.now();

/** @type {{ peerConnection: RTCPeerConnection | null } | null} */
let client = null;

export const atrium = {
  state: 'starting',
  participantId: /** @type {string | null} */ (null),
  room: /** @type {string | null} */ (null),
  name: /** @type {string | null} */ (null),
  /** participantId -> { name, stream (camera + microphone), screenStream, muted: {source: bool} } */
  remote: new Map(),
  activeSpeaker: /** @type {string | null} */ (null),
  /** @type {string[]} */
  log: [],
  reconnects: 0, // joins made again by the SDK after a lost session (a new participantId)
  resumes: 0, // sessions taken back on a new connection (the same participantId)
  moves: 0, // moves to another node of the cluster, told by a draining node (a new participantId, no gap)
  node: /** @type {string | null} */ (null), // the cluster node this page is on (joined.nodes), null alone
  url: /** @type {string | null} */ (null), // the signaling URL this page is connected to
  /** participantId -> reason of its `video-paused`, until `video-resumed` */
  pausedVideo: new Map(),
  /** participantId -> 'good' | 'fair' | 'poor' */
  quality: new Map(),
  localStream: /** @type {MediaStream | null} */ (null),
  /** remote video -> its face overlay (lastFaces, detections), while the "Face overlay" button is on */
  faceOverlays: /** @type {Map<HTMLVideoElement, any>} */ (new Map()),
};

// The current peer connection: the SDK makes a new one on each rejoin.
Object.defineProperty(atrium, 'pc', { enumerable: true, get: () => client?.peerConnection ?? null });

/** @param {{ peerConnection: RTCPeerConnection | null }} sdkClient */
export function useClient(sdkClient) {
  client = sdkClient;
}

/** @param {string} text */
export function log(text) {
  const line = `${((performance.now() - startTime) / 1000).toFixed(3)}s ${text}`;
  atrium.log.push(line);
  if (atrium.log.length > MAX_LOG_LINES) atrium.log.splice(0, atrium.log.length - MAX_LOG_LINES);
  console.debug('[atrium]', line);
}

/** @type {any} */ (window).atrium = atrium;
