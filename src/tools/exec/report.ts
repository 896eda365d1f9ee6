import type { Config } from "../../config/index.ts";
import { ToolError } from "../errors.ts";
import { execHostIsolation, execLimitMechanism } from "./exec-tool.ts";
import { DEFAULT_RESOURCE_LIMITS, describeLimits, parseByteSize, type LimitMechanism } from "./limits.ts";
import { planSandbox, type SandboxDeps } from "./sandbox.ts";

/** Where `exec` runs and what holds it, for start-up, `status` and `doctor`. */
export interface ExecReport {
  /** `bwrap`: in the sandbox; `host`: on the host because bubblewrap is missing or broken; `off`: sandbox turned off. */
  sandbox: "bwrap" | "host" | "off";
  /** Whether commands are kept from the state dir (always in bwrap; on the host only with a private mount namespace). */
  stateDirHidden: boolean;
  /** Set when exec is less confined than the config asks: say it loudly. */
  warning?: string;
  limits: LimitMechanism["kind"];
  limitsText: string;
}

/** Probes once per process (bwrap, unshare, cgroups); cheap afterwards. */
export function execReport(config: Config, deps: { sandbox?: SandboxDeps } = {}): ExecReport {
  const exec = config.tools?.exec;
  const mode = exec?.sandbox ?? "auto";
  const mechanism = execLimitMechanism();
  const limits = {
    memoryBytes: (exec?.memory !== undefined ? parseByteSize(exec.memory) : undefined) ?? DEFAULT_RESOURCE_LIMITS.memoryBytes,
    pids: exec?.pidsLimit ?? DEFAULT_RESOURCE_LIMITS.pids,
  };
  const base = { limits: mechanism.kind, limitsText: describeLimits(mechanism, limits) };
  if (mode === "off") {
    return { ...base, sandbox: "off", stateDirHidden: false, warning: 'exec runs commands on the host with no sandbox (tools.exec.sandbox is "off"): they can read the state dir, including openclaw.json and its tokens.' };
  }
  let note: string | undefined;
  try {
    const plan = planSandbox(mode, deps.sandbox);
    if (plan.kind === "bwrap") return { ...base, sandbox: "bwrap", stateDirHidden: true };
    note = plan.note;
  } catch (error) {
    // "bwrap" mode without bubblewrap: exec refuses to run at all, which is safe but should be known.
    const message = error instanceof ToolError ? error.message : String(error);
    return { ...base, sandbox: "off", stateDirHidden: true, warning: `exec will refuse every command: ${message}` };
  }
  const host = execHostIsolation();
  if (host.kind === "unshare") {
    return { ...base, sandbox: "host", stateDirHidden: true, warning: `WARNING: exec runs commands on the host, not in a sandbox (${note}): they see the whole system except the state dir, which is hidden. Install bubblewrap (apt-get install bubblewrap) to sandbox them.` };
  }
  return {
    ...base,
    sandbox: "host",
    stateDirHidden: false,
    warning: `WARNING: exec runs commands on the host, not in a sandbox (${note}), and cannot hide the state dir (${host.why}): a command can read openclaw.json and its tokens. Install bubblewrap (apt-get install bubblewrap), or deny exec (tools.deny: ["exec"]).`,
  };
}
