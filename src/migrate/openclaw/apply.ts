// Writes what readOpenClawState found into our state dir. Every step skips what is already there, so a second run
// imports nothing new; `dryRun` computes the same plan and writes nothing.
import type { Database } from "bun:sqlite";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { chatMessageSchema } from "../../sessions/persisted.ts";
import type { OpenClawState } from "./source.ts";
import { convertOpenClawJobs, importCronJobs } from "./cron-import.ts";

export interface Target {
  stateDir: string;
  configPath: string;
  /** Opens our state.db with its migrations applied (sessions and pairing tables). */
  openDb(): Database;
}

export interface MigrationStep {
  what: string;
  /** How many items this step imports (0: nothing new). */
  count: number;
  detail?: string;
}

export interface MigrationReport {
  steps: MigrationStep[];
  notes: string[];
}

const PENDING_TTL_MS = 60 * 60 * 1000;

/** Plans (and unless `dryRun`, applies) the import of `source` into `target`. */
export function migrateOpenClaw(source: OpenClawState, target: Target, options: { dryRun: boolean; now?: number }): MigrationReport {
  const now = options.now ?? Date.now();
  const sameDir = resolve(source.dir) === resolve(target.stateDir);
  const report: MigrationReport = { steps: [], notes: [...source.warnings] };
  const step = (what: string, count: number, detail?: string) => report.steps.push({ what, count, ...(detail ? { detail } : {}) });

  // Config: kept as written (we read OpenClaw's keys). Ours, when different, is kept beside it.
  if (sameDir) step("config", 0, "used in place (the source is this gateway's state dir)");
  else if (source.configText === undefined) step("config", 0, "the source has no openclaw.json");
  else if (existsSync(target.configPath) && readFileSync(target.configPath, "utf8") === source.configText) step("config", 0, "already the same");
  else {
    const backup = existsSync(target.configPath) ? `${target.configPath}.before-migrate` : undefined;
    step("config", 1, `${source.configPath} → ${target.configPath}${backup ? ` (the current one kept as ${backup})` : ""}`);
    if (!options.dryRun) {
      mkdirSync(dirname(target.configPath), { recursive: true, mode: 0o700 });
      if (backup && !existsSync(backup)) copyFileSync(target.configPath, backup);
      writeFileSync(target.configPath, source.configText, { mode: 0o600 });
      chmodSync(target.configPath, 0o600);
    }
  }

  // Files the config includes: beside it, as the config names them relative to itself.
  if (!sameDir && source.includes.length > 0) {
    const missing = source.includes.filter((f) => !existsSync(join(target.stateDir, f)));
    step("config includes", missing.length);
    if (!options.dryRun) for (const f of missing) copyPreserving(join(source.dir, f), join(target.stateDir, f));
  }

  // Workspaces and channel credentials: copied file by file, never over a file already there.
  for (const folder of source.folders) {
    if (sameDir) continue;
    const files = missingFiles(join(source.dir, folder), join(target.stateDir, folder));
    step(`${folder.startsWith("credentials") ? "channel credentials in" : "files in"} ${folder}/`, files.length);
    if (!options.dryRun) for (const f of files) copyPreserving(join(source.dir, folder, f), join(target.stateDir, folder, f));
  }
  for (const w of source.externalWorkspaces) report.notes.push(`workspace ${w} is outside the state dir: the config keeps pointing at it (used in place)`);

  const db = target.openDb();
  try {
    importSessions(db, source, report, options.dryRun);
    importPairing(db, source, report, options.dryRun, now);
    importCron(db, source, report, options.dryRun, now);
  } finally {
    db.close();
  }

  return report;
}

/** Cron jobs into our cron store (state.db), same ids, next runs counted from now; what cannot run here is named. */
function importCron(db: Database, source: OpenClawState, report: MigrationReport, dryRun: boolean, now: number) {
  const converted = convertOpenClawJobs(source.cronJobs, now);
  const fresh = importCronJobs(db, converted.jobs, dryRun);
  const freshIds = new Set(fresh.map((j) => j.id));
  report.steps.push({ what: "cron jobs", count: fresh.length, ...(fresh.length ? { detail: `into state.db; run by the gateway (openclaw cron list): ${fresh.map((j) => j.name).join(", ")}` } : {}) });
  report.notes.push(...converted.skipped, ...converted.notes.filter((n) => [...freshIds].some((id) => n.includes(`(${id})`))));
}

function importSessions(db: Database, source: OpenClawState, report: MigrationReport, dryRun: boolean) {
  const existing = db.query<{ session_id: string }, [string]>("SELECT session_id FROM sessions WHERE key = ?");
  const insertSession = db.query(
    `INSERT INTO sessions (key, agent_id, session_id, created_at, updated_at, model, input_tokens, output_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEntry = db.query(`INSERT INTO entries (id, session_key, session_id, run_id, kind, role, data, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`);
  let sessions = 0;
  let messages = 0;
  for (const s of source.sessions) {
    const row = existing.get(s.key);
    if (row) {
      if (row.session_id !== s.sessionId) report.notes.push(`session ${s.key} already exists in this gateway with its own history: kept, not imported`);
      continue;
    }
    const valid = s.entries.filter((e) => e.kind === "compaction" || chatMessageSchema().safeParse(e.message).success);
    sessions++;
    messages += valid.filter((e) => e.kind === "message").length;
    if (dryRun) continue;
    db.transaction(() => {
      insertSession.run(s.key, s.agentId, s.sessionId, s.createdAt, s.updatedAt, s.model ?? null, s.inputTokens, s.outputTokens);
      valid.forEach((e, i) => {
        if (e.kind === "message") return insertEntry.run(e.id, s.key, s.sessionId, "message", e.message.role, JSON.stringify(e.message), e.at);
        // The first message after the summary when OpenClaw's kept entry is not one we import.
        const later = valid.slice(i + 1).find((x) => x.kind === "message");
        const firstKept = valid.some((x) => x.id === e.firstKeptId && x.kind === "message") ? e.firstKeptId! : (later?.id ?? e.id);
        insertEntry.run(e.id, s.key, s.sessionId, "compaction", null, JSON.stringify({ summary: e.summary, firstKeptEntryId: firstKept, tokensBefore: e.tokensBefore, tokensAfter: 0 }), e.at);
      });
    })();
  }
  report.steps.push({ what: "sessions", count: sessions, ...(sessions ? { detail: `${messages} messages` } : {}) });
}

function importPairing(db: Database, source: OpenClawState, report: MigrationReport, dryRun: boolean, now: number) {
  const allowed = db.query("SELECT 1 FROM channel_allow_from WHERE channel = ? AND account_id = ? AND sender_id = ?");
  const newAllow = dedupe(source.allow.filter((a) => !allowed.get(a.channel, a.accountId, a.senderId)), (a) => `${a.channel}\0${a.accountId}\0${a.senderId}`);
  report.steps.push({ what: "approved senders", count: newAllow.length });
  const pendingExists = db.query("SELECT 1 FROM pairing_requests WHERE (channel = ? AND account_id = ? AND sender_id = ?) OR (channel = ? AND code = ?)");
  const live = source.pending.filter((p) => p.createdAt + PENDING_TTL_MS > now);
  const newPending = dedupe(live.filter((p) => !pendingExists.get(p.channel, p.accountId, p.senderId, p.channel, p.code)), (p) => `${p.channel}\0${p.code}`);
  const expired = source.pending.length - live.length;
  report.steps.push({ what: "pending pairing requests", count: newPending.length, ...(expired ? { detail: `${expired} expired, left out` } : {}) });
  if (dryRun) return;
  db.transaction(() => {
    for (const a of newAllow) db.query("INSERT OR IGNORE INTO channel_allow_from (channel, account_id, sender_id, sender_name, added_at) VALUES (?, ?, ?, NULL, ?)").run(a.channel, a.accountId, a.senderId, now);
    for (const p of newPending) {
      db.query("INSERT OR IGNORE INTO pairing_requests (channel, account_id, sender_id, sender_name, code, created_at, expires_at, last_sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
        p.channel, p.accountId, p.senderId, p.senderName ?? null, p.code, p.createdAt, p.createdAt + PENDING_TTL_MS, p.createdAt,
      );
    }
  })();
}

function dedupe<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}

/** Files under `from` (relative paths) that `to` does not have yet. */
function missingFiles(from: string, to: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else if (d.isFile() && !existsSync(join(to, relative(from, full)))) out.push(relative(from, full));
    }
  };
  if (existsSync(from) && statSync(from).isDirectory()) walk(from);
  return out;
}

function copyPreserving(from: string, to: string) {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  cpSync(from, to, { preserveTimestamps: true, force: false, errorOnExist: false });
}
