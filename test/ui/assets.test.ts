import { describe, expect, test } from "bun:test";
import { getUiAsset, uiAssetPaths } from "../../src/ui/assets.ts";

describe("getUiAsset", () => {
  test("the root path serves the placeholder page as HTML", async () => {
    const res = await getUiAsset("/");
    expect(res?.status).toBe(200);
    expect(res?.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res?.text()).toContain("OpenClaw Control UI — coming soon");
  });

  test("/index.html serves the same page as the root", async () => {
    const [root, index] = await Promise.all([getUiAsset("/"), getUiAsset("/index.html")]);
    expect(await index?.text()).toBe((await root?.text()) ?? "missing");
  });

  test("a query string does not change which file is served", async () => {
    const res = await getUiAsset("/?tab=chat");
    expect(await res?.text()).toContain("<title>OpenClaw Control UI</title>");
  });

  test("a path that is not a UI file gives null so the gateway can answer 404", async () => {
    expect(await getUiAsset("/v1/models")).toBeNull();
    expect(await getUiAsset("/../package.json")).toBeNull();
    expect(await getUiAsset("/constructor")).toBeNull();
  });

  test("every listed path resolves to a response", async () => {
    for (const path of uiAssetPaths) expect(await getUiAsset(path)).not.toBeNull();
  });
});
