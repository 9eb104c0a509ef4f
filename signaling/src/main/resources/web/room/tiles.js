// The remote tiles: one per participant for camera and microphone, and one more while that
// participant shares a screen. Each keeps the data attributes the tests and the styles read
// (data-audio-muted, data-video-muted, data-video-paused, data-active-speaker), and tells the
// SDK how large its video is shown so that the SFU never sends more than that.

import { atrium, log } from './hook.js';

// The words on a tile whose video the SFU paused, by `video-paused` reason; '' shows none.
const PAUSE_TEXT = /** @type {Record<string, string>} */ ({
  bandwidth: 'Video paused: your connection is too slow',
  unavailable: 'Video paused: no video is coming from this participant',
  'not-visible': '',
});

/**
 * @typedef {object} Tile
 * @property {string} participantId
 * @property {'camera' | 'screen'} kind
 * @property {HTMLElement} root
 * @property {HTMLVideoElement} video
 * @property {HTMLElement} name
 * @property {HTMLElement} note
 * @property {MediaStream} stream what the video element plays
 * @property {string | null} videoMid the mid of the video it shows, for render sizes
 * @property {Map<string, string>} paused mid -> reason
 */

/** @param {{ source: string }} track a RemoteTrack */
function isScreen(track) {
  return track.source === 'screen' || track.source === 'screen-audio';
}

export class Tiles {
  /** @type {Map<string, Tile>} `${participantId}/camera` or `${participantId}/screen` */
  #tiles = new Map();
  #grid;
  #client;
  #play;
  #resize;
  #intersect;
  /** @type {WeakSet<Element>} */
  #offscreen = new WeakSet();

  /**
   * @param {HTMLElement} grid where tiles go
   * @param {{ setRenderSize(mid: string, width: number, height: number): void }} client
   * @param {(video: HTMLVideoElement) => void} play starts playback (autoplay rules live elsewhere)
   */
  constructor(grid, client, play) {
    this.#grid = grid;
    this.#client = client;
    this.#play = play;
    this.#resize = typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => entries.forEach((e) => this.#reportSize(e.target))) : null;
    this.#intersect = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.#offscreen.delete(entry.target);
          else this.#offscreen.add(entry.target);
          this.#reportSize(entry.target);
        }
      }) : null;
    document.addEventListener('visibilitychange', () => {
      for (const tile of this.#tiles.values()) this.#reportSize(tile.video);
    });
  }

  /** Every tile element, camera tiles and screen tiles. */
  get all() {
    return [...this.#tiles.values()];
  }

  /**
   * @param {string} id
   * @param {string} name
   */
  addParticipant(id, name) {
    const label = name || id;
    let entry = atrium.remote.get(id);
    if (entry) {
      entry.name = label;
    } else {
      entry = { name: label, stream: new MediaStream(), screenStream: null, muted: { camera: false, microphone: false } };
      atrium.remote.set(id, entry);
      this.#create(id, 'camera', entry.stream);
      log(`tile added ${id}`);
    }
    for (const tile of this.#tilesOf(id)) this.#label(tile, label);
  }

  /** @param {string} id */
  removeParticipant(id) {
    for (const tile of this.#tilesOf(id)) this.#drop(tile);
    atrium.remote.delete(id);
    atrium.pausedVideo.delete(id);
    atrium.quality.delete(id);
    log(`tile removed ${id}`);
  }

  /** @param {import('/sdk/types.js').RemoteTrack} rt */
  addTrack(rt) {
    const id = rt.participantId;
    if (!atrium.remote.has(id)) this.addParticipant(id, '');
    const entry = atrium.remote.get(id);
    const source = rt.source;
    const screen = isScreen(rt);
    let tile = this.#tiles.get(`${id}/${screen ? 'screen' : 'camera'}`);
    if (!tile && screen) {
      entry.screenStream = new MediaStream();
      tile = this.#create(id, 'screen', entry.screenStream);
      this.#label(tile, entry.name);
    }
    if (!tile) return;
    // One track per kind and tile: a new one (a reused m-section) replaces the old.
    for (const old of tile.stream.getTracks()) {
      if (old.kind === rt.kind && old !== rt.track) tile.stream.removeTrack(old);
    }
    if (!tile.stream.getTrackById(rt.track.id)) tile.stream.addTrack(rt.track);
    if (rt.kind === 'video') tile.videoMid = rt.mid;
    log(`track ${source} (${rt.kind}) mid ${rt.mid} from ${id}`);
    this.setMuted(id, source, rt.muted);
    // Audio and video arrive in the same offer: attach once, after both.
    setTimeout(() => this.#attach(tile), 0);
    this.#reportSize(tile.video);
  }

  /** @param {import('/sdk/types.js').RemoteTrack} rt */
  removeTrack(rt) {
    const kind = isScreen(rt) ? 'screen' : 'camera';
    const tile = this.#tiles.get(`${rt.participantId}/${kind}`);
    if (!tile) return;
    // Not stop()ped: the transceiver's track is reused for the SFU's next participant.
    if (tile.stream.getTrackById(rt.track.id)) tile.stream.removeTrack(rt.track);
    if (rt.kind === 'video' && tile.videoMid === rt.mid) {
      this.#client.setRenderSize(rt.mid, 0, 0);
      tile.videoMid = null;
    }
    if (kind === 'screen' && tile.stream.getTracks().length === 0) {
      this.#drop(tile);
      const entry = atrium.remote.get(rt.participantId);
      if (entry) entry.screenStream = null;
      log(`screen tile removed ${rt.participantId}`);
    }
  }

  /**
   * A participant muted or unmuted a source (`track-muted` / `track-unmuted`).
   * @param {string} id
   * @param {string} source
   * @param {boolean} muted
   */
  setMuted(id, source, muted) {
    const entry = atrium.remote.get(id);
    const screen = source === 'screen' || source === 'screen-audio';
    const tile = this.#tiles.get(`${id}/${screen ? 'screen' : 'camera'}`);
    if (!entry || !tile) return;
    entry.muted[source] = muted;
    if (source === 'microphone' || source === 'screen-audio') tile.root.dataset.audioMuted = String(muted);
    else tile.root.dataset.videoMuted = String(muted);
  }

  /**
   * @param {string} id
   * @param {string} mid
   * @param {string | null} reason null: resumed
   */
  setPaused(id, mid, reason) {
    const tiles = this.#tilesOf(id);
    // A pause may name a mid whose track has not arrived yet: the camera tile shows it.
    const tile = tiles.find((t) => t.videoMid === mid) ?? this.#tiles.get(`${id}/camera`);
    if (tile) {
      if (reason === null) tile.paused.delete(mid);
      else tile.paused.set(mid, reason);
      this.#showPause(tile);
    }
    const still = tiles.flatMap((t) => [...t.paused.values()])[0];
    if (reason !== null) atrium.pausedVideo.set(id, reason);
    else if (still === undefined) atrium.pausedVideo.delete(id);
    else atrium.pausedVideo.set(id, still);
  }

  /** @param {string | null} id the room's dominant speaker (tiles of others only) */
  setActiveSpeaker(id) {
    for (const tile of this.#tiles.values()) {
      markActive(tile.root, tile.kind === 'camera' && tile.participantId === id);
    }
  }

  /** Playback again (after the page was allowed to play sound). */
  replay() {
    for (const tile of this.#tiles.values()) if (tile.video.srcObject) this.#play(tile.video);
  }

  /**
   * @param {string} id
   * @param {'camera' | 'screen'} kind
   * @param {MediaStream} stream
   * @returns {Tile}
   */
  #create(id, kind, stream) {
    const root = document.createElement('figure');
    root.className = `tile remote ${kind}`;
    root.dataset.participantId = id;
    root.dataset.audioMuted = 'false';
    root.dataset.videoMuted = 'false';
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.dataset.participantId = id;
    video.dataset.source = kind;
    const avatar = document.createElement('div');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    const note = document.createElement('p');
    note.className = 'paused-note';
    note.setAttribute('role', 'status');
    note.hidden = true;
    const caption = document.createElement('figcaption');
    caption.className = 'label';
    const name = document.createElement('span');
    name.className = 'name';
    const icons = document.createElement('span');
    icons.className = 'icons';
    const quality = document.createElement('span');
    quality.className = 'quality';
    caption.append(name, icons, quality);
    root.append(video, avatar, note, caption);
    /** @type {Tile} */
    const tile = { participantId: id, kind, root, video, name, note, stream, videoMid: null, paused: new Map() };
    // A screen goes right after its owner's camera tile, so that a participant's first
    // video element in the document is the camera's.
    const camera = this.#tiles.get(`${id}/camera`);
    if (kind === 'screen' && camera) camera.root.after(root);
    else this.#grid.append(root);
    this.#tiles.set(`${id}/${kind}`, tile);
    markActive(root, kind === 'camera' && id === atrium.activeSpeaker);
    this.#resize?.observe(video);
    this.#intersect?.observe(video);
    return tile;
  }

  /** @param {Tile} tile */
  #drop(tile) {
    this.#resize?.unobserve(tile.video);
    this.#intersect?.unobserve(tile.video);
    if (tile.videoMid) this.#client.setRenderSize(tile.videoMid, 0, 0);
    tile.video.srcObject = null;
    tile.root.remove();
    this.#tiles.delete(`${tile.participantId}/${tile.kind}`);
  }

  /**
   * @param {Tile} tile
   * @param {string} label
   */
  #label(tile, label) {
    const what = tile.kind === 'screen' ? `Screen of ${label}` : label;
    tile.name.textContent = what;
    tile.video.setAttribute('aria-label', tile.kind === 'screen' ? what : `Video of ${label}`);
    const avatar = tile.root.querySelector('.avatar');
    if (avatar) avatar.textContent = Array.from(label)[0]?.toUpperCase() ?? '?';
  }

  /** @param {string} id */
  #tilesOf(id) {
    return [this.#tiles.get(`${id}/camera`), this.#tiles.get(`${id}/screen`)].filter((t) => t !== undefined);
  }

  /** (Re)assigns srcObject so that every browser picks up a track added after the first assignment. @param {Tile} tile */
  #attach(tile) {
    if (this.#tiles.get(`${tile.participantId}/${tile.kind}`) !== tile || !tile.stream.getTracks().length) return;
    tile.video.srcObject = tile.stream;
    this.#play(tile.video);
  }

  /** @param {Tile} tile */
  #showPause(tile) {
    const reason = [...tile.paused.values()][0];
    if (reason === undefined) delete tile.root.dataset.videoPaused;
    else tile.root.dataset.videoPaused = reason;
    const text = reason === undefined ? '' : (Object.hasOwn(PAUSE_TEXT, reason) ? PAUSE_TEXT[reason] : 'Video paused');
    tile.note.textContent = text;
    tile.note.hidden = !text;
  }

  /** The element's box in device pixels; 0x0 while it is not on screen. @param {Element} video */
  #reportSize(video) {
    const tile = [...this.#tiles.values()].find((t) => t.video === video);
    if (!tile || !tile.videoMid) return;
    let width = 0;
    let height = 0;
    if (video.isConnected && document.visibilityState !== 'hidden' && !this.#offscreen.has(video)) {
      const box = video.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      width = Math.round(box.width * ratio);
      height = Math.round(box.height * ratio);
      if (width <= 0 || height <= 0) width = height = 0;
    }
    this.#client.setRenderSize(tile.videoMid, width, height);
  }
}

/**
 * @param {HTMLElement} element
 * @param {boolean} active
 */
export function markActive(element, active) {
  if (active) element.dataset.activeSpeaker = 'true';
  else delete element.dataset.activeSpeaker;
}
