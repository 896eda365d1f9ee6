import { afterAll, beforeAll, expect, test } from "bun:test";
import { createToolset, invokeTool, type Tool } from "../../src/tools/index.ts";
import { isBlockedAddress } from "../../src/tools/web-fetch/address-guard.ts";
import { context, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let server: ReturnType<typeof Bun.serve>;
let base: string;

const PAGE = `<!doctype html><html><head><title>Test &amp; page</title><script>var secret = 1;</script><style>p{}</style></head>
<body><nav><a href="/home">Home nav</a></nav><h1>Heading</h1><p>Read the <a href="/docs">docs</a> now.</p>
<ul><li>first</li><li>second</li></ul><pre>code  block</pre></body></html>`;

beforeAll(async () => {
  dirs = await makeDirs();
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    routes: {
      "/page": () => new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } }),
      "/data": () => Response.json({ a: 1, b: [true] }),
      "/text": () => new Response("plain text body"),
      "/big": () => new Response("x".repeat(200_000)),
      "/hop": () => Response.redirect("/page", 302),
      "/loop": () => Response.redirect("/loop", 302),
      "/binary": () => new Response(new Uint8Array([1, 2, 3]), { headers: { "content-type": "application/octet-stream" } }),
      "/to-local": () => Response.redirect(`${base}/page`, 302),
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  server.stop(true);
  await dirs.cleanup();
});

function toolsWith(allowPrivateNetwork: boolean, maxChars?: number): Tool[] {
  return createToolset({
    workspace: dirs.workspace,
    stateDir: dirs.stateDir,
    config: { tools: { web: { fetch: { allowPrivateNetwork, maxChars } } } },
    webFetch: {
      // "public.test" passes the address check as 93.184.216.34, an address the network fake serves locally.
      lookup: async (host) => (host === "public.test" ? ["93.184.216.34"] : ["127.0.0.1"]),
      fetch: ((input: URL | string, init?: RequestInit) => {
        const url = new URL(String(input));
        if (url.hostname === "93.184.216.34") url.host = `127.0.0.1:${server.port}`;
        return fetch(url, init);
      }) as typeof fetch,
    },
  }).tools;
}

const fetchUrl = (tools: Tool[], url: string) => invokeTool(tools, "web_fetch", { url }, context(dirs.workspace));

test("an HTML page comes back as Markdown without scripts, styles or navigation", async () => {
  const result = await fetchUrl(toolsWith(true), `${base}/page`);
  expect(result.isError).toBeUndefined();
  expect(result.content).toBe(
    `URL: ${base}/page\nStatus: 200\nTitle: Test & page\n\n# Heading\n\nRead the [docs](${base}/docs) now.\n\n- first\n- second\n\n\`\`\`\ncode  block\n\`\`\``,
  );
});

test("JSON is passed through pretty-printed", async () => {
  const result = await fetchUrl(toolsWith(true), `${base}/data`);
  expect(result.content).toEndWith('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
});

test("plain text is passed through", async () => {
  expect((await fetchUrl(toolsWith(true), `${base}/text`)).content).toEndWith("\n\nplain text body");
});

test("content over maxChars is cut with a note", async () => {
  const result = await fetchUrl(toolsWith(true, 1000), `${base}/big`);
  expect(result.content).toContain("[content truncated at 1000 chars]");
  expect(result.content.length).toBeLessThan(1200);
});

test("redirects are followed", async () => {
  const result = await fetchUrl(toolsWith(true), `${base}/hop`);
  expect(result.content).toStartWith(`URL: ${base}/page\n`);
});

test("a redirect loop stops after 5 hops with an error", async () => {
  const result = await fetchUrl(toolsWith(true), `${base}/loop`);
  expect(result.isError).toBe(true);
  expect(result.content).toContain("more than 5 redirects");
});

test("a loopback address is refused unless allowPrivateNetwork is set", async () => {
  const result = await fetchUrl(toolsWith(false), `${base}/page`);
  expect(result.isError).toBe(true);
  expect(result.content).toContain("private or local address (127.0.0.1)");
  expect(result.content).toContain("allowPrivateNetwork");
});

test("a host name that resolves to a private address is refused", async () => {
  const result = await fetchUrl(toolsWith(false), "http://intranet.example/");
  expect(result.isError).toBe(true);
  expect(result.content).toContain("intranet.example resolves to a private or local address");
});

test("a public page that redirects to a private address is refused at the redirect", async () => {
  const result = await fetchUrl(toolsWith(false), "http://public.test/to-local");
  expect(result.isError).toBe(true);
  expect(result.content).toContain("private or local address (127.0.0.1)");
});

test("binary content is refused with a hint", async () => {
  const result = await fetchUrl(toolsWith(true), `${base}/binary`);
  expect(result.isError).toBe(true);
  expect(result.content).toContain("application/octet-stream, not text");
});

test("a non-http URL is refused", async () => {
  const result = await fetchUrl(toolsWith(true), "file:///etc/passwd");
  expect(result.isError).toBe(true);
  expect(result.content).toContain("only http and https");
});

test("private, loopback, link-local and mapped addresses are blocked; public ones are not", () => {
  const blocked = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fc00::1", "fd12::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:192.168.0.1"];
  const allowed = ["8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"];
  expect(blocked.filter((ip) => !isBlockedAddress(ip))).toEqual([]);
  expect(allowed.filter((ip) => isBlockedAddress(ip))).toEqual([]);
});

test("a name whose second DNS answer is loopback is fetched from the address that was checked (DNS rebinding)", async () => {
  let reached = 0;
  const local = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => (reached++, new Response("loopback secret")) });
  try {
    // The guard's lookup says public; the system resolver (which fetch would use by name) says loopback.
    const tools = createToolset({
      workspace: dirs.workspace,
      stateDir: dirs.stateDir,
      webFetch: { lookup: async () => ["198.51.100.7"], timeoutMs: 300 },
    }).tools;
    for (let i = 0; i < 3; i++) {
      const result = await fetchUrl(tools, `http://localhost:${local.port}/`);
      expect(result.content).not.toContain("loopback secret");
    }
    expect(reached).toBe(0);
  } finally {
    local.stop(true);
  }
});

test("every redirect hop connects to its own checked address and sends the original Host", async () => {
  const seen: string[] = [];
  const answers = [["93.184.216.34"], ["93.184.216.35"], ["127.0.0.1"]];
  const tools = createToolset({
    workspace: dirs.workspace,
    stateDir: dirs.stateDir,
    webFetch: {
      lookup: async () => answers.shift() ?? ["127.0.0.1"],
      fetch: (async (input: URL | string, init?: RequestInit) => {
        seen.push(`${new URL(String(input)).host} host=${new Headers(init?.headers).get("host")}`);
        if (seen.length === 1) return new Response(null, { status: 302, headers: { location: "http://second.test/next" } });
        return new Response("done", { headers: { "content-type": "text/plain" } });
      }) as typeof fetch,
    },
  }).tools;
  const result = await fetchUrl(tools, "http://first.test/start");
  expect(result.content).toEndWith("\n\ndone");
  expect(seen).toEqual(["93.184.216.34 host=first.test", "93.184.216.35 host=second.test"]);
});
