// How to run the web server from this tree. A development checkout serves apps/web's build with
// `next start`; the Docker image carries Next's standalone output instead (apps/web/server.js and
// the traced node_modules, no `next` CLI, no sources), which is started with node and is never
// rebuilt. Used by scripts/start.mjs (start:web serves the build in its own process; in the image
// docker/entrypoint.sh hands it the build's configuration).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** True in the Docker image: the standalone server is in place of the web app's sources. */
export function isStandalone(root) {
  return existsSync(join(root, 'apps', 'web', 'server.js'));
}

/** The command that serves the web app on host:port: { command, args, cwd, env } (env: what to add). */
export function webServerCommand(root, { port, host }) {
  const cwd = join(root, 'apps', 'web');
  if (isStandalone(root)) {
    // server.js reads PORT and HOSTNAME (Docker sets HOSTNAME to the container's name: override it).
    return {
      command: process.execPath,
      args: [join(cwd, 'server.js')],
      cwd,
      env: { PORT: String(port), HOSTNAME: host },
    };
  }
  const next = join(root, 'node_modules', '.bin', 'next');
  return { command: next, args: ['start', '-p', String(port), '-H', host], cwd, env: {} };
}
