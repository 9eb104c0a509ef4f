// Copies the few files of the installed npm packages that the browser needs into the directory
// given as the only argument (the Maven build passes target/classes/web/face, served at /face/).
// Only these files go into the jar: the rest of node_modules (other models, Node builds, source
// maps, types) is never served.
//
//   node vendor.js OUTPUT_DIRECTORY
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const faceApi = join(modules, '@vladmandic/face-api');
const wasm = join(modules, '@tensorflow/tfjs-backend-wasm');

/** [source, name served under /face/] */
const FILES = [
  // face-api with TensorFlow.js (core, cpu, webgl and wasm backends) bundled, as one ES module.
  [join(faceApi, 'dist/face-api.esm.js'), 'face-api.esm.js'],
  // The tiny face detector: its weights manifest and its 190 KB of weights (the manifest names the .bin).
  [join(faceApi, 'model/tiny_face_detector_model-weights_manifest.json'), 'tiny_face_detector_model-weights_manifest.json'],
  [join(faceApi, 'model/tiny_face_detector_model.bin'), 'tiny_face_detector_model.bin'],
  // The WASM backend's binaries: with SIMD, and without for browsers lacking it. The threaded build
  // is left out: it needs SharedArrayBuffer, which a page without cross-origin isolation lacks.
  [join(wasm, 'dist/tfjs-backend-wasm-simd.wasm'), 'tfjs-backend-wasm-simd.wasm'],
  [join(wasm, 'dist/tfjs-backend-wasm.wasm'), 'tfjs-backend-wasm.wasm'],
  // Licences. TensorFlow.js's npm packages carry no licence file, only "Apache-2.0" in package.json.
  [join(faceApi, 'LICENSE'), 'face-api.LICENSE.txt'],
  [join(here, 'licenses/Apache-2.0.txt'), 'tensorflow-js.LICENSE.txt'],
];

const output = process.argv[2];
if (!output) {
  console.error('usage: node vendor.js OUTPUT_DIRECTORY');
  process.exit(2);
}

// The .wasm binaries must come from the TensorFlow.js release that face-api bundled: the bundle's
// JavaScript glue calls into them by function index.
const bundled = /"tfjs-backend-wasm":(\w+)/.exec(readFileSync(join(faceApi, 'dist/tfjs.version.js'), 'utf8'));
const bundledVersion = bundled && new RegExp(`var ${bundled[1]}="([^"]+)"`)
    .exec(readFileSync(join(faceApi, 'dist/tfjs.version.js'), 'utf8'))?.[1];
const wasmVersion = JSON.parse(readFileSync(join(wasm, 'package.json'), 'utf8')).version;
if (bundledVersion !== wasmVersion) {
  console.error(`face-api bundles tfjs-backend-wasm ${bundledVersion}, but ${wasmVersion} is installed: pin the same version`);
  process.exit(1);
}

mkdirSync(output, { recursive: true });
let total = 0;
for (const [source, name] of FILES) {
  copyFileSync(source, join(output, name));
  total += statSync(source).size;
}
console.log(`face overlay: ${FILES.length} vendor files (${Math.round(total / 1024)} KiB, tfjs ${wasmVersion}) in ${output}`);
