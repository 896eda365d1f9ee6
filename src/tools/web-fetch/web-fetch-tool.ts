import { z } from "zod";
import { ToolError } from "../errors.ts";
import type { Tool } from "../types.ts";
import { assertPublicUrl, defaultLookup, type LookupAll } from "./address-guard.ts";
import { htmlTitle, htmlToMarkdown } from "./html-to-markdown.ts";
import { pinnedRequest } from "./pinned-request.ts";

export interface WebFetchOptions {
  /** Allow loopback/private/link-local targets (tests, home labs). Default false. */
  allowPrivateNetwork?: boolean;
  /** Most chars returned (default 50 000). */
  maxChars?: number;
  /** Most bytes downloaded (default 2 MiB). */
  maxBytes?: number;
  /** Whole-fetch time limit (default 20 s). */
  timeoutMs?: number;
  lookup?: LookupAll;
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 5;

const params = z.object({
  url: z.string().describe("http(s) URL"),
  maxChars: z.number().positive().optional(),
});

async function readCapped(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  if (response.body) {
    for await (const chunk of response.body) {
      const room = maxBytes - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (chunk.length >= room) {
        truncated = chunk.length > room;
        await response.body.cancel().catch(() => {});
        break;
      }
    }
  }
  return { bytes: Buffer.concat(chunks), truncated };
}

/** `web_fetch`: a URL as readable Markdown (HTML) or text (JSON, plain text), public addresses only by default. */
export function createWebFetchTool(options: WebFetchOptions = {}): Tool<typeof params> {
  const lookup = options.lookup ?? defaultLookup;
  const doFetch = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  return {
    name: "web_fetch",
    description: "Fetch a URL and return its readable content as Markdown or text.",
    params,
    async execute(args, ctx) {
      let url: URL;
      try {
        url = new URL(args.url);
      } catch {
        throw new ToolError("invalid_args", `web_fetch: "${args.url}" is not a URL; give a full http:// or https:// URL.`);
      }
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(options.timeoutMs ?? 20_000)]);
      let response: Response | undefined;
      for (let hop = 0; ; hop++) {
        if (url.protocol !== "http:" && url.protocol !== "https:") throw new ToolError("invalid_args", `web_fetch: only http and https URLs are fetched, not ${url.protocol}`);
        // Connect to the very address that was checked, on every hop (no second DNS answer is trusted).
        const pinned = options.allowPrivateNetwork ? { target: url, headers: {} } : pinnedRequest(url, await assertPublicUrl(url, lookup));
        const headers = { ...pinned.headers, "user-agent": "openclaw-bun web_fetch", accept: "text/html, application/json, text/*;q=0.9, */*;q=0.5" };
        response = await doFetch(pinned.target, { redirect: "manual", signal, headers, ...(pinned.tls ? { tls: pinned.tls } : {}) } as RequestInit).catch((cause) => {
          const reason = signal.aborted ? (ctx.signal.aborted ? "aborted" : "timed out") : String(cause?.message ?? cause);
          throw new ToolError(ctx.signal.aborted ? "aborted" : "fetch_failed", `web_fetch: ${url.href}: ${reason}.`, { cause });
        });
        const location = response.headers.get("location");
        if (response.status < 300 || response.status >= 400 || !location) break;
        if (hop >= MAX_REDIRECTS) throw new ToolError("fetch_failed", `web_fetch: more than ${MAX_REDIRECTS} redirects from ${args.url}.`);
        await response.body?.cancel().catch(() => {});
        url = new URL(location, url);
      }
      const { bytes, truncated } = await readCapped(response, maxBytes);
      const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      const raw = new TextDecoder().decode(bytes);
      let text: string;
      let title: string | undefined;
      if (type === "text/html" || type === "application/xhtml+xml" || (!type && /^\s*<(!doctype|html)/i.test(raw))) {
        title = htmlTitle(raw);
        text = htmlToMarkdown(raw, url.href);
      } else if (type.includes("json")) {
        try {
          text = JSON.stringify(JSON.parse(raw), null, 2);
        } catch {
          text = raw;
        }
      } else if (type.startsWith("text/") || type.includes("xml") || !type) {
        text = raw;
      } else {
        throw new ToolError("fetch_failed", `web_fetch: ${url.href} is ${type}, not text; use exec with curl to download binary files.`);
      }
      const maxChars = Math.min(args.maxChars ?? Infinity, options.maxChars ?? 50_000);
      const cut = text.length > maxChars || truncated;
      const header = `URL: ${url.href}\nStatus: ${response.status}${title ? `\nTitle: ${title}` : ""}\n\n`;
      const content = header + text.slice(0, maxChars) + (cut ? `\n\n[content truncated at ${Math.min(text.length, maxChars)} chars]` : "");
      return { content, isError: response.status >= 400 || undefined, details: { status: response.status, url: url.href, contentType: type } };
    },
  };
}
