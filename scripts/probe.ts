// Issue 15's hostile probe, rerun headlessly: bad inputs to the CLI (dist/layerlab.mjs) and to the
// language server over stdio (`layerlab lsp --stdio`, as editors start it). Prints a table and
// exits non-zero when any input printed a raw stack trace, took the server down or lost a reply.
// Usage: npm run probe (builds dist/ first if it is missing: node scripts/build.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../language-server/src/common/random.js';
import { LspClient } from '../test/lsp/client.js';
import { badPosition, fuzzMessage, Rng } from '../test/lsp/fuzz-messages.js';

const root = join(fileURLToPath(import.meta.url), '../../..');
const cli = join(root, 'dist/layerlab.mjs');
const rawTrace = /^\s+at .+\(.*:\d+:\d+\)|^\s+at .+:\d+:\d+$/m;
const rawError = /TypeError|RangeError|ReferenceError|SyntaxError: |internal error|Maximum call stack|heap out of memory/;

interface CliResult {
  readonly name: string;
  readonly status: number | null;
  readonly signal: string | null;
  readonly trace: boolean;
  readonly stderr: string;
}

function randomBytes(seed: number, n: number): Buffer {
  const next = seededRandom(seed);
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) bytes.writeUInt32LE(Math.floor(next() * 2 ** 32), Math.min(i, n - 4));
  return bytes;
}

function runCli(name: string, args: readonly string[], timeoutMs = 120_000): CliResult {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  const stderr = run.stderr ?? '';
  const trace = rawTrace.test(stderr) || rawError.test(stderr) || run.signal !== null || run.error !== undefined;
  return { name, status: run.status, signal: run.signal, trace, stderr };
}

function cliInputs(dir: string): [string, string[]][] {
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const good = file('good.model', 'model m(units = 8) {\n  input (4,)\n  Dense(units)\n  Dense(2)\n}\n');
  const errors = file('errors.model', 'model m {\n  input (4,)\n  Dense(-1)\n  Nope()\n}\ntrain m { dataset = mnist }\n');
  const noTrain = file('no-train.model', 'model m {\n  input (4,)\n  Dense(2)\n}\n');
  const folder = join(dir, 'folder.model');
  mkdirSync(folder);
  const fifo = join(dir, 'fifo.model');
  const madeFifo = spawnSync('mkfifo', [fifo]).status === 0;
  const binary = file('binary.model', randomBytes(1, 64 * 1024));
  const random50 = file('random-50MB.model', randomBytes(2, 50 * 1024 * 1024));
  const model = 'model m {\n  input (4,)\n  Dense(2)\n}\n';
  const valid50 = file('valid-50MB.model', model.repeat(Math.ceil((50 * 1024 * 1024) / model.length)));
  const valid7 = file('valid-7MB.model', Array.from({ length: 160_000 }, (_, i) => model.replace('model m', `model m${i}`)).join(''));
  const bom = file('bom.model', '\ufeff' + model);
  const crlf = file('crlf.model', model.replace(/\n/g, '\r\n'));
  const nul = file('nul.model', model.replace(/2/, '\u00002'));
  const latin1 = file('latin1.model', Buffer.from('model m\xe9 {\n  input (4,)\n  Dense(2)\n}\n', 'latin1'));
  const utf16 = file('utf16.model', Buffer.from('\ufeff' + model, 'utf16le'));
  const deep = file('deep.model', `model m {\n  input (4,)\n  Dense(${'('.repeat(100_000)}1${')'.repeat(100_000)})\n}\n`);
  const deepRepeat = file('deep-repeat.model', `model m {\n  input (4,)\n${'repeat 2 {\n'.repeat(63)}${'}\n'.repeat(63)}  Dense(2)\n}\n`);
  const chain = file('chain.model', `model m {\n  input (4,)\n  Dense(${Array(100_000).fill('1').join('+')})\n}\n`);
  let variants = '';
  for (let i = 9_999; i > 0; i--) variants += `model w${i} = w${i - 1}()\n`;
  const variantChain = file('variant-chain.model', variants + model.replace('model m', 'model w0'));
  const longLine = file('long-line.model', `model m {\n  input (4,)\n  ${'Dense(2) '.repeat(200_000)}\n}\n`);
  const empty = file('empty.model', '');
  const unreadable = file('unreadable.model', model);
  spawnSync('chmod', ['000', unreadable]);
  const missing = join(dir, 'missing.model');
  const inputs: [string, string[]][] = [];
  const files: [string, string][] = [
    ['missing file', missing],
    ['a folder', folder],
    ['/dev/zero', '/dev/zero'],
    ['/dev/null', '/dev/null'],
    ...(madeFifo ? ([['a fifo', fifo]] as [string, string][]) : []),
    ['binary file (64 kB random)', binary],
    ['50 MB random bytes', random50],
    ['50 MB valid-looking', valid50],
    ['7 MB of 160,000 models', valid7],
    ['UTF-8 BOM', bom],
    ['CRLF', crlf],
    ['NUL byte', nul],
    ['latin1 bytes', latin1],
    ['UTF-16 with BOM', utf16],
    ['100,000-deep parentheses', deep],
    ['63 nested repeat 2 {}', deepRepeat],
    ['100,000-term 1+1+…', chain],
    ['10,000 variants, each before its base', variantChain],
    ['a 1.8 MB line', longLine],
    ['empty file', empty],
    ['file with errors', errors],
    ['unreadable file (chmod 000)', unreadable],
  ];
  for (const [label, path] of files) {
    inputs.push([`summary: ${label}`, ['summary', path]]);
    inputs.push([`summary --json: ${label}`, ['summary', path, '--json']]);
  }
  inputs.push(
    ['no command', []],
    ['unknown command', ['frobnicate']],
    ['summary without FILE', ['summary']],
    ['summary with two FILEs', ['summary', good, good]],
    ['summary --bogus', ['summary', good, '--bogus']],
    ['summary --model without a value', ['summary', good, '--model']],
    ['summary --model unknown', ['summary', good, '--model', 'nope']],
    ['summary --model ""', ['summary', good, '--model', '']],
    ['summary --json=yes', ['summary', good, '--json=yes']],
    ['summary -h', ['summary', '-h']],
    ['summary on 50 MB --json', ['summary', valid50, '--json']],
    ['lsp without transport', ['lsp']],
    ['report without folders', ['report']],
    ['report of a missing folder', ['report', missing, '--out', join(dir, 'out.html')]],
    ['report of a file, not a folder', ['report', good, '--out', join(dir, 'out.html')]],
    ['report --out into a missing folder', ['report', dir, '--out', join(dir, 'no/such/dir/out.html')]],
  );
  for (const epochs of ['0', '-1', '1.5', 'abc', '1e999', '', 'NaN', '99999999999999999999']) inputs.push([`train --epochs ${JSON.stringify(epochs)}`, ['train', good, '--epochs', epochs]]);
  for (const limit of ['0', '-5', 'x']) inputs.push([`train --limit ${limit}`, ['train', good, '--limit', limit]]);
  for (const threads of ['0', '-1', '2.5']) inputs.push([`train --threads ${threads}`, ['train', good, '--threads', threads]]);
  inputs.push(
    ['train --backend bogus', ['train', good, '--backend', 'bogus']],
    ['train without FILE', ['train']],
    ['train a missing file', ['train', missing]],
    ['train /dev/zero', ['train', '/dev/zero']],
    ['train a folder', ['train', folder]],
    ['train 50 MB random', ['train', random50]],
    ['train --bogus', ['train', good, '--bogus']],
    // These reach the trainer process, which refuses before loading any data.
    ['train a file with errors', ['train', errors, '--backend', 'cpu']],
    ['train a file without a train block', ['train', noTrain, '--backend', 'cpu']],
    ['train --model unknown', ['train', errors, '--model', 'nope', '--backend', 'cpu']],
    ['tune without FILE', ['tune']],
    ['tune --limit 0', ['tune', good, '--limit', '0']],
    ['tune --backend bogus', ['tune', good, '--backend', 'bogus']],
    ['tune a missing file', ['tune', missing]],
    ['tune a file without a tune block', ['tune', noTrain, '--backend', 'cpu']],
  );
  return inputs;
}

interface ServerFigures {
  messages: number;
  exits: number;
  unanswered: number;
  malformed: number;
  traces: number;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probeServer(stormSize: number): Promise<ServerFigures> {
  const figures: ServerFigures = { messages: 0, exits: 0, unanswered: 0, malformed: 0, traces: 0 };
  const client = await LspClient.start({ entry: cli, args: ['lsp', '--stdio'] });
  let exited = false;
  client.process.on('exit', () => {
    exited = true;
  });
  const request = async (method: string, params: unknown, ms = 60_000): Promise<void> => {
    figures.messages++;
    const reply = await withTimeout(
      client.connection.sendRequest(method, params).then(
        (value) => {
          if (badPosition(value, method)) figures.malformed++;
        },
        (error: unknown) => {
          if (rawTrace.test(error instanceof Error ? error.message : String(error))) figures.traces++;
        },
      ),
      ms,
    );
    if (reply === 'timeout') figures.unanswered++;
  };
  const notify = async (method: string, params: unknown) => {
    figures.messages++;
    await client.connection.sendNotification(method, params);
  };
  const open = (uri: string, text: unknown) => notify('textDocument/didOpen', { textDocument: { uri, languageId: 'model', version: 1, text } });
  const at = (uri: string, line = 0, character = 0) => ({ textDocument: { uri }, position: { line, character } });

  // The shapes first, by name.
  for (const text of [null, undefined, ['a'], 42, {}]) await open('file:///probe/bad.model', text);
  await notify('textDocument/didOpen', { textDocument: null });
  await notify('textDocument/didOpen', null);
  await notify('textDocument/didChange', { textDocument: { uri: 'file:///probe/bad.model', version: 2 }, contentChanges: null });
  await notify('textDocument/didClose', null);
  await notify('textDocument/didClose', { textDocument: null });
  const model = 'model m {\n  input (4,)\n  Dense(2)\n}\n';
  await open('file:///probe/good.model', model);
  await request('textDocument/rename', { ...at('file:///probe/good.model', 0, 6), newName: null });
  const bigRandom = randomBytes(3, 50 * 1024 * 1024).toString('latin1');
  const documents: [string, string][] = [
    ['random-50MB', bigRandom],
    ['valid-50MB', model.repeat(Math.ceil((50 * 1024 * 1024) / model.length))],
    ['chain', `model m {\n  input (4,)\n  Dense(${Array(100_000).fill('1').join('+')})\n}\n`],
    ['deep', `model m {\n  input (4,)\n  Dense(${'('.repeat(100_000)}1${')'.repeat(100_000)})\n}\n`],
    ['deep-repeat', `model m {\n  input (4,)\n${'repeat 2 {\n'.repeat(63)}${'}\n'.repeat(63)}  Dense(2)\n}\n`],
    ['bom', '\ufeff' + model],
    ['nul', model.replace('2', '\u00002')],
  ];
  for (const [name, text] of documents) {
    const uri = `file:///probe/${name}.model`;
    await open(uri, text);
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/documentSymbol', 'textDocument/semanticTokens/full', 'textDocument/formatting', 'textDocument/codeLens']) {
      await request(method, { ...at(uri, 2, 5), options: { tabSize: 2, insertSpaces: true } });
    }
    await request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } } });
    await notify('textDocument/didClose', { textDocument: { uri } });
  }
  // Then a seeded storm of every method with damaged params.
  const r = new Rng(0x9f0be);
  for (let i = 0; i < stormSize && !exited; i++) {
    const message = fuzzMessage(r, i, i + 2);
    if (message.kind === 'notification') await notify(message.method, message.params);
    else await request(message.method, message.params);
  }
  // Still serving?
  const after = 'file:///probe/after.model';
  const published = client.diagnosticsFor(after, 1);
  await open(after, model);
  if ((await withTimeout(published, 30_000)) === 'timeout') figures.unanswered++;
  await request('textDocument/hover', at(after, 2, 3));
  figures.exits = exited ? 1 : 0;
  if (!exited) await client.stop();
  return figures;
}

async function main(): Promise<number> {
  if (!existsSync(cli)) {
    process.stderr.write(`probe: ${cli} is missing; run node scripts/build.mjs first\n`);
    return 2;
  }
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-probe-'));
  let results: CliResult[];
  try {
    results = cliInputs(dir).map(([name, args]) => runCli(name, args));
  } finally {
    spawnSync('chmod', ['-R', 'u+rwx', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
  const traced = results.filter((r) => r.trace);
  process.stdout.write('CLI inputs (exit status):\n');
  for (const r of results) process.stdout.write(`  ${r.trace ? 'TRACE' : 'ok   '} ${String(r.status ?? r.signal).padStart(4)}  ${r.name}\n`);
  for (const r of traced) process.stdout.write(`\n--- ${r.name}: stderr ---\n${r.stderr.slice(0, 2000)}\n`);
  const server = await probeServer(Number(process.env.LAYERLAB_PROBE_STORM ?? 2000));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    [
      '',
      '| input | tried | failures |',
      '|---|---:|---:|',
      `| CLI | ${results.length} | ${traced.length} raw stack traces |`,
      `| server messages | ${server.messages} | ${server.exits} exits, ${server.unanswered} unanswered |`,
      `| server replies | | ${server.malformed} with NaN or negative positions, ${server.traces} with stack traces |`,
      '',
      `probe: ${results.length} CLI inputs, ${traced.length} raw stack traces; ${server.messages} server messages, ${server.exits} server exits, ${server.unanswered} unanswered (${seconds.toFixed(0)} s)`,
      '',
    ].join('\n'),
  );
  return traced.length + server.exits + server.unanswered + server.malformed + server.traces > 0 ? 1 : 0;
}

process.exitCode = await main();
