// The pre-join screen: your name, which camera and microphone, and a preview of the
// camera. Resolves once you press Join, with the stream to publish.

import { log } from './hook.js';
import { describe, explainMediaError, getLocalMedia, listDevices } from './media.js';
import { cleanName } from './params.js';
import { showPreview } from './controls.js';

const NAME_KEY = 'atrium.name';

/**
 * @typedef {object} PrejoinUi
 * @property {HTMLElement} section
 * @property {HTMLFormElement} form
 * @property {HTMLInputElement} name
 * @property {HTMLSelectElement} camera
 * @property {HTMLSelectElement} microphone
 * @property {HTMLVideoElement} preview
 * @property {HTMLElement} note what happened with the devices
 */

/**
 * @param {PrejoinUi} ui
 * @returns {Promise<{ name: string, stream: MediaStream | null, error: unknown, cameraId?: string }>}
 */
export async function prejoin(ui) {
  ui.section.hidden = false;
  ui.name.value = readSavedName();
  let { stream, error } = await getLocalMedia();
  await fillSelects(ui, stream);
  show(ui, stream, error);

  /** @param {'camera' | 'microphone'} changed */
  const pick = async (changed) => {
    const cameraId = ui.camera.value || undefined;
    const microphoneId = ui.microphone.value || undefined;
    for (const track of stream?.getTracks() ?? []) track.stop();
    ({ stream, error } = await getLocalMedia({
      cameraId, microphoneId, camera: ui.camera.value !== 'none', microphone: ui.microphone.value !== 'none',
    }));
    log(`pre-join: ${changed} changed`);
    show(ui, stream, error);
  };
  ui.camera.addEventListener('change', () => pick('camera'));
  ui.microphone.addEventListener('change', () => pick('microphone'));
  ui.name.focus();

  await new Promise((resolve) => {
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      resolve(undefined);
    }, { once: true });
  });
  const name = cleanName(ui.name.value);
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // storage refused (private mode): the name is simply not remembered
  }
  ui.section.hidden = true;
  ui.preview.srcObject = null;
  const cameraId = ui.camera.value && ui.camera.value !== 'none' ? ui.camera.value : undefined;
  return { name, stream, error, cameraId };
}

function readSavedName() {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * Device labels are known only once a device was allowed, so the lists are filled after
 * the first getUserMedia, with the devices in use selected.
 * @param {PrejoinUi} ui
 * @param {MediaStream | null} stream
 */
async function fillSelects(ui, stream) {
  let devices;
  try {
    devices = await listDevices();
  } catch (err) {
    log(`enumerateDevices: ${describe(err)}`);
    devices = { cameras: [], microphones: [] };
  }
  const inUse = (/** @type {MediaStreamTrack | undefined} */ t) => t?.getSettings().deviceId ?? '';
  fill(ui.camera, devices.cameras, 'Camera', inUse(stream?.getVideoTracks()[0]), 'No camera');
  fill(ui.microphone, devices.microphones, 'Microphone', inUse(stream?.getAudioTracks()[0]), 'No microphone');
}

/**
 * @param {HTMLSelectElement} select
 * @param {MediaDeviceInfo[]} devices
 * @param {string} what
 * @param {string} selected
 * @param {string} noneLabel
 */
function fill(select, devices, what, selected, noneLabel) {
  const options = devices.map((d, i) => new Option(d.label || `${what} ${i + 1}`, d.deviceId, false,
    d.deviceId === selected));
  options.push(new Option(noneLabel, 'none', false, devices.length === 0 || selected === ''));
  select.replaceChildren(...options);
}

/**
 * @param {PrejoinUi} ui
 * @param {MediaStream | null} stream
 * @param {unknown} error
 */
function show(ui, stream, error) {
  showPreview(ui.preview, stream);
  const video = Boolean(stream?.getVideoTracks().length);
  const audio = Boolean(stream?.getAudioTracks().length);
  ui.note.textContent = video && audio ? ''
    : `${!video && !audio ? 'Camera and microphone' : (video ? 'Microphone' : 'Camera')} unavailable`
      + (error ? ` (${explainMediaError(error)})` : '') + '. You can still join.';
}
