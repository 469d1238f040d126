// Measures ONNX Runtime session options on speed and memory together (issue: the service ran
// 4× slower than its own model on a fresh machine because the arena and memory pattern were off).
//   tsx experiments/session-options.ts [--rounds 2] [--runs 3] [variant …]
// Every variant runs in its own fresh process (so RSS is that variant's alone), variants take
// turns round by round so load swings hit all of them; each process loads IS-Net fp16, runs it
// once to warm up, then --runs times on different inputs, and reports the median run and RSS.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { loadRegistry, modelPath, selectModel } from '../src/model/registry.ts';
import { readConfig } from '../src/server/config.ts';

const VARIANTS: Record<string, ort.InferenceSession.SessionOptions> = {
  default: {},
  'both-off': { enableCpuMemArena: false, enableMemPattern: false },
  'arena-off': { enableCpuMemArena: false },
  'pattern-off': { enableMemPattern: false },
  'no-spin': { extra: { 'session.intra_op.allow_spinning': '0' } },
  'pattern-off-no-spin': { enableMemPattern: false, extra: { 'session.intra_op.allow_spinning': '0' } },
  'pattern-off-init-alloc': {
    enableMemPattern: false,
    extra: { 'session.use_device_allocator_for_initializers': '1' },
  },
  'pattern-off-no-prepack': { enableMemPattern: false, extra: { 'session.disable_prepacking': '1' } },
};

const vm = (key: string): number =>
  Number(
    /\s(\d+) kB/.exec(
      readFileSync('/proc/self/status', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(key)) ?? '',
    )?.[1] ?? 0,
  ) * 1024;

if (process.env.SESSION_VARIANT) {
  const name = process.env.SESSION_VARIANT;
  const runs = Number(process.env.RUNS ?? 3);
  const config = selectModel(loadRegistry(), 'medium');
  const session = await ort.InferenceSession.create(modelPath(config, readConfig().modelsDir), {
    graphOptimizationLevel: 'all',
    ...VARIANTS[name],
  });
  const s = config.inputSize;
  const input = () => {
    const a = new Float32Array(3 * s * s);
    for (let i = 0; i < a.length; i++) a[i] = Math.random() - 0.5;
    return new ort.Tensor('float32', a, [1, 3, s, s]);
  };
  const feeds = () => ({ [session.inputNames[0]!]: input() });
  await session.run(feeds());
  const ms: number[] = [];
  const rss: number[] = [];
  for (let r = 0; r < runs; r++) {
    const f = feeds();
    const t = performance.now();
    await session.run(f);
    ms.push(performance.now() - t);
    rss.push(vm('VmRSS:'));
  }
  console.log(JSON.stringify({ name, ms, rss, hwm: vm('VmHWM:') }));
  process.exit(0);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '2' }, runs: { type: 'string', default: '3' } },
});
const names = positionals.length ? positionals : Object.keys(VARIANTS);
const results: Record<string, { ms: number[]; rss: number[]; hwm: number[] }> = {};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const name of names) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename], {
      env: { ...process.env, SESSION_VARIANT: name, RUNS: values.runs },
      encoding: 'utf8',
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      console.error(`${name}: failed: ${r.stderr.slice(-400)}`);
      continue;
    }
    const out = JSON.parse(line) as { ms: number[]; rss: number[]; hwm: number };
    const acc = (results[name] ??= { ms: [], rss: [], hwm: [] });
    acc.ms.push(...out.ms);
    acc.rss.push(...out.rss);
    acc.hwm.push(out.hwm);
    console.error(
      `${name}: runs ${out.ms.map((m) => (m / 1000).toFixed(2)).join(', ')} s; RSS after each ${out.rss.map((b) => (b / 2 ** 30).toFixed(2)).join(', ')} GiB; peak ${(out.hwm / 2 ** 30).toFixed(2)} GiB`,
    );
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log('| session options | median run | range | RSS after last run | peak RSS |\n|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  console.log(
    `| ${name} | ${(med(r.ms) / 1000).toFixed(2)} s | ${(Math.min(...r.ms) / 1000).toFixed(2)}–${(Math.max(...r.ms) / 1000).toFixed(2)} s | ${(Math.max(...r.rss) / 2 ** 30).toFixed(2)} GiB | ${(Math.max(...r.hwm) / 2 ** 30).toFixed(2)} GiB |`,
  );
}
