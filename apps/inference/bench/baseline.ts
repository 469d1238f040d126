// The bench's denominator: ONNX Runtime's plain session (default options, graphOptimizationLevel
// 'all', default threads) on the same model file, created by the bench itself and never the
// service's own session — the baseline measures the machine, the numerator measures us. It lives
// in a child process so the bench process's RSS stays the service pipeline's alone; the bench
// asks it for one timed run between its own renders, so load swings hit both alike.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export class PlainModelBaseline {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private pending: ((ms: number) => void) | null = null;
  private failed: ((err: Error) => void) | null = null;
  readonly runs: number[] = [];

  constructor(modelFile: string, inputSize: number) {
    this.child = fork(join(import.meta.dirname, 'baseline-child.ts'), [modelFile, String(inputSize)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve());
      this.child.once('exit', (code) =>
        reject(new Error(`the plain-session baseline exited (${code}) before it was ready`)),
      );
    });
    this.child.on('message', (m: { ms?: number }) => {
      if (typeof m.ms === 'number' && this.pending) {
        const done = this.pending;
        this.pending = this.failed = null;
        done(m.ms);
      }
    });
    this.child.on('exit', (code) => this.failed?.(new Error(`the plain-session baseline exited (${code})`)));
  }

  /** One warm `session.run` of the plain session on a fresh random input; milliseconds. */
  async run(): Promise<number> {
    await this.ready;
    const ms = await new Promise<number>((resolve, reject) => {
      this.pending = resolve;
      this.failed = reject;
      this.child.send('run');
    });
    this.runs.push(ms);
    return ms;
  }

  close(): void {
    this.child.kill();
  }
}
