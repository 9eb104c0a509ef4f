// Camera, microphone and screen: getting them, and saying in plain words why not.

import { log } from './hook.js';

// 1280x720 when the camera offers it: the top of the SDK's three simulcast encodings.
const VIDEO = { width: { ideal: 1280 }, height: { ideal: 720 } };

/**
 * @param {string | undefined} deviceId
 * @returns {MediaTrackConstraints}
 */
export function cameraConstraints(deviceId) {
  return deviceId ? { ...VIDEO, deviceId: { exact: deviceId } } : VIDEO;
}

/**
 * Camera and microphone, else the microphone alone, else the camera alone, so that a
 * missing or refused device never keeps anyone out of the room.
 * @param {{ cameraId?: string, microphoneId?: string, camera?: boolean, microphone?: boolean }} [choice]
 * @returns {Promise<{ stream: MediaStream | null, error: unknown }>}
 */
export async function getLocalMedia(choice = {}) {
  if (!navigator.mediaDevices?.getUserMedia) {
    log('getUserMedia unavailable');
    return { stream: null, error: { name: 'NoMediaDevices' } };
  }
  const video = choice.camera === false ? false : cameraConstraints(choice.cameraId);
  const audio = choice.microphone === false ? false
    : (choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true);
  const attempts = [{ audio, video }, { audio, video: false }, { audio: false, video }]
    .filter((c) => c.audio || c.video);
  let firstError = null;
  for (const constraints of attempts) {
    const what = [constraints.video && 'camera', constraints.audio && 'microphone'].filter(Boolean).join('+');
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      log(`getUserMedia ${what}: ok`);
      return { stream, error: firstError };
    } catch (err) {
      log(`getUserMedia ${what}: ${describe(err)}`);
      firstError ??= err;
    }
  }
  return { stream: null, error: firstError };
}

/** @returns {Promise<{ cameras: MediaDeviceInfo[], microphones: MediaDeviceInfo[] }>} */
export async function listDevices() {
  const devices = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  return {
    cameras: devices.filter((d) => d.kind === 'videoinput'),
    microphones: devices.filter((d) => d.kind === 'audioinput'),
  };
}

/** @param {unknown} err */
export function explainMediaError(err) {
  const e = /** @type {{ name?: string, message?: string } | null} */ (err);
  switch (e?.name) {
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
      return e ? describe(e) : 'unknown reason';
  }
}

/** @param {unknown} err */
export function describe(err) {
  const e = /** @type {{ name?: string, message?: string }} */ (err ?? {});
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}
