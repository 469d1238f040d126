/**
 * Bad command lines end with one sentence on stderr and exit code 2 before any request: the
 * client is pointed at a loopback server that counts every connection, and none arrives.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBgr, writePhotos } from './support/bgr';

let server: http.Server;
let connections = 0;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(500).end());
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = { BGR_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, BGR_API_KEY: 'some-key' };
  dir = mkdtempSync(path.join(tmpdir(), 'bgr-args-'));
  await writePhotos(path.join(dir, 'photos'), ['a.jpg', 'b.png', 'c.webp', 'sub/a.png', 'sub/d.jpg']);
  writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const CASES: [string, string[], Record<string, string>, string][] = [
  ['an unknown flag', ['remove', '--colour', 'red', 'photos'], {}, "Unknown option '--colour'."],
  ['no inputs', ['remove'], {}, 'Name at least one image, folder or glob to process (see bgr remove --help).'],
  [
    'no API key',
    ['remove', 'photos'],
    { BGR_API_KEY: '' },
    'An API key is needed: pass --api-key, or set BGR_API_KEY (or REMOVE_BG_API_KEY).',
  ],
  [
    'a bad --api-url',
    ['remove', '--api-url', 'ftp://example.com', 'photos'],
    {},
    '--api-url must be an http or https URL; got "ftp://example.com".',
  ],
  [
    'an unknown size',
    ['remove', '--size', 'huge', 'photos'],
    {},
    '--size must be one of preview, small, regular, medium, hd, full, 4k, 50MP, auto; got "huge".',
  ],
  [
    'an unknown format',
    ['remove', '--format', 'gif', 'photos'],
    {},
    '--format must be one of auto, png, jpg, webp, zip; got "gif".',
  ],
  [
    'unknown channels',
    ['remove', '--channels', 'rgb', 'photos'],
    {},
    '--channels must be one of rgba, alpha; got "rgb".',
  ],
  [
    'a zero concurrency',
    ['remove', '--concurrency', '0', 'photos'],
    {},
    '--concurrency must be a whole number of at least 1; got "0".',
  ],
  [
    'a confirm limit below -1',
    ['remove', '--confirm-batch-over', '-2', 'photos'],
    {},
    '--confirm-batch-over must be a whole number of at least -1; got "-2".',
  ],
  [
    'a malformed extra option',
    ['remove', '--extra-api-option', 'crop', 'photos'],
    {},
    '--extra-api-option must look like key=value (e.g. crop=true); got "crop".',
  ],
  [
    'an extra option that a flag sets',
    ['remove', '--extra-api-option', 'size=full', 'photos'],
    {},
    '--extra-api-option cannot set size: use --size.',
  ],
  [
    'two backgrounds',
    ['remove', '--bg-color', 'fff', '--bg-image-file', 'photos/a.jpg', 'photos'],
    {},
    'Give only one of --bg-color and --bg-image-file.',
  ],
  [
    'a missing background file',
    ['remove', '--bg-image-file', 'nope.jpg', 'photos'],
    {},
    '--bg-image-file: no such file "nope.jpg".',
  ],
  ['a missing input', ['remove', 'photos', 'missing.jpg'], {}, 'No such file or folder: "missing.jpg".'],
  [
    'a glob matching nothing',
    ['remove', 'photos/*.tiff'],
    {},
    'No images found in "photos/*.tiff" (looked for .jpg, .jpeg, .png, .webp).',
  ],
  [
    'two inputs with one output',
    ['remove', '--output-directory', 'out', 'photos/a.jpg', 'photos/a.jpg', 'photos/sub/a.png'],
    {},
    '"photos/a.jpg" and "photos/sub/a.png" would both be written to "out/a.png"; rename one or process them separately.',
  ],
  [
    'a batch over the confirmation limit without a terminal',
    ['remove', '--recursive', '--confirm-batch-over', '3', 'photos'],
    {},
    'Refusing to process 5 images without confirmation (more than --confirm-batch-over 3); pass --confirm-batch-over 5 or -1 to go ahead.',
  ],
  [
    'an unknown command',
    ['erase', 'photos'],
    {},
    'Unknown command "erase"; use remove, zip2png or account (bgr --help).',
  ],
  ['zip2png without files', ['zip2png'], {}, 'Name at least one ZIP file (see bgr zip2png --help).'],
  [
    'account without a key',
    ['account'],
    { BGR_API_KEY: '' },
    'An API key is needed: pass --api-key, or set BGR_API_KEY (or REMOVE_BG_API_KEY).',
  ],
];

describe('bad arguments', () => {
  it.each(CASES)('%s: exit 2 with a sentence, nothing sent', async (_name, args, extraEnv, message) => {
    const run = await runBgr(args, { cwd: dir, env: { ...env, ...extraEnv } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(message);
    expect(connections).toBe(0);
  });

  it('help and version exit 0', async () => {
    const help = await runBgr(['remove', '--help'], { cwd: dir, env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--confirm-batch-over N');
    const version = await runBgr(['--version'], { cwd: dir, env });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(connections).toBe(0);
  });
});
