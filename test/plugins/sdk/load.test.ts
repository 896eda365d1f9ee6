import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundledPlugins } from "../../../plugins/index.ts";
import type { Config } from "../../../src/config/schema.ts";
import { loadPlugins } from "../../../src/plugins/load.ts";
import { splitToolSurface } from "../../../src/tools/tool-search.ts";
import { adaptPluginTool } from "../../../src/plugins/tool-adapter.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), "oc-plugin-load-"));
  dirs.push(dir);
  return dir;
}

/** A plugin folder under `<state>/extensions/<id>`. */
function plugin(state: string, id: string, files: { manifest?: unknown; index?: string; pkg?: unknown } = {}) {
  const dir = join(state, "extensions", id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "openclaw.plugin.json"), typeof files.manifest === "string" ? files.manifest : JSON.stringify(files.manifest ?? { id, configSchema: { type: "object" } }));
  writeFileSync(join(dir, "index.ts"), files.index ?? `export default { id: "${id}", register(api) { api.registerTool({ name: "${id}_tool", description: "d", parameters: { type: "object" }, execute: () => "ok" }); } };`);
  if (files.pkg) writeFileSync(join(dir, "package.json"), JSON.stringify(files.pkg));
  return dir;
}

const messages: string[] = [];
const log = { info() {}, warn: (m: string) => void messages.push(m), error: (m: string) => void messages.push(m) };
const load = (state: string, config: Config = {}) => loadPlugins({ config, stateDir: state, log, bundled: bundledPlugins });
const recordOf = async (state: string, id: string, config?: Config) => (await load(state, config)).records.find((r) => r.id === id);

describe("plugin loading", () => {
  test("a manifest that is not JSON names the file", async () => {
    const state = stateDir();
    plugin(state, "bad", { manifest: "{ id: nope" });
    const r = (await load(state)).records.find((x) => x.dir.endsWith("bad"));
    expect(r?.status).toBe("error");
    expect(r?.reason).toContain("openclaw.plugin.json is not valid JSON");
  });

  test("a manifest without configSchema says which field is missing", async () => {
    const state = stateDir();
    plugin(state, "noschema", { manifest: { id: "noschema" } });
    const r = (await load(state)).records.find((x) => x.dir.endsWith("noschema"));
    expect(r?.reason).toContain("configSchema");
  });

  test("plugin config that breaks its schema names the plugin and the path, and the plugin does not load", async () => {
    const state = stateDir();
    plugin(state, "typed", { manifest: { id: "typed", configSchema: { type: "object", properties: { limit: { type: "number" } } } } });
    const r = await recordOf(state, "typed", { plugins: { entries: { typed: { config: { limit: "ten" } } } } });
    expect(r?.status).toBe("error");
    expect(r?.reason).toContain("plugins.entries.typed.config.limit");
    expect(r?.reason).toContain("(plugin typed)");
  });

  test("a wrong channel value names the channel plugin and the key path", async () => {
    const r = await recordOf(stateDir(), "telegram", { channels: { telegram: { botToken: "t", mediaMaxMb: "big" } } });
    expect(r?.status).toBe("error");
    expect(r?.reason).toContain("channels.telegram.mediaMaxMb");
    expect(r?.reason).toContain("(plugin telegram)");
  });

  test("a channel key the plugin does not declare is warned about, and the plugin still loads", async () => {
    const r = await recordOf(stateDir(), "telegram", { channels: { telegram: { botToken: "t", pollTimeoutSecs: 5 } } });
    expect(r?.status).toBe("loaded");
    expect(r?.warnings.join(" ")).toContain('channels.telegram.pollTimeoutSecs: not implemented by this gateway; ignored (did you mean "pollTimeoutSeconds"?)');
  });

  test("a channels section no plugin provides gets one warning", async () => {
    messages.length = 0;
    await load(stateDir(), { channels: { matrix: { homeserver: "x" } } });
    expect(messages.filter((m) => m.includes("channels.matrix"))).toEqual(['channels.matrix: no loaded plugin provides a "matrix" channel; ignored.']);
  });

  test("an entry that resolves outside its folder is refused", async () => {
    const state = stateDir();
    const outside = join(state, "evil.ts");
    writeFileSync(outside, "export default { register() {} };");
    const dir = plugin(state, "escape", { pkg: { openclaw: { extensions: ["./link.ts"] } } });
    symlinkSync(outside, join(dir, "link.ts"));
    const r = (await load(state)).records.find((x) => x.dir.endsWith("escape"));
    expect(r?.status).toBe("error");
    expect(r?.reason).toContain("outside the plugin folder");
  });

  test("deny, allow, entries.enabled and workspace plugins follow OpenClaw's policy", async () => {
    const state = stateDir();
    plugin(state, "alpha");
    plugin(state, "beta");
    expect((await recordOf(state, "alpha", { plugins: { deny: ["alpha"] } }))?.reason).toBe("listed in plugins.deny");
    expect((await recordOf(state, "beta", { plugins: { allow: ["alpha"] } }))?.reason).toBe("not listed in plugins.allow");
    expect((await recordOf(state, "alpha", { plugins: { entries: { alpha: { enabled: false } } } }))?.status).toBe("disabled");
    expect((await recordOf(state, "alpha", { plugins: { enabled: false } }))?.status).toBe("disabled");
    const workspace = join(state, "ws");
    const wsPlugin = join(workspace, ".openclaw", "extensions", "gamma");
    mkdirSync(wsPlugin, { recursive: true });
    writeFileSync(join(wsPlugin, "openclaw.plugin.json"), JSON.stringify({ id: "gamma", configSchema: { type: "object" } }));
    writeFileSync(join(wsPlugin, "index.ts"), "export default { register() {} };");
    const off = await loadPlugins({ config: {}, stateDir: state, workspace, log, bundled: [] });
    expect(off.records.find((r) => r.id === "gamma")?.reason).toContain("workspace plugins load only when enabled");
    const on = await loadPlugins({ config: { plugins: { entries: { gamma: { enabled: true } } } }, stateDir: state, workspace, log, bundled: [] });
    expect(on.records.find((r) => r.id === "gamma")?.status).toBe("loaded");
  });

  test("a disabled plugin's code never runs", async () => {
    const state = stateDir();
    const marker = join(state, "ran");
    plugin(state, "lazy", { index: `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "x"); export default { register() {} };` });
    await load(state, { plugins: { entries: { lazy: { enabled: false } } } });
    expect(await Bun.file(marker).exists()).toBe(false);
  });

  test("what a plugin registered before throwing is dropped", async () => {
    const state = stateDir();
    plugin(state, "half", { index: `export default { register(api) { api.registerTool({ name: "half_tool", description: "d", execute: () => "x" }); throw new Error("boom"); } };` });
    const registry = await load(state);
    expect(registry.tools.map((t) => t.names).flat()).not.toContain("half_tool");
    expect(registry.records.find((r) => r.id === "half")?.reason).toContain("boom");
  });

  test("a plugin whose register never finishes is reported after its budget and the rest load", async () => {
    const state = stateDir();
    plugin(state, "stuck", { index: "export default { register() { return new Promise(() => {}); } };" });
    plugin(state, "fine");
    const registry = await loadPlugins({ config: {}, stateDir: state, log, bundled: [], registerTimeoutMs: 100 });
    expect(registry.records.find((r) => r.id === "stuck")).toMatchObject({ status: "error", reason: "register(api) did not finish within 0.1 s" });
    expect(registry.records.find((r) => r.id === "fine")?.status).toBe("loaded");
  });

  test("conversation hooks of a third-party plugin need hooks.allowConversationAccess", async () => {
    const state = stateDir();
    plugin(state, "peek", { index: `export default { register(api) { api.on("agent_end", () => {}); } };` });
    const denied = await load(state);
    expect(denied.hooks.has("agent_end")).toBe(false);
    expect(denied.records.find((r) => r.id === "peek")?.warnings.join(" ")).toContain("allowConversationAccess");
    const allowed = await load(state, { plugins: { entries: { peek: { hooks: { allowConversationAccess: true } } } } });
    expect(allowed.hooks.has("agent_end")).toBe(true);
  });
});

describe("tool surface", () => {
  const tool = (name: string, size: number) => adaptPluginTool({ name, description: "x".repeat(size), parameters: { type: "object" }, execute: () => "ok" }, "p");

  test("plugin tools are offered directly while they fit the prompt budget", () => {
    const names = splitToolSurface([], [tool("a", 100), tool("b", 100)], { promptBytes: 2048 }).map((t) => t.name);
    expect(names).toEqual(["a", "b"]);
  });

  test("beyond the budget they hide behind tool_search and tool_call, which find and run them", async () => {
    const extra = Array.from({ length: 20 }, (_, i) => tool(`weather_${i}`, 600));
    const surface = splitToolSurface([], extra, { promptBytes: 2048 });
    expect(surface.map((t) => t.name)).toEqual(["tool_search", "tool_call"]);
    const ctx = { signal: new AbortController().signal, workspace: "/tmp" };
    const found = await surface[0]!.execute({ query: "weather_3" }, ctx);
    expect(JSON.parse(found.content)[0].name).toBe("weather_3");
    expect((await surface[1]!.execute({ name: "weather_3", args: {} }, ctx)).content).toBe("ok");
  });

  test("tools.toolSearch false always offers every schema; true always defers", () => {
    const extra = Array.from({ length: 20 }, (_, i) => tool(`t${i}`, 600));
    expect(splitToolSurface([], extra, { promptBytes: 0, toolSearch: false })).toHaveLength(20);
    expect(splitToolSurface([], [tool("small", 1)], { promptBytes: 0, toolSearch: true }).map((t) => t.name)).toEqual(["tool_search", "tool_call"]);
  });
});
