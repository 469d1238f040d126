/**
 * Who this web process is, in the heartbeat rows the admin System page lists: a random id (a
 * restarted process is a new replica), host name and pid for operators, when it started, and the
 * web app's version. Kept on globalThis so the route bundles and instrumentation agree.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import webPackage from '../../../package.json' with { type: 'json' };

export interface ReplicaIdentity {
  id: string;
  host: string;
  startedAt: Date;
  version: string;
}

const KEY = Symbol.for('bgr.web.replica');
type WithReplica = typeof globalThis & { [KEY]?: ReplicaIdentity };

export function thisReplica(): ReplicaIdentity {
  const g = globalThis as WithReplica;
  g[KEY] ??= {
    id: randomUUID(),
    host: `${hostname()}:${process.pid}`,
    startedAt: new Date(),
    version: `${webPackage.version} (Node ${process.versions.node})`,
  };
  return g[KEY];
}
