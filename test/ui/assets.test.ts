import { describe, expect, test } from "bun:test";
import { getUiAsset, uiAssetPaths } from "../../src/ui/assets.ts";

describe("getUiAsset", () => {
  test("the root path serves the app shell as HTML that loads the bundled script and stylesheet", async () => {
    const res = await getUiAsset("/");
    expect(res?.status).toBe(200);
    expect(res?.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = (await res?.text()) ?? "";
    expect(html).toContain("<title>OpenClaw Control UI</title>");
    expect(html).toMatch(/<script type="module" src="\/assets\/app\.js\?v=[a-z0-9]+"><\/script>/);
    expect(html).toMatch(/href="\/assets\/app\.css\?v=[a-z0-9]+"/);
    expect(html).not.toContain("__UI_VERSION__");
  });

  test("the page forbids framing and limits scripts and connections to its own origin", async () => {
    const res = await getUiAsset("/");
    expect(res?.headers.get("x-frame-options")).toBe("DENY");
    expect(res?.headers.get("content-security-policy")).toContain("connect-src 'self'");
    expect(res?.headers.get("cache-control")).toBe("no-cache");
  });

  test("/index.html serves the same page as the root", async () => {
    const [root, index] = await Promise.all([getUiAsset("/"), getUiAsset("/index.html")]);
    expect(await index?.text()).toBe((await root?.text()) ?? "missing");
  });

  test("the script is a minified ES module built from source, cached for good by version", async () => {
    const res = await getUiAsset("/assets/app.js?v=x");
    expect(res?.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res?.headers.get("cache-control")).toContain("immutable");
    const js = (await res?.text()) ?? "";
    expect(js).toContain("openclaw-control-ui");
    expect(js.split("\n").length).toBeLessThan(50);
  });

  test("the stylesheet is served as CSS", async () => {
    const res = await getUiAsset("/assets/app.css");
    expect(res?.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await res?.text()).toContain(".composer");
  });

  test("the same file can be served twice (the cached body is not consumed)", async () => {
    const a = await (await getUiAsset("/assets/app.js"))?.text();
    const b = await (await getUiAsset("/assets/app.js"))?.text();
    expect(b).toBe(a ?? "missing");
  });

  test("the bundle stays small: script and stylesheet under 300 KB together, without zod", async () => {
    const js = (await (await getUiAsset("/assets/app.js"))?.text()) ?? "";
    const css = (await (await getUiAsset("/assets/app.css"))?.text()) ?? "";
    expect(js.length + css.length).toBeLessThan(300 * 1024);
    expect(js).not.toContain("ZodObject");
  });

  test("a path that is not a UI file gives null so the gateway can answer 404", async () => {
    expect(await getUiAsset("/v1/models")).toBeNull();
    expect(await getUiAsset("/../package.json")).toBeNull();
    expect(await getUiAsset("/constructor")).toBeNull();
    expect(await getUiAsset("/assets/bundle.ts")).toBeNull();
  });

  test("every listed path resolves to a response", async () => {
    for (const path of uiAssetPaths) expect(await getUiAsset(path)).not.toBeNull();
  });
});
