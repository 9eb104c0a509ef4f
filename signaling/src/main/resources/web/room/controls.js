// The call controls: microphone, camera, screen sharing, face overlay. Each button is a
// real <button> whose text is its accessible name and says what pressing it does.
//
// Muting goes through the SDK (setMuted), which tells the others and sends nothing for
// that source meanwhile; stopping the camera also stops the track, so that its light goes
// off, and starting it again publishes a new track in the same session.

import { setFaceOverlay } from './face.js';
import { atrium, log } from './hook.js';
import { cameraConstraints, describe, explainMediaError } from './media.js';

/**
 * @typedef {object} ControlsUi
 * @property {HTMLButtonElement} mic
 * @property {HTMLButtonElement} camera
 * @property {HTMLButtonElement} screen
 * @property {HTMLButtonElement} face
 * @property {HTMLElement} localTile
 * @property {HTMLVideoElement} localVideo
 */

/**
 * @param {import('/sdk/atrium-client.js').AtriumClient} client
 * @param {ControlsUi} ui
 * @param {{ stream: MediaStream, cameraId?: string }} local the stream published (atrium.localStream)
 * @param {(text: string) => void} showError
 */
export function setupControls(client, ui, local, showError) {
  /** @type {MediaStream | null} */
  let screen = null;
  /** @type {HTMLElement | null} */
  let screenTile = null;
  let busy = false;

  const micTrack = () => local.stream.getAudioTracks()[0] ?? null;
  const cameraTrack = () => local.stream.getVideoTracks()[0] ?? null;

  const render = () => {
    const micOff = !micTrack() || client.isMuted('microphone');
    ui.mic.textContent = micOff ? 'Unmute microphone' : 'Mute microphone';
    ui.mic.disabled = !micTrack();
    const camOff = !cameraTrack() || cameraTrack()?.readyState !== 'live';
    ui.camera.textContent = camOff ? 'Start camera' : 'Stop camera';
    ui.screen.textContent = screen ? 'Stop sharing' : 'Share screen';
    ui.screen.disabled = !navigator.mediaDevices?.getDisplayMedia;
    ui.localTile.dataset.audioMuted = String(micOff);
    ui.localTile.dataset.videoMuted = String(camOff);
  };

  /** @param {() => Promise<void>} action */
  const run = (action) => async () => {
    if (busy) return;
    busy = true;
    try {
      await action();
    } catch (err) {
      log(`control failed: ${describe(err)}`);
      showError(`That did not work: ${explainMediaError(err)}`);
    } finally {
      busy = false;
      render();
    }
  };

  ui.mic.addEventListener('click', run(async () => {
    const on = !client.isMuted('microphone');
    await client.setMuted('microphone', on);
    log(`microphone ${on ? 'muted' : 'unmuted'}`);
  }));

  ui.camera.addEventListener('click', run(async () => {
    const track = cameraTrack();
    if (track && track.readyState === 'live') {
      await client.setMuted('camera', true);
      track.stop(); // the camera's light goes off
      local.stream.removeTrack(track);
      ui.localVideo.srcObject = null;
      log('camera stopped');
      return;
    }
    const fresh = (await navigator.mediaDevices.getUserMedia({ video: cameraConstraints(local.cameraId) }))
      .getVideoTracks()[0];
    if (track) local.stream.removeTrack(track);
    local.stream.addTrack(fresh);
    showPreview(ui.localVideo, local.stream);
    await client.publish(fresh, { source: 'camera' });
    await client.setMuted('camera', false);
    log('camera started');
  }));

  const stopSharing = async () => {
    const display = screen;
    if (!display) return;
    screen = null;
    screenTile?.remove();
    screenTile = null;
    for (const track of display.getTracks()) track.stop();
    await client.unpublish('screen');
    if (display.getAudioTracks().length) await client.unpublish('screen-audio');
    log('screen sharing stopped');
  };

  ui.screen.addEventListener('click', run(async () => {
    if (screen) {
      await stopSharing();
      return;
    }
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    screen = display;
    const video = display.getVideoTracks()[0];
    // Ended from the browser's own "Stop sharing" bar.
    video?.addEventListener('ended', () => run(stopSharing)());
    screenTile = localScreenTile(display);
    ui.localTile.after(screenTile);
    try {
      if (video) await client.publish(video, { source: 'screen' });
      const audio = display.getAudioTracks()[0];
      if (audio) await client.publish(audio, { source: 'screen-audio' });
    } catch (err) {
      await stopSharing().catch(() => {});
      throw err;
    }
    log(`screen sharing started${display.getAudioTracks().length ? ' with audio' : ''}`);
  }));

  ui.face.addEventListener('click', () => {
    const on = ui.face.getAttribute('aria-pressed') !== 'true';
    ui.face.setAttribute('aria-pressed', String(on));
    setFaceOverlay(on);
  });

  render();
  return { render };
}

/**
 * Shows your own camera, never your own microphone.
 * @param {HTMLVideoElement} video
 * @param {MediaStream | null} stream
 */
export function showPreview(video, stream) {
  video.muted = true;
  video.srcObject = stream && stream.getVideoTracks().length ? stream : null;
  if (video.srcObject) video.play().catch((err) => log(`preview play: ${describe(err)}`));
}

/** @param {MediaStream} display */
function localScreenTile(display) {
  const root = document.createElement('figure');
  root.className = 'tile local screen';
  const video = document.createElement('video');
  video.setAttribute('aria-label', 'Your shared screen');
  showPreview(video, new MediaStream(display.getVideoTracks()));
  const caption = document.createElement('figcaption');
  caption.className = 'label';
  caption.textContent = `Your screen (${atrium.name ?? 'you'})`;
  root.append(video, caption);
  return root;
}
