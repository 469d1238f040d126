// Whether this web process is draining (shutting down): set by the process that runs the server
// (scripts/start-web.mjs, on SIGTERM) through a process-wide flag, read by /readyz so that load
// balancers stop sending new work while requests in flight finish. The flag lives on globalThis
// under a registered symbol because the server wrapper is plain Node and the route is bundled.
const DRAINING = Symbol.for('bgr.web.draining');

type WithFlag = typeof globalThis & { [DRAINING]?: boolean };

/** True once the server has been told to stop (SIGTERM). */
export function isDraining(): boolean {
  return (globalThis as WithFlag)[DRAINING] === true;
}
