/**
 * Backend resolution: the order `auto` tries, what an explicit preference does
 * when its backend is missing, and the notes, with fake loaders (the native
 * packages cannot be installed here); then the real loaders: wasm from the
 * installed package without fetching, the native packages from a folder the
 * user names (fake packages there), and nothing loaded at import.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type * as TfModule from '@tensorflow/tfjs';
import {
  BackendError,
  defaultLoaders,
  resolveBackend,
  type BackendLoaders,
  type NativeLoad,
  type WasmLoad,
} from '../../language-server/src/training/backend/resolve.js';

type Tf = typeof TfModule;

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs') as Tf;

function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find module '${pkg}'\nRequire stack:\n- /somewhere/resolve.js`), { code: 'MODULE_NOT_FOUND' });
}

type Outcome<T> = T | Error;

/** Fake loaders: each returns its value or throws its error, and records that it was called. */
function fake(options: { gpu?: Outcome<NativeLoad>; native?: Outcome<NativeLoad>; wasm?: Outcome<WasmLoad>; gpuName?: Outcome<string> }): { loaders: BackendLoaders; calls: string[] } {
  const calls: string[] = [];
  const settle = async <T>(name: string, value: Outcome<T> | undefined, missing: string): Promise<T> => {
    calls.push(name);
    if (value === undefined) throw notFound(missing);
    if (value instanceof Error) throw value;
    return value;
  };
  return {
    calls,
    loaders: {
      tensorflowGpu: () => settle('tensorflowGpu', options.gpu, '@tensorflow/tfjs-node-gpu'),
      tensorflow: () => settle('tensorflow', options.native, '@tensorflow/tfjs-node'),
      wasm: () => settle('wasm', options.wasm, '@tensorflow/tfjs-backend-wasm'),
      cpu: async () => {
        calls.push('cpu');
        return tf;
      },
      gpuName: () => settle('gpuName', options.gpuName, 'nvidia-smi'),
    },
  };
}

const wasmLoad: WasmLoad = { tf, threads: 1, threadsNote: 'The WebAssembly backend runs on 1 thread: a reason.', simd: true, kernels: ['Conv2DBackpropFilter'] };
const gpuLoad: NativeLoad = { tf, gpuDevice: true, tensorflowVersion: '2.9.1', location: '/x/node_modules/@tensorflow/tfjs-node-gpu' };
const gpuNoDevice: NativeLoad = { tf, gpuDevice: false, tensorflowVersion: '2.9.1' };
const nativeLoad: NativeLoad = { tf, gpuDevice: false, tensorflowVersion: '2.9.1' };

function gpuHowTo(notes: readonly string[]): void {
  const text = notes.join('\n');
  assert.match(text, /npm install @tensorflow\/tfjs-node-gpu/);
  assert.match(text, /CUDA 11\.2/);
  assert.match(text, /cuDNN 8\.1/);
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BackendError, `expected a BackendError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('resolveBackend: auto', () => {
  it('falls from tfjs-node-gpu to tfjs-node to wasm when the native packages are not installed', async () => {
    const { loaders, calls } = fake({ wasm: wasmLoad });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'wasm');
    assert.equal(backend.device, 'CPU (wasm SIMD, 1 thread)');
    assert.equal(backend.tf, tf);
    assert.deepEqual(calls, ['tensorflowGpu', 'tensorflow', 'wasm']);
    assert.equal(backend.notes[0], 'Backend wasm on CPU (wasm SIMD, 1 thread), picked by auto.');
    assert.ok(backend.notes.includes('@tensorflow/tfjs-node-gpu is not installed.'));
    assert.ok(backend.notes.includes('@tensorflow/tfjs-node is not installed.'));
    assert.ok(backend.notes.includes('The WebAssembly backend runs on 1 thread: a reason.'), 'says why wasm runs one thread');
    assert.ok(backend.notes.some((n) => n.includes('Conv2DBackpropFilter')), 'names the added kernels');
    gpuHowTo(backend.notes);
  });

  it('takes tfjs-node-gpu when libtensorflow sees a CUDA GPU, and names the GPU', async () => {
    const { loaders, calls } = fake({ gpu: gpuLoad, gpuName: 'NVIDIA H100 80GB HBM3' });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'tensorflow-gpu');
    assert.equal(backend.device, 'NVIDIA H100 80GB HBM3 via CUDA (libtensorflow 2.9.1)');
    assert.deepEqual(calls, ['tensorflowGpu', 'gpuName']);
    assert.equal(backend.notes[0], 'Backend tensorflow-gpu on NVIDIA H100 80GB HBM3 via CUDA (libtensorflow 2.9.1), picked by auto.');
    assert.ok(backend.notes.some((n) => n.includes('/x/node_modules/@tensorflow/tfjs-node-gpu')), 'says where it was loaded from');
  });

  it('with tfjs-node-gpu but no CUDA device: runs its libtensorflow on the CPU and explains, without loading tfjs-node too', async () => {
    const { loaders, calls } = fake({ gpu: gpuNoDevice, native: nativeLoad });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'tensorflow');
    assert.match(backend.device, /^CPU \(libtensorflow 2\.9\.1, from @tensorflow\/tfjs-node-gpu\)$/);
    assert.deepEqual(calls, ['tensorflowGpu']);
    const text = backend.notes.join('\n');
    assert.match(text, /found no CUDA GPU/);
    assert.match(text, /CUDA 11\.2 and cuDNN 8\.1/);
    assert.match(text, /LD_LIBRARY_PATH/);
  });

  it('reports a tfjs-node-gpu that fails to load (not a missing one) and goes on to tfjs-node', async () => {
    const broken = new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
    const { loaders, calls } = fake({ gpu: broken, native: nativeLoad });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'tensorflow');
    assert.equal(backend.device, 'CPU (libtensorflow 2.9.1)');
    assert.deepEqual(calls, ['tensorflowGpu', 'tensorflow']);
    assert.ok(backend.notes.includes('@tensorflow/tfjs-node-gpu failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory.'));
    gpuHowTo(backend.notes);
  });

  it('treats a missing dependency of the package as a failure to load, not as "not installed"', async () => {
    const { loaders } = fake({ gpu: notFound('@mapbox/node-pre-gyp'), wasm: wasmLoad });
    const backend = await resolveBackend('auto', loaders);
    assert.ok(backend.notes.some((n) => n.startsWith("@tensorflow/tfjs-node-gpu failed to load: Cannot find module '@mapbox/node-pre-gyp'")));
  });

  it('ends on the pure-JS cpu backend, called a last resort, when nothing else loads', async () => {
    const { loaders, calls } = fake({ wasm: new Error('wasm binary missing') });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'cpu');
    assert.equal(backend.device, 'CPU (pure JavaScript)');
    assert.deepEqual(calls, ['tensorflowGpu', 'tensorflow', 'wasm', 'cpu']);
    const text = backend.notes.join('\n');
    assert.match(text, /last resort.*21 hours for one MNIST epoch/);
    assert.match(text, /@tensorflow\/tfjs-backend-wasm failed to load: wasm binary missing/);
    gpuHowTo(backend.notes);
  });

  it('falls back to a generic GPU name when the name cannot be read', async () => {
    const { loaders } = fake({ gpu: gpuLoad, gpuName: new Error('nvidia-smi: not found') });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.device, 'NVIDIA GPU via CUDA (libtensorflow 2.9.1)');
  });
});

describe('resolveBackend: an explicit preference', () => {
  it('tensorflow-gpu not installed: a clear error naming what to install, nothing else tried', async () => {
    const { loaders, calls } = fake({ wasm: wasmLoad });
    const error = await rejection(resolveBackend('tensorflow-gpu', loaders));
    assert.equal(error.preference, 'tensorflow-gpu');
    assert.match(error.message, /needs @tensorflow\/tfjs-node-gpu, which is not installed/);
    gpuHowTo([error.message]);
    assert.deepEqual(calls, ['tensorflowGpu']);
  });

  it('tensorflow-gpu loaded without a CUDA device: an error that explains the CUDA and cuDNN it needs', async () => {
    const { loaders } = fake({ gpu: gpuNoDevice });
    const error = await rejection(resolveBackend('tensorflow-gpu', loaders));
    assert.match(error.message, /found no CUDA GPU/);
    assert.match(error.message, /CUDA 11\.2 and cuDNN 8\.1/);
    assert.match(error.message, /nvidia-smi/);
  });

  it('tensorflow-gpu with a GPU', async () => {
    const { loaders } = fake({ gpu: gpuLoad, gpuName: 'NVIDIA RTX 4090' });
    const backend = await resolveBackend('tensorflow-gpu', loaders);
    assert.equal(backend.name, 'tensorflow-gpu');
    assert.equal(backend.notes[0], 'Backend tensorflow-gpu on NVIDIA RTX 4090 via CUDA (libtensorflow 2.9.1), as asked.');
  });

  it('tensorflow not installed: names `npm install @tensorflow/tfjs-node`; the wasm backend is not tried', async () => {
    const { loaders, calls } = fake({ wasm: wasmLoad });
    const error = await rejection(resolveBackend('tensorflow', loaders));
    assert.match(error.message, /`npm install @tensorflow\/tfjs-node`/);
    assert.deepEqual(calls, ['tensorflow']);
  });

  it('tensorflow installed', async () => {
    const { loaders } = fake({ native: nativeLoad });
    const backend = await resolveBackend('tensorflow', loaders);
    assert.equal(backend.name, 'tensorflow');
    assert.equal(backend.device, 'CPU (libtensorflow 2.9.1)');
    gpuHowTo(backend.notes);
  });

  it('wasm that fails: an error that says how to get it back', async () => {
    const { loaders } = fake({ wasm: new Error('tfjs-backend-wasm.wasm is missing from /x') });
    const error = await rejection(resolveBackend('wasm', loaders));
    assert.match(error.message, /wasm backend failed to load: tfjs-backend-wasm\.wasm is missing from \/x/);
    assert.match(error.message, /npm ci/);
  });

  it('cpu: runs, with the last-resort note', async () => {
    const { loaders, calls } = fake({});
    const backend = await resolveBackend('cpu', loaders);
    assert.equal(backend.name, 'cpu');
    assert.deepEqual(calls, ['cpu']);
    assert.equal(backend.notes[0], 'Backend cpu on CPU (pure JavaScript), as asked.');
    assert.match(backend.notes.join('\n'), /last resort/);
  });
});

describe('the real loaders', () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const backendIndex = join(here, '../../language-server/src/training/backend/index.js');

  it('importing the backend module loads no TensorFlow.js', () => {
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(backendIndex)});
      const cache = createRequire(import.meta.url).cache;
      const loaded = Object.keys(cache).filter((k) => k.includes('@tensorflow'));
      process.stdout.write(JSON.stringify(loaded));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), []);
  });

  it('wasm: loads from the installed package (nothing fetched), one thread, kernels registered', async () => {
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    globalThis.fetch = async (input: string | URL | Request) => {
      fetched.push(String(input));
      throw new Error('no fetching in tests');
    };
    try {
      const backend = await resolveBackend('wasm', defaultLoaders());
      assert.equal(backend.name, 'wasm');
      // Unbundled, the package is as published: its threads stay off under Node, and the notes say where they run.
      assert.match(backend.device, /^CPU \(wasm( SIMD)?, 1 thread\)$/);
      if (availableParallelism() > 1) assert.ok(backend.notes.some((n) => /1 thread: this copy of tfjs-backend-wasm keeps its threads off under Node\.js .*dist\/trainer\.cjs/.test(n)), backend.notes.join('\n'));
      assert.equal(backend.tf, tf);
      assert.equal(tf.getBackend(), 'wasm');
      assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
      assert.equal(tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]), 6);
      gpuHowTo(backend.notes);
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(fetched, []);
  });

  it('auto here: the native packages are not installed, so wasm', async () => {
    const backend = await resolveBackend('auto', { ...defaultLoaders(), gpuName: async () => undefined });
    assert.equal(backend.name, 'wasm');
    assert.ok(backend.notes.includes('@tensorflow/tfjs-node-gpu is not installed.'));
  });

  it('tensorflow-gpu here: the error names the package, CUDA and cuDNN', async () => {
    const error = await rejection(resolveBackend('tensorflow-gpu', defaultLoaders()));
    gpuHowTo([error.message]);
  });

  describe('native packages from the folder the user names', () => {
    const folder = mkdtempSync(join(tmpdir(), 'layerlab-native-'));
    after(async () => {
      rmSync(folder, { recursive: true, force: true });
      if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
      await tf.setBackend('cpu');
    });

    /** A stand-in for tfjs-node: the real TensorFlow.js with a 'tensorflow' backend that reports a device. */
    function fakePackage(name: string, gpu: boolean): void {
      const dir = join(folder, 'node_modules', '@tensorflow', name);
      mkdirSync(join(dir, 'dist'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `@tensorflow/${name}`, version: '4.22.0', main: 'dist/index.js' }));
      writeFileSync(
        join(dir, 'dist', 'index.js'),
        `const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs'))});
class FakeNative extends tf.KernelBackend {
  constructor() { super(); this.isUsingGpuDevice = ${gpu}; this.binding = { TF_Version: '2.9.1' }; }
  dispose() {}
}
if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
tf.registerBackend('tensorflow', () => new FakeNative(), 3);
tf.setBackend('tensorflow');
module.exports = tf;
`,
      );
    }

    it('tensorflow: found in <folder>/node_modules, and where it came from is noted', async () => {
      fakePackage('tfjs-node', false);
      const backend = await resolveBackend('tensorflow', defaultLoaders({ nativeModulesPath: folder }));
      assert.equal(backend.name, 'tensorflow');
      assert.equal(backend.device, 'CPU (libtensorflow 2.9.1)');
      assert.ok(backend.notes.includes(`Loaded from ${join(folder, 'node_modules', '@tensorflow', 'tfjs-node')}.`), backend.notes.join(' | '));
    });

    it('tensorflow: found in the project of the .model file, from its folder upward, without the setting', async () => {
      fakePackage('tfjs-node', false);
      const models = join(folder, 'experiments', 'mnist');
      mkdirSync(models, { recursive: true });
      const backend = await resolveBackend('tensorflow', defaultLoaders({ projectDir: models }));
      assert.equal(backend.name, 'tensorflow');
      assert.ok(backend.notes.includes(`Loaded from ${join(folder, 'node_modules', '@tensorflow', 'tfjs-node')}.`), backend.notes.join(' | '));
    });

    it('tensorflow-gpu: found when the path is the node_modules folder itself', async () => {
      fakePackage('tfjs-node-gpu', true);
      const backend = await resolveBackend('auto', { ...defaultLoaders({ nativeModulesPath: join(folder, 'node_modules') }), gpuName: async () => 'NVIDIA Test GPU' });
      assert.equal(backend.name, 'tensorflow-gpu', backend.notes.join(' | '));
      assert.equal(backend.device, 'NVIDIA Test GPU via CUDA (libtensorflow 2.9.1)');
    });
  });
});
