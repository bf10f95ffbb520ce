// Compiled from src/live/auth.ts by `npm run build`: edit the source, not this file.

// src/live/auth.ts
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
function newToken() {
  return randomBytes(16).toString("base64url");
}
function tokenMatches(expected, offered) {
  if (expected.length === 0 || typeof offered !== "string") return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(offered, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
function isLoopback(host) {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || bare === "0:0:0:0:0:0:0:1";
  return false;
}
function acceptedHosts(rules) {
  const port = String(rules.port);
  const names = /* @__PURE__ */ new Set();
  const add = (name) => {
    names.add(`${name}:${port}`.toLowerCase());
  };
  const bound = rules.host.includes(":") && !rules.host.startsWith("[") ? `[${rules.host}]` : rules.host;
  add(bound);
  if (isLoopback(rules.host) || rules.host === "0.0.0.0" || rules.host === "::") {
    add("127.0.0.1");
    add("localhost");
    add("[::1]");
  }
  return names;
}
function ownOrigins(rules) {
  return new Set([...acceptedHosts(rules)].map((host) => `http://${host}`));
}
function checkRequest(rules, headers) {
  const host = headers.host?.toLowerCase();
  if (host === void 0 || !acceptedHosts(rules).has(host))
    return `Host '${headers.host ?? ""}' does not name this server`;
  const origin = headers.origin;
  if (origin === void 0) return void 0;
  if (ownOrigins(rules).has(origin.toLowerCase())) return void 0;
  if (rules.allowOrigins.some((allowed) => sameOrigin(allowed, origin))) return void 0;
  return `cross-origin request from '${origin}' refused (allow it with live.allowOrigins)`;
}
function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
function bearerToken(header) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}
export {
  acceptedHosts,
  bearerToken,
  checkRequest,
  isLoopback,
  newToken,
  ownOrigins,
  tokenMatches
};
