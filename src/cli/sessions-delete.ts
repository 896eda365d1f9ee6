import { join } from "node:path";
import { createSessionStore, openStateDatabase } from "../sessions/index.ts";
import { cliContext } from "./context.ts";
import { gatewayCaller } from "./gateway-call.ts";
import { prompterOf, type CliIo } from "./io.ts";
import { PromptCancelled } from "./prompt.ts";

export interface DeleteFlags {
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `openclaw sessions delete <key...> [--yes] [--dry-run] [--json]` (OpenClaw's form). Destructive, so a terminal
 * is asked once; without one (a script, a pipe) or with --json it needs --yes. Through a running gateway (which
 * aborts the session's turn first), else on the state database directly.
 */
export async function runSessionsDelete(keys: string[], flags: DeleteFlags, io: CliIo): Promise<number> {
  if (keys.length === 0) {
    io.err("Usage: openclaw sessions delete <sessionKey...> [--yes] [--dry-run] [--json]");
    return 2;
  }
  const list = keys.join(", ");
  if (flags.dryRun) {
    const { present, missing } = partition(keys, io);
    if (flags.json) io.out(JSON.stringify({ dryRun: true, wouldDelete: present, missing }, null, 2));
    else {
      io.out(present.length > 0 ? `Would delete: ${present.join(", ")}` : "Would delete nothing.");
      if (missing.length > 0) io.out(`No such session: ${missing.join(", ")}`);
    }
    return 0;
  }
  if (!flags.yes) {
    const prompter = prompterOf(io);
    if (flags.json || !prompter.interactive) {
      io.err(`Deleting sessions cannot be undone and there is no terminal to confirm on: add --yes (openclaw sessions delete ${keys.map(quote).join(" ")} --yes), or --dry-run to see what would go.`);
      return 1;
    }
    let ok: boolean;
    try {
      ok = await prompter.confirm(`Delete ${keys.length === 1 ? "session" : `${keys.length} sessions`} ${list} and ${keys.length === 1 ? "its transcript" : "their transcripts"}?`, false);
    } catch (error) {
      if (!(error instanceof PromptCancelled)) throw error;
      ok = false;
    }
    if (!ok) {
      io.err("Nothing was deleted.");
      return 1;
    }
  }
  const deleted: string[] = [];
  const missing: string[] = [];
  const call = gatewayCaller(io);
  let local: ReturnType<typeof openLocal> | undefined;
  try {
    for (const key of keys) {
      const viaGateway = (await call("sessions.delete", { key })) as { deleted: boolean } | undefined;
      const gone = viaGateway !== undefined ? viaGateway.deleted : (local ??= openLocal(io)).store.delete(key);
      (gone ? deleted : missing).push(key);
    }
  } catch (error) {
    io.err((error as Error).message);
    return 1;
  } finally {
    local?.store.close();
  }
  if (flags.json) io.out(JSON.stringify({ deleted, missing }, null, 2));
  else {
    for (const key of deleted) io.out(`Session ${key} deleted.`);
    for (const key of missing) io.out(`No session ${key}.`);
  }
  return 0;
}

function openLocal(io: CliIo) {
  const db = openStateDatabase(join(cliContext(io).paths.stateDir, "state.db"));
  return { db, store: createSessionStore({ db }) };
}

function partition(keys: string[], io: CliIo): { present: string[]; missing: string[] } {
  const { store } = openLocal(io);
  try {
    const present = keys.filter((k) => store.get(k));
    return { present, missing: keys.filter((k) => !present.includes(k)) };
  } finally {
    store.close();
  }
}

const quote = (key: string) => (/^[\w:.@/-]+$/.test(key) ? key : `'${key.replace(/'/g, "'\\''")}'`);
