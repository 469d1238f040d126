/**
 * Makes the TCP peer's address visible to route handlers, which only see a Web `Request`.
 *
 * Why: Next.js copies the socket address into `X-Forwarded-For` only when the client sent none,
 * so a client could name any address it likes. Installed once per server process (from
 * instrumentation.ts), this appends the socket peer to `X-Forwarded-For` on every incoming HTTP
 * request before Next.js sees it, the way a reverse proxy does. clientAddress() then believes the
 * entries to the left of it only through TRUSTED_PROXIES.
 */
import http from 'node:http';

const installed = Symbol.for('bgr.peerAddressInstalled');

/** Appends `peer` to the request's X-Forwarded-For header (a no-op without a peer address). */
export function appendPeer(headers: http.IncomingHttpHeaders, peer: string | undefined): void {
  if (!peer) return;
  const prior = headers['x-forwarded-for'];
  const list = (Array.isArray(prior) ? prior.join(',') : (prior ?? '')).trim();
  headers['x-forwarded-for'] = list ? `${list}, ${peer}` : peer;
}

export function installPeerAddress(): void {
  const proto = http.Server.prototype as unknown as Record<symbol | string, unknown> & { emit: http.Server['emit'] };
  if (proto[installed]) return;
  proto[installed] = true;
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      appendPeer(req.headers, req.socket?.remoteAddress);
    }
    return emit.call(this, event, ...args);
  } as http.Server['emit'];
}
