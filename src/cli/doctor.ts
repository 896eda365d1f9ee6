import { defineCommand } from "citty";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { expandHome } from "../config/paths.ts";
import { readLiveLock } from "../gateway/lock.ts";
import { resolveGatewaySettings } from "../gateway/settings.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";

type Level = "ok" | "warn" | "error";
interface Check {
  level: Level;
  message: string;
}

/** `openclaw doctor`: checks the install and says, in words, where it differs from what OpenClaw would do. */
export async function runDoctor(args: { json?: boolean }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  const checks: Check[] = [];
  const add = (level: Level, message: string) => checks.push({ level, message });

  let loaded: LoadedConfig | undefined;
  try {
    loaded = loadCliConfig(ctx);
    if (!loaded.exists) add("warn", `No config at ${ctx.paths.configPath}: run \`openclaw up\` to create one.`);
    else add("ok", `Config ${ctx.paths.configPath} is valid.`);
    for (const key of loaded.unknownKeys) {
      add("warn", `Config key ${key.path} is not implemented by this gateway and is ignored${key.suggestion ? ` (did you mean "${key.suggestion}"?)` : ""}.`);
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    add("error", error.message);
  }

  if (existsSync(ctx.paths.configPath)) {
    const mode = statSync(ctx.paths.configPath).mode & 0o777;
    if (mode & 0o077) add("warn", `${ctx.paths.configPath} is readable by others (mode ${mode.toString(8)}); it holds secrets: chmod 600 it.`);
    else add("ok", "Config file permissions are private (0600).");
  }

  if (loaded) {
    try {
      const settings = resolveGatewaySettings({ config: loaded.config, env: ctx.env, defaultPort: ctx.paths.defaultPort });
      add(settings.auth.mode === "none" ? "warn" : "ok", `Gateway would listen on ${settings.host}:${settings.port} with auth "${settings.auth.mode}".`);
    } catch (error) {
      add("error", (error as Error).message);
    }
    const [{ checkModels, addModelHelp }, { selfCommand }] = await Promise.all([import("./model-check.ts"), import("./self.ts")]);
    const models = await checkModels(loaded.config, ctx.env);
    if (models.none) add("warn", addModelHelp(selfCommand(ctx.env).command));
    else add("ok", `Model providers: ${models.providers.join(", ")}.`);
    const workspace = expandHome(loaded.config.agents?.defaults?.workspace ?? ctx.paths.workspaceDefault, ctx.env);
    if (!existsSync(workspace)) add("warn", `Workspace ${workspace} does not exist yet (openclaw up creates it).`);
    else add(existsSync(join(workspace, "AGENTS.md")) ? "ok" : "warn", `Workspace ${workspace}${existsSync(join(workspace, "AGENTS.md")) ? "" : " has no AGENTS.md"}.`);
  }

  if (loaded) {
    const { loadPlugins } = await import("../plugins/load.ts");
    const quiet = { info() {}, warn() {}, error() {} };
    const registry = await loadPlugins({ config: loaded.config, stateDir: ctx.paths.stateDir, log: quiet, bundled: (await import("../../plugins/index.ts")).bundledPlugins });
    for (const r of registry.records) {
      if (r.status === "error") add("error", `Plugin ${r.id} (${r.dir}) does not load: ${r.reason}`);
      for (const w of r.warnings) add("warn", `Plugin ${r.id}: ${w}`);
    }
    for (const w of registry.warnings) add("warn", w);
    const loadedCount = registry.records.filter((r) => r.status === "loaded").length;
    if (loadedCount > 0) add("ok", `${loadedCount} plugin${loadedCount === 1 ? "" : "s"} load (openclaw plugins list shows them).`);
  }

  const lock = readLiveLock(ctx.paths.stateDir);
  add("ok", lock ? `Gateway running (pid ${lock.pid}, port ${lock.port}).` : "Gateway not running.");

  const { checkVec } = await import("../memory/sqlite-vec.ts");
  const vec = checkVec();
  add(vec.ok ? "ok" : "warn", vec.ok ? `sqlite-vec ${vec.version} loads.` : `sqlite-vec does not load (${vec.error}).`);

  const { execReport } = await import("../tools/exec/report.ts");
  const exec = execReport(loaded?.config ?? {});
  add(exec.warning ? "warn" : "ok", exec.warning ?? "exec runs in the bubblewrap sandbox (the state dir is not mounted).");
  add(exec.limits === "cgroup-v1" || exec.limits === "cgroup-v2" || exec.limits === "systemd-run" ? "ok" : "warn", exec.limitsText);

  add("ok", "Differences from OpenClaw: device-signature pairing for WS clients, trusted-proxy auth and Tailscale serve are not implemented; OpenClaw's CLI token-only connect works.");

  if (args.json) io.out(JSON.stringify({ checks }, null, 2));
  else for (const c of checks) (c.level === "error" ? io.err : io.out)(`${c.level === "ok" ? "✓" : c.level === "warn" ? "!" : "✗"} ${c.message}`);
  return checks.some((c) => c.level === "error") ? 1 : 0;
}

export const doctorCommand = defineCommand({
  meta: { name: "doctor", description: "Check the install and the config" },
  args: { json: { type: "boolean", description: "JSON output" } },
  async run({ args }) {
    process.exitCode = await runDoctor(args, currentIo());
  },
});
