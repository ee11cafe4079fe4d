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
import { adapterLabel, findWebGpuEntry, nativeApi, NoAdapterError, softwareAdapter, type AdapterFacts, type WebGpuAdapter } from '../../language-server/src/training/backend/webgpu.js';

type Tf = typeof TfModule;

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs') as Tf;

function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find module '${pkg}'\nRequire stack:\n- /somewhere/resolve.js`), { code: 'MODULE_NOT_FOUND' });
}

type Outcome<T> = T | Error;

/** Fake loaders: each returns its value or throws its error, and records that it was called. */
function fake(options: { gpu?: Outcome<NativeLoad>; webgpu?: Outcome<WebGpuAdapter>; native?: Outcome<NativeLoad>; wasm?: Outcome<WasmLoad>; gpuName?: Outcome<string> }): { loaders: BackendLoaders; calls: string[] } {
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
      webgpu: () => settle('webgpu', options.webgpu, 'webgpu'),
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
    assert.deepEqual(calls, ['tensorflowGpu', 'webgpu', 'tensorflow', 'wasm']);
    assert.equal(backend.notes[0], 'Backend wasm on CPU (wasm SIMD, 1 thread), picked by auto.');
    assert.ok(backend.notes.some((n) => n.startsWith('webgpu is not installed') && n.includes('npm install webgpu')), 'says how to get WebGPU');
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
    assert.deepEqual(calls, ['tensorflowGpu', 'webgpu']);
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
    assert.deepEqual(calls, ['tensorflowGpu', 'webgpu', 'tensorflow']);
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
    assert.deepEqual(calls, ['tensorflowGpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
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

describe('resolveBackend: WebGPU, with injected adapters', () => {
  const rtx: AdapterFacts = { vendor: 'nvidia', architecture: 'lovelace', device: '0x2684', description: 'NVIDIA GeForce RTX 4090', fallback: false };
  const llvmpipe: AdapterFacts = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)', fallback: true };

  function adapter(facts: AdapterFacts, activation: Outcome<Tf> = tf): { adapter: WebGpuAdapter; activations: number[] } {
    const activations: number[] = [];
    return {
      activations,
      adapter: {
        facts,
        api: 'Vulkan',
        location: '/x/node_modules/webgpu',
        activate: async () => {
          activations.push(1);
          if (activation instanceof Error) throw activation;
          return activation;
        },
      },
    };
  }

  it('auto: a hardware adapter comes after tfjs-node-gpu and before tfjs-node; the backend line names it', async () => {
    const gpu = adapter(rtx);
    const { loaders, calls } = fake({ webgpu: gpu.adapter, native: nativeLoad, wasm: wasmLoad });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'webgpu');
    assert.deepEqual(calls, ['tensorflowGpu', 'webgpu']);
    assert.equal(gpu.activations.length, 1);
    assert.equal(backend.device, 'NVIDIA GeForce RTX 4090 (vendor nvidia, architecture lovelace, device 0x2684) via WebGPU on Vulkan');
    assert.equal(backend.notes[0], `Backend webgpu on ${backend.device}, picked by auto.`);
    assert.ok(backend.notes.includes('@tensorflow/tfjs-node-gpu is not installed.'), 'says why not tfjs-node-gpu');
    assert.ok(backend.notes.some((n) => n.includes('/x/node_modules/webgpu')), 'says where Dawn came from');
  });

  it('auto: tfjs-node-gpu on a CUDA device stays first, and WebGPU is not even looked at', async () => {
    const gpu = adapter(rtx);
    const { loaders, calls } = fake({ gpu: gpuLoad, webgpu: gpu.adapter });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'tensorflow-gpu');
    assert.ok(!calls.includes('webgpu'));
    assert.equal(gpu.activations.length, 0);
  });

  it('auto: WebGPU on a hardware adapter beats libtensorflow on the CPU when tfjs-node-gpu finds no CUDA device', async () => {
    const { loaders } = fake({ gpu: gpuNoDevice, webgpu: adapter(rtx).adapter });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'webgpu');
    assert.ok(backend.notes.some((n) => /found no CUDA GPU/.test(n)));
  });

  const softwareAdapters: [string, AdapterFacts, RegExp][] = [
    ['llvmpipe', llvmpipe, /llvmpipe is a software rasteriser/],
    ['SwiftShader', { vendor: 'google', architecture: '', device: 'swiftshader', description: 'SwiftShader Device (Subzero)', fallback: false }, /SwiftShader is a software rasteriser/],
    ['Microsoft Basic Render Driver', { vendor: 'microsoft', architecture: '', device: '0x8c', description: 'Microsoft Basic Render Driver', fallback: false }, /Basic Render Driver is a software rasteriser/],
    ['an adapter flagged as fallback', { vendor: 'acme', architecture: '', device: '1', description: 'Acme Adapter', fallback: true }, /fallback adapter/],
  ];
  for (const [what, facts, reason] of softwareAdapters) {
    it(`auto never picks a software adapter (${what}): it is not started, and the note says why`, async () => {
      const soft = adapter(facts);
      const { loaders, calls } = fake({ webgpu: soft.adapter, wasm: wasmLoad });
      const backend = await resolveBackend('auto', loaders);
      assert.equal(backend.name, 'wasm');
      assert.deepEqual(calls, ['tensorflowGpu', 'webgpu', 'tensorflow', 'wasm']);
      assert.equal(soft.activations.length, 0);
      const note = backend.notes.find((n) => n.startsWith("WebGPU's only adapter is"));
      assert.ok(note, backend.notes.join('\n'));
      assert.match(note, reason);
      assert.match(note, /auto does not pick it/);
      assert.ok(softwareAdapter(facts));
    });
  }

  it('auto with no adapter: wasm, and how to get a Vulkan driver', async () => {
    const { loaders } = fake({ webgpu: new NoAdapterError('Dawn found no WebGPU adapter: no GPU driver with Vulkan support was found', 'Vulkan'), wasm: wasmLoad });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'wasm');
    const note = backend.notes.find((n) => n.startsWith('WebGPU:'));
    assert.ok(note);
    assert.match(note, /no GPU driver with Vulkan support/);
    assert.match(note, /mesa-vulkan-drivers/);
  });

  it('auto: a layer this backend cannot train sends auto on, with the layer named', async () => {
    const gpu = adapter(rtx);
    const { loaders, calls } = fake({ webgpu: gpu.adapter, wasm: wasmLoad });
    const checked: string[] = [];
    const backend = await resolveBackend('auto', loaders, {
      unsupportedLayer: async (_tf, name) => {
        checked.push(name);
        return "Conv3D `conv3d` (line 4) of model m cannot train on the webgpu backend: Kernel 'Conv3D' not registered for backend 'webgpu'.";
      },
    });
    assert.equal(backend.name, 'wasm');
    assert.deepEqual(checked, ['webgpu']);
    assert.deepEqual(calls, ['tensorflowGpu', 'webgpu', 'tensorflow', 'wasm']);
    assert.ok(backend.notes.some((n) => n.includes('is not used: Conv3D `conv3d` (line 4)')), backend.notes.join('\n'));
  });

  it('auto: an adapter whose device fails to start sends auto on', async () => {
    const { loaders } = fake({ webgpu: adapter(rtx, new Error('requestDevice: device lost')).adapter, wasm: wasmLoad });
    const backend = await resolveBackend('auto', loaders);
    assert.equal(backend.name, 'wasm');
    assert.ok(backend.notes.some((n) => n.includes('failed to start: requestDevice: device lost')));
  });

  it('webgpu by name on a hardware adapter', async () => {
    const { loaders, calls } = fake({ webgpu: adapter(rtx).adapter, wasm: wasmLoad });
    const backend = await resolveBackend('webgpu', loaders);
    assert.equal(backend.name, 'webgpu');
    assert.deepEqual(calls, ['webgpu']);
    assert.equal(backend.notes[0], `Backend webgpu on ${backend.device}, as asked.`);
  });

  it('webgpu by name on a software adapter runs, with a note that it is not a GPU', async () => {
    const soft = adapter(llvmpipe);
    const { loaders } = fake({ webgpu: soft.adapter });
    const backend = await resolveBackend('webgpu', loaders);
    assert.equal(backend.name, 'webgpu');
    assert.equal(soft.activations.length, 1);
    assert.match(backend.notes[0] ?? '', /llvmpipe.*as asked \(a software adapter\)\.$/);
    assert.ok(backend.notes.some((n) => /not a GPU: llvmpipe is a software rasteriser.*slower than on the wasm backend/.test(n)));
  });

  it('webgpu by name: not installed, no adapter, a layer it cannot train: clear errors, nothing else tried', async () => {
    const missing = fake({ wasm: wasmLoad });
    const notInstalled = await rejection(resolveBackend('webgpu', missing.loaders));
    assert.equal(notInstalled.preference, 'webgpu');
    assert.match(notInstalled.message, /needs the npm package webgpu .*npm install webgpu.*'auto'/);
    assert.deepEqual(missing.calls, ['webgpu']);

    const none = fake({ webgpu: new NoAdapterError('Dawn found no WebGPU adapter: no GPU driver with Metal support was found', 'Metal') });
    const noAdapter = await rejection(resolveBackend('webgpu', none.loaders));
    assert.match(noAdapter.message, /found no GPU: .*Metal support.*Mac with Metal/);

    const layer = fake({ webgpu: adapter(rtx).adapter });
    const unsupported = await rejection(resolveBackend('webgpu', layer.loaders, { unsupportedLayer: async () => 'MaxPooling3D `pool` (line 7) of model m cannot train on the webgpu backend: no kernel.' }));
    assert.match(unsupported.message, /^MaxPooling3D `pool` \(line 7\).*Choose the backend 'auto' or 'wasm'/);
  });
});

describe('adapters: software or GPU, and how they are named', () => {
  it('names real GPUs as GPUs', () => {
    for (const facts of [
      { vendor: 'nvidia', architecture: 'ampere', device: '0x2204', description: 'NVIDIA GeForce RTX 3090', fallback: false },
      { vendor: 'amd', architecture: 'rdna-2', device: '0x73bf', description: 'AMD Radeon RX 6800 XT', fallback: false },
      { vendor: 'intel', architecture: 'gen-12lp', device: '0x9a49', description: 'Intel(R) Iris(R) Xe Graphics', fallback: false },
      { vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2 Pro', fallback: false },
    ]) {
      assert.equal(softwareAdapter(facts), undefined, facts.description);
    }
  });

  it('labels an adapter with vendor, architecture and device, leaving out what Dawn does not give', () => {
    assert.equal(adapterLabel({ vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2 Pro', fallback: false }), 'Apple M2 Pro (vendor apple, architecture metal-3)');
    assert.equal(adapterLabel({ vendor: '', architecture: '', device: '', description: '', fallback: false }), 'unnamed adapter');
  });

  it('knows the native API per platform', () => {
    assert.equal(nativeApi('linux'), 'Vulkan');
    assert.equal(nativeApi('darwin'), 'Metal');
    assert.equal(nativeApi('win32'), 'Direct3D 12');
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

  it('webgpu: the package in the user\'s folder first, then the copy beside the trainer bundle (a platform VSIX), then this install', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'layerlab-webgpu-find-'));
    try {
      const bundleDir = join(scratch, 'extension', 'dist');
      mkdirSync(join(bundleDir, 'webgpu'), { recursive: true });
      writeFileSync(join(bundleDir, 'webgpu', 'index.js'), 'export {};');
      const bundle = join(bundleDir, 'trainer.cjs');
      writeFileSync(bundle, '');
      const project = join(scratch, 'project');
      mkdirSync(join(project, 'node_modules', 'webgpu'), { recursive: true });
      writeFileSync(join(project, 'node_modules', 'webgpu', 'package.json'), JSON.stringify({ name: 'webgpu', main: 'index.js' }));
      writeFileSync(join(project, 'node_modules', 'webgpu', 'index.js'), 'export {};');
      assert.equal(findWebGpuEntry({ userFolders: [project], from: bundle }), join(project, 'node_modules', 'webgpu', 'index.js'));
      assert.equal(findWebGpuEntry({ userFolders: [join(scratch, 'elsewhere')], from: bundle }), join(bundleDir, 'webgpu', 'index.js'));
      // Neither: this install's node_modules (the CLI, development).
      assert.match(findWebGpuEntry({ userFolders: [] }), /node_modules[\\/]webgpu[\\/]index\.js$/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
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
