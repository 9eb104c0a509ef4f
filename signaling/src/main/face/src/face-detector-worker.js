/**
 * The face detector in a module worker, so that detection takes no time from the page's main
 * thread. face-overlay.js starts it (see startWorkerDetector there) and sends it frames.
 *
 * Messages in: `{ id, frame: ImageBitmap }` (the frame already scaled to the detector's input
 * size, transferred). Out: `{ ready: true, backend }` once loaded or `{ ready: false, error }`;
 * then per frame `{ id, faces: FaceBox[], ms }` (boxes in the frame's own pixels, ms the worker's
 * time on it), or `{ id, error }`.
 *
 * @module face-detector-worker
 */
import * as faceapi from './face-api.esm.js';

const BASE = new URL('./', import.meta.url);
const params = new URL(import.meta.url).searchParams;
const INPUT_SIZE = Number(params.get('inputSize')) || 224;
const SCORE_THRESHOLD = Number(params.get('scoreThreshold')) || 0.5;

const unavailable = () => {
  throw new Error('not available in a worker');
};

/** A worker has no DOM: face-api gets OffscreenCanvas for its canvases (it is given tensors only). */
function workerEnvironment() {
  return {
    Canvas: OffscreenCanvas,
    CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D,
    // Classes nothing is an instance of: face-api's "is this a media element" checks then say no.
    Image: class NoImage {},
    Video: class NoVideo {},
    ImageData,
    createCanvasElement: () => new OffscreenCanvas(1, 1),
    createImageElement: unavailable,
    createVideoElement: unavailable,
    fetch: (url, init) => fetch(url, init),
    readFile: unavailable,
  };
}

const canvas = new OffscreenCanvas(1, 1);
const context = canvas.getContext('2d', { willReadFrequently: true });

async function load() {
  faceapi.env.setEnv(workerEnvironment());
  const tf = faceapi.tf;
  tf.setWasmPaths(BASE.href);
  if (!(await tf.setBackend('wasm'))) {
    throw new Error('TensorFlow.js WASM backend did not start');
  }
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromUri(new URL('tiny_face_detector_model-weights_manifest.json', BASE).href);
  return new faceapi.TinyFaceDetectorOptions({ inputSize: INPUT_SIZE, scoreThreshold: SCORE_THRESHOLD });
}

/**
 * @param {ImageBitmap} frame
 * @param {any} options
 */
async function detect(frame, options) {
  if (canvas.width !== frame.width || canvas.height !== frame.height) {
    canvas.width = frame.width;
    canvas.height = frame.height;
  }
  context.drawImage(frame, 0, 0);
  frame.close();
  const pixels = faceapi.tf.browser.fromPixels(context.getImageData(0, 0, canvas.width, canvas.height));
  try {
    const found = await faceapi.detectAllFaces(pixels, options);
    return found.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, score: d.score }));
  } finally {
    pixels.dispose();
  }
}

const loaded = load();
loaded.then((options) => {
  self.postMessage({ ready: true, backend: faceapi.tf.getBackend() });
  self.onmessage = async ({ data }) => {
    try {
      const started = performance.now();
      const faces = await detect(data.frame, options);
      self.postMessage({ id: data.id, faces, ms: performance.now() - started });
    } catch (error) {
      self.postMessage({ id: data.id, error: String(error?.stack ?? error) });
    }
  };
}, (error) => {
  self.postMessage({ ready: false, error: String(error?.stack ?? error) });
});
