/**
 * An OpenID Connect provider of our own on loopback, for driving next-auth's real OIDC flow in
 * tests: discovery, JWKS (a fresh RSA key), an authorization endpoint that signs in whoever the
 * test names next, a token endpoint that checks the client secret and PKCE and returns an RS256
 * ID token, and userinfo. Counts what it served, so a test can tell each step happened.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Claims = Record<string, unknown> & { sub: string };

export interface NextLogin {
  /** Claims in the ID token (besides iss, aud, iat, exp). */
  idToken: Claims;
  /** What userinfo answers (defaults to the ID token's claims). */
  userinfo?: Claims;
}

export interface FakeOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the next authorization request. */
  next(login: NextLogin): void;
  served: { discovery: number; jwks: number; authorize: number; token: number; userinfo: number };
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(payload));
  return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

export async function startFakeOidc(opts: { clientId?: string; clientSecret?: string } = {}): Promise<FakeOidc> {
  const clientId = opts.clientId ?? 'bgr-test';
  const clientSecret = opts.clientSecret ?? randomBytes(12).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(4).toString('hex');
  const served = { discovery: 0, jwks: 0, authorize: 0, token: 0, userinfo: 0 };
  const queue: NextLogin[] = [];
  const codes = new Map<string, { login: NextLogin; redirectUri: string; challenge: string | null }>();
  const accessTokens = new Map<string, Claims>();
  let issuer = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    void (async () => {
      if (url.pathname === '/.well-known/openid-configuration') {
        served.discovery++;
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      }
      if (url.pathname === '/jwks') {
        served.jwks++;
        return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
      }
      if (url.pathname === '/authorize') {
        served.authorize++;
        const login = queue.shift();
        const redirectUri = url.searchParams.get('redirect_uri');
        if (!login || !redirectUri || url.searchParams.get('client_id') !== clientId)
          return json(res, 400, { error: 'invalid_request' });
        const code = randomBytes(16).toString('hex');
        codes.set(code, { login, redirectUri, challenge: url.searchParams.get('code_challenge') });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        const state = url.searchParams.get('state');
        if (state) back.searchParams.set('state', state);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        served.token++;
        const form = await readForm(req);
        const basic = (req.headers.authorization ?? '').replace(/^Basic /, '');
        const [id, secret] = Buffer.from(basic, 'base64')
          .toString()
          .split(':')
          .map((s) => decodeURIComponent(s));
        const client = basic ? { id, secret } : { id: form.get('client_id'), secret: form.get('client_secret') };
        if (client.id !== clientId || client.secret !== clientSecret)
          return json(res, 401, { error: 'invalid_client' });
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (
          !grant ||
          form.get('grant_type') !== 'authorization_code' ||
          form.get('redirect_uri') !== grant.redirectUri
        ) {
          return json(res, 400, { error: 'invalid_grant' });
        }
        const verifier = form.get('code_verifier') ?? '';
        if (grant.challenge && createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
        const now = Math.floor(Date.now() / 1000);
        const accessToken = randomBytes(16).toString('hex');
        accessTokens.set(accessToken, grant.login.userinfo ?? grant.login.idToken);
        const idToken = signJwt(
          { ...grant.login.idToken, iss: issuer, aud: clientId, iat: now, exp: now + 300 },
          privateKey,
          kid,
        );
        return json(res, 200, {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
          scope: 'openid email profile',
        });
      }
      if (url.pathname === '/userinfo') {
        served.userinfo++;
        const claims = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
        return claims ? json(res, 200, claims) : json(res, 401, { error: 'invalid_token' });
      }
      json(res, 404, { error: 'not_found' });
    })().catch((err: unknown) => json(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    served,
    next: (login) => queue.push(login),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
