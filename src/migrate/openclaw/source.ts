// Reads an OpenClaw state dir without writing to it: SQLite files are copied to a private temp dir and opened
// there (so their WAL is replayed on the copy, never on the original).
import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import JSON5 from "json5";
import { importEvents, parseJsonl, type ImportedEntry } from "./transcript.ts";

export interface SourceSession {
  agentId: string;
  key: string;
  sessionId: string;
  createdAt: number;
  updatedAt: number;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  entries: ImportedEntry[];
  /** `sqlite` (2026.9: agents/<id>/agent/openclaw-agent.sqlite) or `legacy` (agents/<id>/sessions/*.jsonl). */
  from: "sqlite" | "legacy";
}

export interface SourcePending {
  channel: string;
  accountId: string;
  senderId: string;
  senderName?: string;
  code: string;
  createdAt: number;
}

export interface OpenClawState {
  dir: string;
  configPath: string;
  /** The config file's text, kept as written (we read OpenClaw's keys). */
  configText?: string;
  config: Record<string, unknown>;
  sessions: SourceSession[];
  allow: Array<{ channel: string; accountId: string; senderId: string }>;
  pending: SourcePending[];
  /** User cron jobs (OpenClaw's managed ones, with a declarationKey, are its own and left out). */
  cronJobs: Array<Record<string, unknown>>;
  /** Folders under the state dir to copy as they are: workspaces and channel credentials (relative paths). */
  folders: string[];
  /** Files the config pulls in with `$include` from inside the state dir (relative paths), copied beside it. */
  includes: string[];
  /** Workspaces the config places outside the state dir: used in place, not copied. */
  externalWorkspaces: string[];
  warnings: string[];
}

/** Opens a private copy of a SQLite file (and its WAL); `close()` removes the copy. */
function openCopy(path: string): { db: Database; close(): void } | undefined {
  if (!existsSync(path)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "openclaw-migrate-"));
  const copy = join(dir, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  const db = new Database(copy);
  return { db, close: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

const hasTable = (db: Database, name: string) => db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== null;

const parseObject = (text: string | null | undefined): Record<string, unknown> => {
  try {
    const value = text ? JSON.parse(text) : {};
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
};

const expandHome = (p: string, home: string) => (p === "~" ? home : p.startsWith("~/") ? join(home, p.slice(2)) : p);

/** Everything `migrate openclaw` imports from `dir`. Throws when `dir` is not an OpenClaw state dir. */
export function readOpenClawState(dir: string, options: { home: string; now?: number }): OpenClawState {
  dir = resolve(dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder. Give the OpenClaw state dir with --from (default ~/.openclaw).`);
  const configPath = join(dir, "openclaw.json");
  const hasConfig = existsSync(configPath);
  if (!hasConfig && !existsSync(join(dir, "agents")) && !existsSync(join(dir, "state"))) {
    throw new Error(`${dir} holds no openclaw.json, agents/ or state/: it is not an OpenClaw state dir. Give the right one with --from.`);
  }
  const state: OpenClawState = { dir, configPath, config: {}, sessions: [], allow: [], pending: [], cronJobs: [], folders: [], includes: [], externalWorkspaces: [], warnings: [] };
  if (hasConfig) {
    state.configText = readFileSync(configPath, "utf8");
    try {
      state.config = parseObject(JSON.stringify(JSON5.parse(state.configText)));
    } catch (error) {
      state.warnings.push(`openclaw.json does not parse (${(error as Error).message}); it is copied as it is`);
    }
  }
  readIncludes(state, state.config, configPath, new Set());
  readSessions(state);
  readShared(state);
  readLegacyPairing(state);
  readLegacyCron(state);
  readFolders(state, options.home);
  return state;
}

function agentIds(dir: string): string[] {
  const agents = join(dir, "agents");
  return existsSync(agents) ? readdirSync(agents, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
}

function readSessions(state: OpenClawState) {
  for (const agentId of agentIds(state.dir)) {
    const seen = new Set<string>();
    const opened = openCopy(join(state.dir, "agents", agentId, "agent", "openclaw-agent.sqlite"));
    if (opened) {
      try {
        if (hasTable(opened.db, "session_nodes") && hasTable(opened.db, "transcript_events")) {
          const nodes = opened.db.query("SELECT session_key, current_session_id, entry_json, created_at, updated_at FROM session_nodes").all() as Array<Record<string, any>>;
          const events = opened.db.query("SELECT event_json, event_zstd, created_at FROM transcript_events WHERE session_id = ? ORDER BY seq");
          for (const node of nodes) {
            const entry = parseObject(node.entry_json);
            const rows = events.all(node.current_session_id) as Array<{ event_json: string | null; event_zstd: Uint8Array | null }>;
            const parsed = rows.map((r) => parseObject(r.event_json ?? (r.event_zstd ? Buffer.from(Bun.zstdDecompressSync(r.event_zstd)).toString("utf8") : null)));
            state.sessions.push(sessionOf(agentId, node.session_key, node.current_session_id, entry, parsed, node.created_at, node.updated_at, "sqlite"));
            seen.add(node.session_key);
          }
        }
      } finally {
        opened.close();
      }
    }
    const legacyDir = join(state.dir, "agents", agentId, "sessions");
    const index = join(legacyDir, "sessions.json");
    if (!existsSync(index)) continue;
    for (const [key, raw] of Object.entries(parseObject(readFileSync(index, "utf8")))) {
      const entry = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
      if (seen.has(key) || typeof entry.sessionId !== "string") continue;
      const file = typeof entry.sessionFile === "string" ? resolve(legacyDir, entry.sessionFile) : join(legacyDir, `${entry.sessionId}.jsonl`);
      if (!existsSync(file)) {
        state.warnings.push(`session ${key}: transcript ${file} is missing; imported without history`);
      }
      const events = existsSync(file) ? parseJsonl(readFileSync(file, "utf8")) : [];
      const updatedAt = Number(entry.updatedAt) || Date.now();
      state.sessions.push(sessionOf(agentId, key, entry.sessionId, entry, events, Number(entry.createdAt) || updatedAt, updatedAt, "legacy"));
    }
  }
}

function sessionOf(agentId: string, key: string, sessionId: string, entry: Record<string, unknown>, events: Array<Record<string, unknown>>, createdAt: number, updatedAt: number, from: SourceSession["from"]): SourceSession {
  const model = typeof entry.modelProvider === "string" && typeof entry.model === "string" ? `${entry.modelProvider}/${entry.model}` : undefined;
  return {
    agentId: agentId.toLowerCase(),
    key,
    sessionId,
    createdAt,
    updatedAt,
    model,
    inputTokens: Number(entry.inputTokens) || 0,
    outputTokens: Number(entry.outputTokens) || 0,
    entries: importEvents(events, createdAt),
    from,
  };
}

/** Pairing and cron from the shared `state/openclaw.sqlite` (2026.9). */
function readShared(state: OpenClawState) {
  const opened = openCopy(join(state.dir, "state", "openclaw.sqlite"));
  if (!opened) return;
  const { db } = opened;
  try {
    if (hasTable(db, "channel_pairing_allow_entries")) {
      for (const r of db.query("SELECT channel_key, account_id, entry FROM channel_pairing_allow_entries ORDER BY sort_order").all() as Array<Record<string, string>>) {
        state.allow.push({ channel: r.channel_key!, accountId: r.account_id!, senderId: r.entry! });
      }
    }
    if (hasTable(db, "channel_pairing_requests")) {
      for (const r of db.query("SELECT channel_key, account_id, request_id, code, created_at, meta_json FROM channel_pairing_requests").all() as Array<Record<string, string>>) {
        const meta = parseObject(r.meta_json);
        state.pending.push({
          channel: r.channel_key!,
          accountId: r.account_id!,
          senderId: typeof meta.senderId === "string" ? meta.senderId : r.request_id!,
          senderName: typeof meta.firstName === "string" ? meta.firstName : typeof meta.name === "string" ? meta.name : undefined,
          code: r.code!,
          createdAt: Date.parse(r.created_at!) || 0,
        });
      }
    }
    if (hasTable(db, "cron_jobs")) {
      for (const r of db.query("SELECT job_json FROM cron_jobs WHERE declaration_key IS NULL ORDER BY sort_order").all() as Array<{ job_json: string }>) {
        const job = parseObject(r.job_json);
        if (!job.declarationKey) state.cronJobs.push(job);
      }
    }
  } finally {
    opened.close();
  }
}

/** Older gateways: `credentials/<channel>-pairing.json` and `credentials/<channel>[-<account>]-allowFrom.json`. */
function readLegacyPairing(state: OpenClawState) {
  const dir = join(state.dir, "credentials");
  if (!existsSync(dir)) return;
  const channels = Object.keys((state.config.channels as Record<string, unknown>) ?? {});
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (name.endsWith("-pairing.json")) {
      const channel = name.slice(0, -"-pairing.json".length);
      const requests = parseObject(readFileSync(file, "utf8")).requests;
      for (const r of Array.isArray(requests) ? requests : []) {
        const meta = (r?.meta ?? {}) as Record<string, unknown>;
        if (typeof r?.code !== "string" || typeof r?.id !== "string") continue;
        state.pending.push({ channel, accountId: typeof meta.accountId === "string" ? meta.accountId : "default", senderId: typeof meta.senderId === "string" ? meta.senderId : r.id, senderName: typeof meta.firstName === "string" ? meta.firstName : undefined, code: r.code, createdAt: Date.parse(r.createdAt) || 0 });
      }
    } else if (name.endsWith("-allowFrom.json")) {
      const stem = name.slice(0, -"-allowFrom.json".length);
      const channel = [...new Set([...channels, "telegram", "discord", "slack", "whatsapp", "signal", "imessage"])].sort((a, b) => b.length - a.length).find((c) => stem === c || stem.startsWith(`${c}-`));
      if (!channel) {
        state.warnings.push(`credentials/${name}: cannot tell its channel; left out`);
        continue;
      }
      const accountId = stem === channel ? "default" : stem.slice(channel.length + 1);
      let values: unknown;
      try {
        const parsed = JSON.parse(readFileSync(file, "utf8"));
        values = Array.isArray(parsed) ? parsed : parsed?.allowFrom;
      } catch {
        values = undefined;
      }
      for (const v of Array.isArray(values) ? values : []) if (typeof v === "string" || typeof v === "number") state.allow.push({ channel, accountId, senderId: String(v) });
    }
  }
}

function readLegacyCron(state: OpenClawState) {
  const file = join(state.dir, "cron", "jobs.json");
  if (!existsSync(file)) return;
  const jobs = parseObject(readFileSync(file, "utf8")).jobs;
  const known = new Set(state.cronJobs.map((j) => j.id));
  for (const job of Array.isArray(jobs) ? jobs : []) {
    if (job && typeof job === "object" && !job.declarationKey && !known.has(job.id)) state.cronJobs.push(job);
  }
}

/** Workspaces inside the state dir and channel credential folders (e.g. credentials/whatsapp/<account>). */
function readFolders(state: OpenClawState, home: string) {
  const agents = (state.config.agents ?? {}) as { defaults?: { workspace?: string }; entries?: Record<string, { workspace?: string }>; list?: Array<{ id?: string; workspace?: string }> };
  const configured = [agents.defaults?.workspace, ...Object.values(agents.entries ?? {}).map((e) => e?.workspace), ...(agents.list ?? []).map((e) => e?.workspace)].filter((w): w is string => typeof w === "string");
  for (const w of configured) {
    const full = resolve(expandHome(w, home));
    if (full.startsWith(`${state.dir}/`)) state.folders.push(full.slice(state.dir.length + 1));
    else if (!state.externalWorkspaces.includes(full)) state.externalWorkspaces.push(full);
  }
  for (const name of existsSync(state.dir) ? readdirSync(state.dir) : []) {
    if ((name === "workspace" || name.startsWith("workspace-")) && statSync(join(state.dir, name)).isDirectory()) state.folders.push(name);
  }
  const credentials = join(state.dir, "credentials");
  if (existsSync(credentials)) {
    for (const d of readdirSync(credentials, { withFileTypes: true })) if (d.isDirectory()) state.folders.push(join("credentials", d.name));
  }
  state.folders = [...new Set(state.folders)].filter((f) => existsSync(join(state.dir, f)));
}

/** `$include` targets (a path or a list of paths, relative to the including file), followed into the files they name. */
function readIncludes(state: OpenClawState, value: unknown, file: string, seen: Set<string>) {
  if (Array.isArray(value)) return value.forEach((v) => readIncludes(state, v, file, seen));
  if (!value || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value)) {
    if (key !== "$include") {
      readIncludes(state, v, file, seen);
      continue;
    }
    for (const target of (Array.isArray(v) ? v : [v]).filter((t): t is string => typeof t === "string")) {
      const full = resolve(join(file, ".."), target);
      if (seen.has(full)) continue;
      seen.add(full);
      if (!full.startsWith(`${state.dir}/`)) {
        state.warnings.push(`$include ${target} is outside the state dir: the config keeps reading it where it is`);
        continue;
      }
      if (!existsSync(full)) continue;
      state.includes.push(full.slice(state.dir.length + 1));
      try {
        readIncludes(state, JSON5.parse(readFileSync(full, "utf8")), full, seen);
      } catch {
        state.warnings.push(`$include ${target} does not parse; copied as it is`);
      }
    }
  }
}
