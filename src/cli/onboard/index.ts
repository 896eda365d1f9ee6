import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { ConfigError } from "../../config/errors.ts";
import { readRawConfig } from "../../config/load.ts";
import { expandHome } from "../../config/paths.ts";
import { writeConfig } from "../../config/write.ts";
import { cliContext } from "../context.ts";
import { prompterOf, type CliIo } from "../io.ts";
import { PromptCancelled } from "../prompt.ts";
import { selfCommand } from "../self.ts";
import { ensureWorkspace } from "../workspace.ts";
import { applyPlan } from "./apply.ts";
import { askOnboarding } from "./interactive.ts";
import { OnboardUsageError, parseOnboardArgs, planOnboard, type OnboardPlan, type OnboardValues } from "./options.ts";
import { nextSteps, ONBOARD_HELP } from "./text.ts";

export interface OnboardDeps {
  /** Installs and starts the service (default: `gateway install` for this state dir). */
  installService?: (io: CliIo) => { ok: boolean; lines: string[] };
  /** Whether `GET url` answers 200 within `timeoutMs` (default: polls with fetch). */
  waitHealthy?: (url: string, timeoutMs: number) => Promise<boolean>;
  now?: () => Date;
}

/**
 * `openclaw onboard [--non-interactive --accept-risk ...]`: sets up a model provider and key (or a local server),
 * the gateway's port, bind and token, the workspace, optionally a channel token and the service, then prints what
 * to run next. Writes the config atomically; an existing config is updated only with --force or a yes on the
 * terminal, and a copy of it is kept first.
 */
export async function runOnboard(argv: string[], io: CliIo, deps: OnboardDeps = {}): Promise<number> {
  let values: OnboardValues;
  try {
    values = parseOnboardArgs(argv);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  if (values.help) {
    io.out(ONBOARD_HELP);
    return 0;
  }
  const json = values.json === true;
  const fail = (message: string, code = 1) => {
    if (json) io.out(JSON.stringify({ ok: false, error: message }, null, 2));
    else io.err(message);
    return code;
  };
  const prompter = prompterOf(io);
  const interactive = values["non-interactive"] !== true;
  if (!interactive && values["accept-risk"] !== true) {
    return fail("--non-interactive needs --accept-risk: the agent gets tools that read and write files and run commands on this machine; pass --accept-risk to say you know.", 2);
  }
  if (interactive && !prompter.interactive) {
    return fail("openclaw onboard asks questions, and there is no terminal to ask on. For scripts: openclaw onboard --non-interactive --accept-risk --auth-choice <choice> ... (see openclaw onboard --help).", 2);
  }
  const ctx = cliContext(io);
  const { configPath } = ctx.paths;
  let existing: Record<string, unknown> | undefined;
  if (existsSync(configPath)) {
    try {
      existing = readRawConfig(configPath);
    } catch (error) {
      return fail(`${configPath} exists but cannot be read (${(error as Error).message}). Fix it, or move it aside and run onboard again.`);
    }
  }
  try {
    if (existing && !values.force) {
      if (!interactive) return fail(`${configPath} already exists; onboarding leaves it alone. Rerun with --force to update it (what you do not name stays; a copy is kept first), or change single keys with: openclaw config set <key> <value>.`);
      if (!(await prompter.confirm(`${configPath} exists. Update it with your answers? (other settings stay; a copy is kept first)`, false))) {
        io.err("Nothing was changed.");
        return 1;
      }
    }
    let refModelKey = false;
    if (interactive) {
      io.out("This sets up the gateway: a model, its access, the workspace and optionally a chat app and the service.\nThe agent can read and write files and run commands on this machine; give it only accounts you trust it with.\n");
      ({ values, refModelKey } = await askOnboarding(values, ctx.env, prompter, { workspace: ctx.paths.workspaceDefault }));
    }
    const auth = (existing?.gateway as { auth?: { token?: unknown; password?: unknown } } | undefined)?.auth;
    const plan = planOnboard(values, ctx.env, auth?.token !== undefined || auth?.password !== undefined, { refModelKey });
    for (const w of plan.warnings) io.err(`warning: ${w}`);
    return await finish(plan, existing, io, deps, json);
  } catch (error) {
    if (error instanceof PromptCancelled) return fail(error.message, 130);
    if (error instanceof OnboardUsageError) return fail(error.message, 2);
    if (error instanceof ConfigError) return fail(`The config onboarding built is not valid, so nothing was written:\n${error.message}`);
    throw error;
  }
}

async function finish(plan: OnboardPlan, existing: Record<string, unknown> | undefined, io: CliIo, deps: OnboardDeps, json: boolean): Promise<number> {
  const ctx = cliContext(io);
  const { paths } = ctx;
  const config = applyPlan(existing, plan, { port: paths.defaultPort, workspace: paths.workspaceDefault });
  mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
  let backup: string | undefined;
  if (existing) {
    backup = `${paths.configPath}.before-onboard-${(deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
    copyFileSync(paths.configPath, backup);
  }
  writeConfig(paths.configPath, config, { env: ctx.env, exclusive: !existing });

  const defaults = (config.agents as { defaults: { workspace: string } }).defaults;
  const workspace = expandHome(defaults.workspace, ctx.env);
  const created = plan.skipBootstrap ? (mkdirSync(workspace, { recursive: true }), []) : ensureWorkspace(workspace);
  const gateway = config.gateway as { port: number; bind: string; auth?: { mode?: string } };
  const log = json ? () => {} : (line: string) => io.out(line);
  log(`${existing ? "Updated" : "Wrote"} ${paths.configPath} (mode 0600)${backup ? `; the old one is kept as ${backup}` : ""}.`);
  if (created.length > 0) log(`Workspace ${workspace}: created ${created.join(", ")}.`);

  let daemon: { installed: boolean; lines: string[] } | undefined;
  if (plan.installDaemon) {
    const outcome = deps.installService ? deps.installService(io) : (await import("../service.ts")).serviceFor(io).install({ force: !!existing });
    daemon = { installed: outcome.ok, lines: outcome.lines };
    for (const line of outcome.lines) log(line);
  }
  let healthy: boolean | undefined;
  if (!plan.skipHealth) {
    const url = `http://127.0.0.1:${gateway.port}/healthz`;
    const wait = deps.waitHealthy ?? waitHealthy;
    healthy = await wait(url, plan.installDaemon && daemon?.installed ? 15_000 : 1_000);
  }
  const { command } = selfCommand(ctx.env);
  if (json) {
    io.out(JSON.stringify({
      ok: !(plan.installDaemon && daemon && (!daemon.installed || healthy === false)),
      configPath: paths.configPath,
      backupPath: backup,
      workspace,
      provider: plan.auth?.providerId,
      model: plan.model,
      gateway: { port: gateway.port, bind: gateway.bind, auth: gateway.auth?.mode, tokenGenerated: plan.gateway.auth?.mode === "token" && plan.gateway.auth.generated },
      channels: Object.keys(plan.channels),
      daemon,
      health: plan.skipHealth ? "skipped" : healthy ? "ok" : "unreachable",
    }, null, 2));
  } else log(nextSteps({ command, plan, port: gateway.port, daemonInstalled: daemon?.installed === true, healthy }));
  if (plan.installDaemon && (!daemon?.installed || healthy === false)) return 1;
  return 0;
}

async function waitHealthy(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  do {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(1000, Math.max(100, until - Date.now()))) });
      if (res.ok) return true;
    } catch {}
    if (Date.now() >= until) return false;
    await Bun.sleep(250);
  } while (Date.now() < until);
  return false;
}
