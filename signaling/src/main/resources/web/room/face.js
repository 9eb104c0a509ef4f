// The "Face overlay" button: while it is on, every remote video tile runs face detection on
// its video and draws a box and sunglasses over each face (the face overlay module, served at
// /face/). The module and its detector load on the first press only, so a page that never
// turns it on downloads none of it; tiles that come and go while it is on get and lose their
// overlays as they do.

import { atrium } from './hook.js';

const TILE_VIDEOS = '.tile.remote video';

/** @type {Promise<typeof import('/face/face-overlay.js')> | null} */
let loading = null;
/** @type {Map<HTMLVideoElement, { stop(): void }>} the test hook shows them */
const overlays = atrium.faceOverlays;
/** @type {MutationObserver | null} */
let watcher = null;
let on = false;

/**
 * Turns the overlay on or off for every remote video, now and to come.
 * @param {boolean} enabled
 */
export function setFaceOverlay(enabled) {
  on = enabled;
  if (!on) {
    watcher?.disconnect();
    watcher = null;
    for (const overlay of overlays.values()) overlay.stop();
    overlays.clear();
    return;
  }
  loading ??= import('/face/face-overlay.js');
  loading.then((module) => {
    if (!on) return;
    sync(module);
    if (!watcher) {
      watcher = new MutationObserver(() => sync(module));
      watcher.observe(document.body, { childList: true, subtree: true });
    }
  }, (error) => {
    loading = null;
    console.warn('face overlay: could not load', error);
  });
}

/**
 * Gives every remote video in the page an overlay and stops those whose video left it.
 * @param {typeof import('/face/face-overlay.js')} module
 */
function sync(module) {
  const videos = new Set(/** @type {NodeListOf<HTMLVideoElement>} */ (document.querySelectorAll(TILE_VIDEOS)));
  for (const [video, overlay] of overlays) {
    if (!videos.has(video)) {
      overlay.stop();
      overlays.delete(video);
    }
  }
  for (const video of videos) {
    const tile = video.closest('.tile');
    if (overlays.has(video) || !(tile instanceof HTMLElement)) continue;
    const overlay = new module.FaceOverlay(tile, video);
    overlays.set(video, overlay);
    overlay.start();
  }
}
