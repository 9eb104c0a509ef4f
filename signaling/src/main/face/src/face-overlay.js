/**
 * Atrium's face overlay: finds the faces in a received video and draws, over the video, a box and
 * a pair of sunglasses (face-glasses.svg) on each.
 *
 * The room page creates one {@link FaceOverlay} per video tile when the user turns the overlay on,
 * and stops them when it is turned off:
 *
 *     import { FaceOverlay } from '/face/face-overlay.js';
 *     const overlay = new FaceOverlay(tile, tile.querySelector('video'));
 *     overlay.start();   // ... later: overlay.stop();
 *
 * The detector is face-api's tiny face detector on TensorFlow.js's WASM backend, loaded on first
 * use from beside this module (the server serves every file, nothing comes from elsewhere). It
 * runs in a worker (face-detector-worker.js), or on the main thread where a module worker cannot
 * start. One scheduler serves all overlays of the page: one detection at a time, tiles in turn, at
 * a bounded rate (see DetectionScheduler), so the overlay takes a bounded share of a core.
 *
 * @module face-overlay
 */

import { loadFaceDetector } from './face-detector.js';

export { loadFaceDetector };

/** @typedef {import('./face-detector.js').FaceBox} FaceBox */
/** @typedef {import('./face-detector.js').FaceDetector} FaceDetector */

/** At most this many detections a second for the whole page, whatever the number of tiles... */
const MAX_DETECTIONS_PER_SECOND = 12;
/** ... and this many for one tile: faces move little in a sixth of a second, and a lone tile need
 * not take the whole budget. Four tiles get 3 a second each when the machine keeps up. */
const MAX_DETECTIONS_PER_TILE = 6;
/**
 * The share of a core detections may take: after a detection, wait at least (1 / share - 1) times
 * its duration. In the worker, that leaves the rest of its core to decoding and the SFU's other
 * work; on the main thread (no worker), half of it to input, rendering and the room's own work.
 */
const MAX_BUSY_SHARE = { worker: 0.75, main: 0.5 };
/** How soon to look again when no tile has a playing video. */
const IDLE_RETRY_MS = 250;
/** After a failed detection, a pause before the next, so a broken detector does not spin. */
const FAILURE_PAUSE_MS = 1000;

/** The glasses' eye line sits this far down the detector's box (it runs from the brows to the chin). */
const EYE_LINE = 0.3;

/**
 * One queue of detections for every overlay of the page: one detection at a time (the detector is
 * single-threaded WASM, two at once would only share the same core), tiles served in turn, and a
 * pause after each detection that bounds both the rate and the main thread's busy share.
 */
class DetectionScheduler {
  /** @type {FaceOverlay[]} */
  #overlays = [];
  #next = 0;
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null;
  #running = false;

  /** @param {FaceOverlay} overlay */
  add(overlay) {
    if (!this.#overlays.includes(overlay)) {
      this.#overlays.push(overlay);
    }
    this.#schedule(0);
  }

  /** @param {FaceOverlay} overlay */
  remove(overlay) {
    const index = this.#overlays.indexOf(overlay);
    if (index < 0) {
      return;
    }
    this.#overlays.splice(index, 1);
    if (index < this.#next) {
      this.#next--;
    }
    if (this.#overlays.length === 0 && this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  /** @param {number} delayMs */
  #schedule(delayMs) {
    if (this.#timer !== null || this.#running || this.#overlays.length === 0) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#runOne();
    }, Math.max(0, delayMs));
  }

  /**
   * The next overlay in turn whose video has a frame to look at and whose last detection began at
   * least 1 / MAX_DETECTIONS_PER_TILE s ago; else null and how long until one's may begin.
   *
   * @param {number} now
   * @returns {{ overlay: FaceOverlay | null, waitMs: number }}
   */
  #pick(now) {
    const count = this.#overlays.length;
    let waitMs = IDLE_RETRY_MS;
    for (let i = 0; i < count; i++) {
      const overlay = this.#overlays[(this.#next + i) % count];
      if (!overlay.ready()) {
        continue;
      }
      const due = overlay.lastStart + 1000 / MAX_DETECTIONS_PER_TILE - now;
      if (due <= 0) {
        this.#next = (this.#next + i + 1) % count;
        return { overlay, waitMs: 0 };
      }
      waitMs = Math.min(waitMs, due);
    }
    return { overlay: null, waitMs };
  }

  async #runOne() {
    const started = performance.now();
    const { overlay, waitMs } = this.#pick(started);
    if (!overlay) {
      this.#schedule(waitMs);
      return;
    }
    this.#running = true;
    overlay.lastStart = started;
    let failed = false;
    try {
      await overlay.detectOnce();
    } catch (error) {
      console.warn('face overlay: detection failed', error);
      failed = true;
    } finally {
      this.#running = false;
    }
    if (failed) {
      this.#schedule(FAILURE_PAUSE_MS);
      return;
    }
    // The rate counts from the start; the busy share counts the detector's own time, not the
    // frame's trip to the worker and back (which, on a loaded machine, is mostly waiting).
    const took = performance.now() - started;
    const share = MAX_BUSY_SHARE[overlay.thread()];
    this.#schedule(Math.max(1000 / MAX_DETECTIONS_PER_SECOND - took, overlay.lastDetectionMs * (1 / share - 1)));
  }
}

const scheduler = new DetectionScheduler();

/**
 * Face detection on one video, drawn on a `canvas.face-overlay` laid over it inside its tile.
 *
 * While started, the tile carries `data-faces` (faces in the latest detection) and
 * `data-detections` (detections made so far); if the detector cannot load, `data-face-error`.
 * The canvas's pixel buffer is the video frame's size, so boxes are drawn in frame coordinates,
 * and the canvas covers exactly the part of the video element the frame is shown in
 * (object-fit contain, cover, fill, none or scale-down; centred as object-position's default),
 * with the video's CSS transform (a mirrored preview stays aligned).
 */
export class FaceOverlay {
  /**
   * The faces of the latest detection, in the coordinates of the frame now shown (emptied when the
   * frame size changes, as the canvas is). @type {FaceBox[]}
   */
  lastFaces = [];
  /** Detections made since the latest start(). */
  detections = 0;
  /** The detector's time on the latest detection, in milliseconds (in the worker, or on the main thread). */
  lastDetectionMs = 0;
  /** When the latest detection began (performance.now(); for the scheduler). */
  lastStart = -Infinity;

  #tile;
  #video;
  /** @type {HTMLCanvasElement | null} */
  #canvas = null;
  /** @type {FaceDetector | null} */
  #detector = null;
  /** @type {ResizeObserver | null} */
  #resizeObserver = null;
  #onVideoResize = () => this.#layout();
  /** The tile's inline position before start() made it a containing block, or null if untouched. */
  #tilePosition = /** @type {string | null} */ (null);
  #started = false;

  /**
   * @param {HTMLElement} tile the element the canvas is added to (the video's tile; it need not be
   *     the video's parent)
   * @param {HTMLVideoElement} video the video to look for faces in
   */
  constructor(tile, video) {
    this.#tile = tile;
    this.#video = video;
  }

  /** Adds the canvas and starts detecting (after the detector has loaded). Does nothing if started. */
  start() {
    if (this.#started) {
      return;
    }
    this.#started = true;
    this.detections = 0;
    const canvas = document.createElement('canvas');
    canvas.className = 'face-overlay';
    canvas.setAttribute('aria-hidden', 'true');
    canvas.style.position = 'absolute';
    canvas.style.pointerEvents = 'none';
    canvas.style.margin = '0';
    this.#canvas = canvas;
    // The canvas is placed relative to the tile: make the tile its containing block if it is not one.
    if (getComputedStyle(this.#tile).position === 'static') {
      this.#tilePosition = this.#tile.style.position;
      this.#tile.style.position = 'relative';
    }
    this.#tile.append(canvas);
    this.#tile.dataset.faces = '0';
    this.#tile.dataset.detections = '0';
    this.#resizeObserver = new ResizeObserver(() => this.#layout());
    this.#resizeObserver.observe(this.#video);
    this.#resizeObserver.observe(this.#tile);
    this.#video.addEventListener('resize', this.#onVideoResize);
    this.#layout();
    loadFaceDetector().then((detector) => {
      if (this.#started) {
        this.#detector = detector;
        scheduler.add(this);
      }
    }, (error) => {
      console.error('face overlay: the detector did not load', error);
      if (this.#started) {
        this.#tile.dataset.faceError = String(error?.message ?? error);
      }
    });
  }

  /** Stops detecting and removes the canvas and the tile's data attributes. */
  stop() {
    if (!this.#started) {
      return;
    }
    this.#started = false;
    scheduler.remove(this);
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = null;
    this.#video.removeEventListener('resize', this.#onVideoResize);
    this.#canvas?.remove();
    this.#canvas = null;
    if (this.#tilePosition !== null) {
      this.#tile.style.position = this.#tilePosition;
      this.#tilePosition = null;
    }
    delete this.#tile.dataset.faces;
    delete this.#tile.dataset.detections;
    delete this.#tile.dataset.faceError;
    this.lastFaces = [];
  }

  /**
   * Whether the video has a frame to look at now (for the scheduler).
   *
   * @returns {boolean}
   */
  ready() {
    const video = this.#video;
    return this.#started && this.#detector !== null && this.#tile.isConnected
        && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0 && !video.paused;
  }

  /**
   * Where this overlay's detector runs (for the scheduler).
   *
   * @returns {'worker' | 'main'}
   */
  thread() {
    return this.#detector?.thread ?? 'main';
  }

  /**
   * One detection on the video's current frame, then the drawing (for the scheduler).
   *
   * @returns {Promise<void>}
   */
  async detectOnce() {
    const detector = this.#detector;
    if (!detector) {
      return;
    }
    const width = this.#video.videoWidth;
    const height = this.#video.videoHeight;
    const { faces, ms } = await detector.detect(this.#video);
    // A frame of another size arrived meanwhile (the SFU switched layers): the boxes may belong to
    // either, so they are dropped rather than drawn at the wrong scale.
    if (!this.#started || this.#video.videoWidth !== width || this.#video.videoHeight !== height) {
      return;
    }
    this.lastDetectionMs = ms;
    this.lastFaces = faces;
    this.detections++;
    this.#draw(faces, detector.image);
    this.#tile.dataset.faces = String(faces.length);
    this.#tile.dataset.detections = String(this.detections);
  }

  /** Places the canvas over the part of the video element the frame is shown in. */
  #layout() {
    const canvas = this.#canvas;
    const video = this.#video;
    if (!canvas) {
      return;
    }
    const frameWidth = video.videoWidth;
    const frameHeight = video.videoHeight;
    if (!frameWidth || !frameHeight) {
      canvas.style.display = 'none';
      return;
    }
    canvas.style.display = '';
    const style = getComputedStyle(video);
    const px = (/** @type {string} */ value) => parseFloat(value) || 0;
    const padLeft = px(style.paddingLeft);
    const padTop = px(style.paddingTop);
    const boxWidth = video.clientWidth - padLeft - px(style.paddingRight);
    const boxHeight = video.clientHeight - padTop - px(style.paddingBottom);
    let scaleX = boxWidth / frameWidth;
    let scaleY = boxHeight / frameHeight;
    const contain = Math.min(scaleX, scaleY);
    switch (style.objectFit) {
      case 'fill': break;
      case 'cover': scaleX = scaleY = Math.max(scaleX, scaleY); break;
      case 'none': scaleX = scaleY = 1; break;
      case 'scale-down': scaleX = scaleY = Math.min(1, contain); break;
      default: scaleX = scaleY = contain;
    }
    const width = frameWidth * scaleX;
    const height = frameHeight * scaleY;
    const videoRect = video.getBoundingClientRect();
    const tileRect = this.#tile.getBoundingClientRect();
    // Relative to the tile's padding box, which is what absolute positioning measures from.
    const left = videoRect.left - tileRect.left - this.#tile.clientLeft + this.#tile.scrollLeft
        + video.clientLeft + padLeft + (boxWidth - width) / 2;
    const top = videoRect.top - tileRect.top - this.#tile.clientTop + this.#tile.scrollTop
        + video.clientTop + padTop + (boxHeight - height) / 2;
    // A mirrored video (a local preview's scaleX(-1)) mirrors its frame about the centre of the
    // video box, which is also the canvas's centre: the same transform keeps boxes on the faces,
    // while the canvas's pixels stay in the frame's own, unmirrored, coordinates.
    canvas.style.transform = style.transform === 'none' ? '' : style.transform;
    canvas.style.left = `${left}px`;
    canvas.style.top = `${top}px`;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    if (canvas.width !== frameWidth || canvas.height !== frameHeight) {
      // Resizing clears the canvas: the drawn boxes, in the old frame's coordinates, are gone with it.
      canvas.width = frameWidth;
      canvas.height = frameHeight;
      this.lastFaces = [];
    }
  }

  /**
   * @param {FaceBox[]} faces
   * @param {HTMLImageElement} image
   */
  #draw(faces, image) {
    this.#layout();
    const canvas = this.#canvas;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) {
      return;
    }
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.lineWidth = Math.max(2, Math.round(canvas.width / 240));
    context.strokeStyle = '#3ddc84';
    for (const face of faces) {
      context.strokeRect(face.x, face.y, face.width, face.height);
      const width = face.width * 0.9;
      const height = width * (image.naturalHeight / image.naturalWidth);
      context.drawImage(image, face.x + (face.width - width) / 2, face.y + face.height * EYE_LINE - height / 2,
          width, height);
    }
  }
}
