/**
 * The face detector of Atrium's face overlay: face-api's tiny face detector on TensorFlow.js's
 * WASM backend, loaded once from beside this module (the server serves every file, nothing comes
 * from elsewhere), in a worker (face-detector-worker.js), or on the main thread where a module
 * worker cannot start. It finds the faces in a video's current frame, in the frame's coordinates.
 *
 * @module face-detector
 */

/** Where the detector, its model and the overlay's image are served: beside this module. */
const BASE = new URL('./', import.meta.url);

/**
 * The tiny face detector's input side in pixels. Measured on the test's photo (a 640x480 frame, also
 * scaled to 320x240 and 160x120): at 224 it also took the mission patch on the suit for a face
 * (score 0.47-0.71) and scored the face 0.75-0.84; at 320, the face alone, 0.82-0.91, for about
 * 1.5 to 2 times the time (46-76 ms against 24-34 ms, SIMD, one thread, on a busy machine).
 * 160 found no face.
 */
const INPUT_SIZE = 320;
/** face-api's default. */
const SCORE_THRESHOLD = 0.5;
/** A frame the worker has not answered in this long counts as failed (a crashed worker never answers). */
const WORKER_TIMEOUT_MS = 5000;

/**
 * A face found in a video frame, in the frame's pixel coordinates (0..videoWidth, 0..videoHeight,
 * as the sender's frame is, not mirrored).
 *
 * @typedef {object} FaceBox
 * @property {number} x
 * @property {number} y
 * @property {number} width
 * @property {number} height
 * @property {number} score the detector's confidence, 0..1
 */

/**
 * What one detection found, and the time the detector's thread spent on it (the worker's alone,
 * without the frame's trip to it and back).
 *
 * @typedef {object} Detection
 * @property {FaceBox[]} faces
 * @property {number} ms
 */

/**
 * The loaded detector.
 *
 * @typedef {object} FaceDetector
 * @property {(video: HTMLVideoElement) => Promise<Detection>} detect the faces in the video's current frame
 * @property {HTMLImageElement} image what is drawn over each face
 * @property {'worker' | 'main'} thread where detection runs
 */

/** @type {Promise<FaceDetector> | null} */
let loading = null;

/**
 * Loads the face detector once (about 2.3 MB: face-api with TensorFlow.js, the WASM binary, the
 * model's weights), in a worker, or on the main thread where a module worker cannot start; later
 * calls get the same detector. A failed load is retried by the next call.
 *
 * @returns {Promise<FaceDetector>}
 */
export async function loadFaceDetector() {
  if (!loading) {
    loading = load();
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** @returns {Promise<FaceDetector>} */
async function load() {
  const image = new Image();
  image.src = new URL('face-glasses.svg', BASE).href;
  const decoded = image.decode();
  let detect;
  /** @type {'worker' | 'main'} */
  let thread = 'worker';
  try {
    detect = await startWorkerDetector();
  } catch (error) {
    console.warn('face overlay: no detector worker, detecting on the main thread', error);
    detect = await startMainThreadDetector();
    thread = 'main';
  }
  await decoded;
  return { detect, image, thread };
}

/**
 * The size a frame is scaled to before detection: its longer side the detector's input size. The
 * detector pads the frame to a square of that side anyway, so the boxes come out the same, and
 * only a small image crosses to the worker or is read back from a canvas.
 *
 * @param {HTMLVideoElement} video
 */
function inputSize(video) {
  const scale = INPUT_SIZE / Math.max(video.videoWidth, video.videoHeight);
  return { width: Math.max(1, Math.round(video.videoWidth * scale)), height: Math.max(1, Math.round(video.videoHeight * scale)) };
}

/**
 * Boxes found in a scaled frame, in the video frame's pixels.
 *
 * @param {FaceBox[]} faces
 * @param {{ width: number, height: number }} size the scaled frame's size
 * @param {HTMLVideoElement} video
 * @returns {FaceBox[]}
 */
function toFrame(faces, size, video) {
  const sx = video.videoWidth / size.width;
  const sy = video.videoHeight / size.height;
  return faces.map((f) => ({ x: f.x * sx, y: f.y * sy, width: f.width * sx, height: f.height * sy, score: f.score }));
}

/**
 * Starts face-detector-worker.js and waits until its detector has loaded.
 *
 * @returns {Promise<(video: HTMLVideoElement) => Promise<Detection>>}
 */
async function startWorkerDetector() {
  const url = new URL('face-detector-worker.js', BASE);
  url.searchParams.set('inputSize', String(INPUT_SIZE));
  url.searchParams.set('scoreThreshold', String(SCORE_THRESHOLD));
  const worker = new Worker(url, { type: 'module', name: 'atrium-face-detector' });
  try {
    await new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => (data.ready ? resolve(data) : reject(new Error(data.error)));
      worker.onerror = (event) => reject(new Error(event.message || 'the detector worker did not start'));
    });
  } catch (error) {
    worker.terminate();
    throw error;
  }
  /** @type {Map<number, { resolve: (reply: Detection) => void, reject: (error: Error) => void }>} */
  const pending = new Map();
  let nextId = 0;
  worker.onmessage = ({ data }) => {
    const request = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) {
      request?.reject(new Error(data.error));
    } else {
      request?.resolve({ faces: data.faces, ms: data.ms });
    }
  };
  worker.onerror = (event) => {
    for (const request of pending.values()) {
      request.reject(new Error(event.message || 'the detector worker failed'));
    }
    pending.clear();
  };
  return async (video) => {
    const size = inputSize(video);
    // Scaled by the browser, off the main thread; the bitmap is handed over, not copied.
    const frame = await createImageBitmap(video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
    const id = nextId++;
    /** @type {Detection} */
    const reply = await new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, frame }, [frame]);
      setTimeout(() => {
        if (pending.delete(id)) {
          reject(new Error(`the detector worker did not answer in ${WORKER_TIMEOUT_MS} ms`));
        }
      }, WORKER_TIMEOUT_MS);
    });
    return { faces: toFrame(reply.faces, size, video), ms: reply.ms };
  };
}

/**
 * The same detector on the main thread, for browsers that cannot start a module worker.
 *
 * @returns {Promise<(video: HTMLVideoElement) => Promise<Detection>>}
 */
async function startMainThreadDetector() {
  // Imported here, not at the top: the 1.3 MB bundle is fetched only when someone turns the overlay on.
  const faceapi = await import(new URL('face-api.esm.js', BASE).href);
  const tf = faceapi.tf;
  tf.setWasmPaths(BASE.href);
  if (!(await tf.setBackend('wasm'))) {
    throw new Error('face overlay: TensorFlow.js WASM backend did not start');
  }
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromUri(
      new URL('tiny_face_detector_model-weights_manifest.json', BASE).href);
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: INPUT_SIZE, scoreThreshold: SCORE_THRESHOLD });
  const canvas = document.createElement('canvas');
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
  return async (video) => {
    const started = performance.now();
    const size = inputSize(video);
    canvas.width = size.width;
    canvas.height = size.height;
    context.drawImage(video, 0, 0, size.width, size.height);
    /** @type {{ box: FaceBox, score: number }[]} */
    const found = await faceapi.detectAllFaces(canvas, options);
    const faces = found.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, score: d.score }));
    return { faces: toFrame(faces, size, video), ms: performance.now() - started };
  };
}
