/**
 * Who may do what on the live server (docs/security.md, "The live view"):
 *
 * - Streaming (read-only) needs no token while the server is bound to loopback; bound to any other
 *   address it needs the token too.
 * - Every operator command, e-stop included, needs the run's token.
 * - Browsers: a request must name this server in its `Host` header (a DNS-rebinding page names its
 *   own host) and, when it carries an `Origin`, come from the page's own origin or an allowed one.
 *   Clients that are not browsers (Foxglove desktop, scripts) send no `Origin`.
 *
 * Pure functions, so the rules are tested without sockets.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** A fresh operator token: 128 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Constant-time comparison; an empty expected token never matches. */
export function tokenMatches(expected: string, offered: string | undefined | null): boolean {
  if (expected.length === 0 || typeof offered !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(offered, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

export interface AccessRules {
  /** The address the server is bound to. */
  readonly host: string;
  /** The port it listens on (after binding port 0). */
  readonly port: number;
  /** Extra browser origins allowed, e.g. `https://app.foxglove.dev`. */
  readonly allowOrigins: readonly string[];
}

/** The `Host` header values that name this server: the bound address, and loopback names if bound there. */
export function acceptedHosts(rules: AccessRules): Set<string> {
  const port = String(rules.port);
  const names = new Set<string>();
  const add = (name: string): void => {
    names.add(`${name}:${port}`.toLowerCase());
  };
  const bound = rules.host.includes(':') && !rules.host.startsWith('[') ? `[${rules.host}]` : rules.host;
  add(bound);
  if (isLoopback(rules.host) || rules.host === '0.0.0.0' || rules.host === '::') {
    add('127.0.0.1');
    add('localhost');
    add('[::1]');
  }
  return names;
}

/** The page's own origins (what a browser sends when the page served here makes a request). */
export function ownOrigins(rules: AccessRules): Set<string> {
  return new Set([...acceptedHosts(rules)].map((host) => `http://${host}`));
}

export type AccessProblem = string | undefined;

/** Checks the headers every HTTP request and WebSocket upgrade must pass. */
export function checkRequest(
  rules: AccessRules,
  headers: { host?: string | undefined; origin?: string | undefined },
): AccessProblem {
  const host = headers.host?.toLowerCase();
  if (host === undefined || !acceptedHosts(rules).has(host))
    return `Host '${headers.host ?? ''}' does not name this server`;
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  if (ownOrigins(rules).has(origin.toLowerCase())) return undefined;
  if (rules.allowOrigins.some((allowed) => sameOrigin(allowed, origin))) return undefined;
  return `cross-origin request from '${origin}' refused (allow it with live.allowOrigins)`;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** `Authorization: Bearer TOKEN` → TOKEN. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
