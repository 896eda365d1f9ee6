import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ToolError } from "../errors.ts";

/** Resolves a host name to all its addresses (injectable for tests). */
export type LookupAll = (hostname: string) => Promise<string[]>;

export const defaultLookup: LookupAll = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function ipv4Blocked(ip: string): boolean {
  const [a = 0, b = 0] = ip.split(".").map(Number);
  return (
    a === 0 ||
    a === 127 ||
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  );
}

function expandIpv6(ip: string): number[] {
  let text = ip.split("%")[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split(".").map(Number) as [number, number, number, number];
    text = text.slice(0, -v4[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? (text.split("::") as [string, string]) : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((h) => Number.parseInt(h || "0", 16));
}

/** True for loopback, private, link-local, CGNAT, unspecified and multicast addresses (v4, v6 and v4-mapped). */
export function isBlockedAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return ipv4Blocked(ip);
  if (family !== 6) return true;
  const words = expandIpv6(ip);
  const [w0 = 0, , , , , w5 = 0, w6 = 0, w7 = 0] = words;
  if (words.every((w) => w === 0)) return true; // ::
  if (words.slice(0, 7).every((w) => w === 0) && w7 === 1) return true; // ::1
  if (words.slice(0, 5).every((w) => w === 0) && (w5 === 0xffff || w5 === 0)) {
    return ipv4Blocked(`${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`); // IPv4-mapped / -compatible
  }
  if ((w0 & 0xfe00) === 0xfc00) return true; // fc00::/7
  if ((w0 & 0xffc0) === 0xfe80) return true; // fe80::/10
  if ((w0 & 0xff00) === 0xff00) return true; // multicast
  if (w0 === 0x64 && words[1] === 0xff9b) return ipv4Blocked(`${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`); // NAT64
  return false;
}

/**
 * Throws `blocked_address` when the URL's host is, or resolves to, a private or local address; otherwise returns
 * the checked address, which the caller must connect to (resolving the name again would let DNS rebinding
 * answer the second query with a private address).
 */
export async function assertPublicUrl(url: URL, lookup: LookupAll): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : await lookup(host).catch((cause) => {
    throw new ToolError("fetch_failed", `web_fetch: cannot resolve ${host}.`, { cause });
  });
  const blocked = addresses.find(isBlockedAddress);
  if (blocked || addresses.length === 0) {
    throw new ToolError(
      "blocked_address",
      `web_fetch: ${host} resolves to a private or local address (${blocked ?? "none"}); only public addresses are fetched (tools.web.fetch.allowPrivateNetwork allows others).`,
    );
  }
  return addresses[0]!;
}
