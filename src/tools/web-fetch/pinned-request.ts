import { checkServerIdentity } from "node:tls";
import { isIP } from "node:net";

/**
 * The URL and fetch options that make a request to `url` go to `address` (an IP that was checked) instead of
 * whatever the name resolves to now: the URL carries the address, the Host header the original host, and for
 * https the TLS server name and certificate check use the original name, so the site is verified as usual.
 */
export function pinnedRequest(url: URL, address: string): { target: URL; headers: Record<string, string>; tls?: object } {
  const name = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(name)) return { target: url, headers: {} };
  const target = new URL(url.href);
  target.hostname = isIP(address) === 6 ? `[${address}]` : address;
  const headers = { host: url.host };
  if (url.protocol !== "https:") return { target, headers };
  return { target, headers, tls: { serverName: name, checkServerIdentity: (_host: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(name, cert) } };
}
