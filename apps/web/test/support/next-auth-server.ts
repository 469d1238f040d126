/**
 * next-auth's real handler over real HTTP without `next build`: a node:http server that hands each
 * /api/auth/* request to `NextAuth(options)` (its framework-neutral API-route form, the same core
 * the App Router route calls), then applies what our route file adds (throttledAsTooMany on POST).
 * As in production, the socket peer is appended to X-Forwarded-For (peer-address.ts).
 *
 * Also a tiny cookie jar, so a test can walk the browser's side of a sign-in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import NextAuth, { type NextAuthOptions } from 'next-auth';
import { appendPeer } from '../../src/server/peer-address';
import { throttledAsTooMany } from '../../src/server/auth-response';

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, string> | undefined> {
  if (req.method !== 'POST') return undefined;
  let text = '';
  for await (const chunk of req) text += chunk;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(text) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(text));
}

/** The bits of a Next.js API response next-auth's handler uses, collected into a Web Response. */
class ResponseShim {
  statusCode = 200;
  readonly headers = new Headers();
  private resolve!: (r: Response) => void;
  readonly done = new Promise<Response>((r) => (this.resolve = r));
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string | string[]) {
    this.headers.delete(name);
    for (const v of Array.isArray(value) ? value : [value]) this.headers.append(name, String(v));
    return this;
  }
  getHeader(name: string) {
    return name.toLowerCase() === 'set-cookie' ? this.headers.getSetCookie() : (this.headers.get(name) ?? undefined);
  }
  end(body?: string) {
    const noBody = this.statusCode === 204 || this.statusCode === 304;
    this.resolve(new Response(noBody ? null : (body ?? ''), { status: this.statusCode, headers: this.headers }));
  }
  json(value: unknown) {
    this.headers.set('content-type', 'application/json');
    this.end(JSON.stringify(value));
  }
  send(body: unknown) {
    if (body !== null && typeof body === 'object') this.json(body);
    else this.end(body === undefined ? '' : String(body));
  }
}

export interface NextAuthServer {
  origin: string;
  close(): Promise<void>;
}

export async function startNextAuthServer(options: NextAuthOptions): Promise<NextAuthServer> {
  const handler = NextAuth(options) as (req: unknown, res: unknown) => Promise<void>;
  const server = http.createServer((req, res) => {
    void (async () => {
      appendPeer(req.headers, req.socket.remoteAddress);
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const segments = url.pathname
        .replace(/^\/api\/auth\/?/, '')
        .split('/')
        .filter(Boolean);
      if (!url.pathname.startsWith('/api/auth/')) {
        res.writeHead(404).end();
        return;
      }
      const shim = new ResponseShim();
      await handler(
        {
          method: req.method,
          headers: req.headers,
          cookies: parseCookies(req.headers.cookie),
          query: { ...Object.fromEntries(url.searchParams), nextauth: segments },
          body: await readBody(req),
        },
        shim,
      );
      let response = await shim.done;
      if (req.method === 'POST') response = await throttledAsTooMany(response);
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) headers['set-cookie'] = cookies;
      res.writeHead(response.status, headers);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err instanceof Error ? err.stack : err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser's cookies for one site, enough for next-auth's flows. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      redirect: 'manual',
      ...init,
      headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const expired = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}
