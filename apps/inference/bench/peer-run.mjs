// Child process: the peer's removeBackground on each file (full-size PNG, model "medium"),
// printing {"ms":[…], "peakRss": bytes} as its last line. The first file is a warm-up.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'noop.js'));
const { removeBackground } = require('@imgly/background-removal-node');
let peak = 0;
const t = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 10);
const ms = [];
const files = process.argv.slice(2);
for (const [i, file] of files.entries()) {
  const blob = new Blob([readFileSync(file)], { type: 'image/jpeg' });
  const t0 = performance.now();
  const out = await removeBackground(blob, { model: 'medium', output: { format: 'image/png', quality: 1 } });
  await out.arrayBuffer();
  if (i > 0) ms.push(performance.now() - t0);
}
clearInterval(t);
console.log(JSON.stringify({ ms, peakRss: Math.max(peak, process.memoryUsage.rss()) }));
