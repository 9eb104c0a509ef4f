// Types shared by the SDK's modules and its users (JSDoc only; this module exports no values).

/** @typedef {{ id: string, name: string, identity?: string }} Participant */

/**
 * What a track carries. A participant publishes at most one of each: a microphone and a
 * camera (publish sections mids "0" and "1", always offered), and a screen with its audio
 * (sections the SFU adds on request).
 * @typedef {'microphone' | 'camera' | 'screen' | 'screen-audio'} TrackSource
 */

/**
 * The signaling connection: `connecting` until the first `joined`, `connected` while
 * joined, `reconnecting` while the SDK resumes the session or joins again after the
 * connection was lost, `disconnected` after `leave()` or a refusal another try would
 * only repeat.
 * @typedef {'connecting' | 'connected' | 'reconnecting' | 'disconnected'} ConnectionState
 */

/**
 * @typedef {object} RemoteTrack
 * @property {string} participantId whose track
 * @property {string} mid the subscribed m-section that carries it
 * @property {'audio' | 'video'} kind
 * @property {TrackSource} source what it carries: lay out a `screen` apart from a `camera`
 * @property {boolean} muted whether its sender has muted it now (kept current; see `track-muted`)
 * @property {MediaStreamTrack} track the browser's track; never stop() it (the SFU may reuse the slot)
 * @property {MediaStream | null} stream the participant's stream (its id is the participant id)
 */

/**
 * @typedef {object} DataMessage
 * @property {string} label the channel's label
 * @property {string} from the sender's participant id
 * @property {string | null} text the payload as text, when the sender sent text
 * @property {Uint8Array} bytes the payload's bytes
 */

/**
 * An `error` message of the server (its `code` and `message`), or a failure of the SDK
 * itself: codes `bad-offer` (an offer could not be applied), `listener` (an event
 * listener threw), `render-size-unsupported`.
 * @typedef {{ code: string, message: string }} AtriumError
 */

/**
 * The events of AtriumClient, by name, with their payloads.
 * @typedef {object} ClientEvents
 * @property {{ state: ConnectionState, reason?: string }} connection-state
 * @property {{ participantId: string, room: string, name: string, identity?: string, participants: Participant[] }} joined
 * @property {Participant} participant-joined
 * @property {{ participantId: string, reason: string }} participant-left
 * @property {RemoteTrack} track-added
 * @property {RemoteTrack} track-removed
 * @property {{ participantId: string, source: TrackSource }} track-muted another participant muted a source
 * @property {{ participantId: string, source: TrackSource }} track-unmuted
 * @property {{ participantId: string }} active-speaker
 * @property {{ participantId: string, mid: string, reason: string }} video-paused
 * @property {{ participantId: string, mid: string }} video-resumed
 * @property {{ mid: string, active: Record<string, boolean> }} publish-layers
 * @property {{ label: string }} channel-open a channel of openDataChannel() can send (again, after a rejoin)
 * @property {{ label: string }} channel-close an open channel of openDataChannel() can no longer send (until its next channel-open)
 * @property {DataMessage} data
 * @property {{ label: string, reason: string }} data-dropped
 * @property {AtriumError} error
 * @property {{ participantId: string, previousParticipantId: string, node: string, url: string, reason: string }} moved
 *     this client moved to another node (its node drained): its own participant id changed, the others' did not
 */

/**
 * The minimal WebSocket the SDK needs: the browser's, or `ws`'s client in Node.
 * @typedef {object} SocketLike
 * @property {number} readyState 0 connecting, 1 open, 2 closing, 3 closed
 * @property {(data: string) => void} send
 * @property {(code?: number, reason?: string) => void} close
 * @property {(type: string, listener: (event: any) => void) => void} addEventListener
 */

/** @typedef {new (url: string) => SocketLike} SocketConstructor */
/** @typedef {new (configuration?: RTCConfiguration) => RTCPeerConnection} PeerConnectionConstructor */

/**
 * @typedef {object} ReconnectOptions
 * @property {number} [minDelayMs] first wait before another try (1000)
 * @property {number} [maxDelayMs] longest wait; each try doubles it (15000)
 * @property {number} [resumeGraceMs] how long the server keeps a dropped session (20000, `--reconnect-grace`)
 * @property {number} [connectTimeoutMs] a connection not open by then counts as refused, and the next
 *     node of the cluster is tried (3000)
 */

/**
 * @typedef {object} ClientOptions
 * @property {string} room the room name (1-64 characters of A-Z a-z 0-9 _ - .)
 * @property {string} [name] display name (the server's default is "guest")
 * @property {string} [token] join token (JWT), for servers that require one
 * @property {string} [url] the signaling WebSocket URL; in a browser, `/ws` of the page's host by default
 * @property {SocketConstructor} [WebSocket] defaults to globalThis.WebSocket
 * @property {PeerConnectionConstructor} [RTCPeerConnection] defaults to globalThis.RTCPeerConnection
 * @property {RTCConfiguration} [rtcConfiguration] extra peer-connection settings, e.g. `{iceTransportPolicy: 'relay'}`
 * @property {ReconnectOptions | false} [reconnect] resume and rejoin after a lost connection (on by default)
 * @property {number} [renderSizeDebounceMs] at most one render-size per this many ms (500)
 * @property {boolean} [noRedirect] the first join is taken by the node at `url` (as after a redirect)
 */

export {};
