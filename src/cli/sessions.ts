import { defineCommand, type ArgsDef } from "citty";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSessionStore, openStateDatabase, type SessionRecord, type SessionStore } from "../sessions/index.ts";
import { currentIo } from "./index.ts";
import { cliContext } from "./context.ts";
import { gatewayCaller } from "./gateway-call.ts";
import type { CliIo } from "./io.ts";

type Action = "list" | "show" | "reset" | "delete" | "export";

/**
 * `openclaw sessions list|show|reset|delete|export`. Changes go through a running gateway (so it can abort the
 * session's turn); reads and everything without a gateway work on the state database directly (WAL).
 */
export async function runSessions(action: Action, args: { key?: string; json?: boolean; out?: string; limit?: number }, io: CliIo): Promise<number> {
  if (action !== "list" && !args.key) {
    io.err(`Usage: openclaw sessions ${action} <sessionKey>`);
    return 2;
  }
  const key = args.key!;
  if (action === "reset" || action === "delete") {
    try {
      const viaGateway = await gatewayCaller(io)(`sessions.${action}`, { key });
      if (viaGateway !== undefined) {
        io.out(action === "reset" ? `Session ${key} reset.` : (viaGateway as { deleted: boolean }).deleted ? `Session ${key} deleted.` : `No session ${key}.`);
        return 0;
      }
    } catch (error) {
      io.err((error as Error).message);
      return 1;
    }
  }
  return withStore(io, (store) => {
    switch (action) {
      case "list": {
        const sessions = store.list({ limit: args.limit ?? 100 });
        if (args.json) io.out(JSON.stringify(sessions, null, 2));
        else if (sessions.length === 0) io.out("No sessions yet.");
        else for (const s of sessions) io.out(formatSession(s));
        return 0;
      }
      case "show": {
        const session = store.get(key);
        if (!session) return notFound(io, key);
        const entries = store.transcript(key);
        if (args.json) {
          io.out(JSON.stringify({ session, entries }, null, 2));
          return 0;
        }
        io.out(formatSession(session));
        for (const e of entries) {
          if (e.kind === "compaction") io.out(`  [compaction] ${e.compaction.summary.slice(0, 200)}`);
          else if (e.message.role === "tool") io.out(`  tool ${e.message.toolName}: ${e.message.content.slice(0, 200)}`);
          else io.out(`  ${e.message.role}: ${e.message.content.slice(0, 500)}`);
        }
        return 0;
      }
      case "reset":
        if (!store.get(key)) return notFound(io, key);
        store.reset(key);
        io.out(`Session ${key} reset.`);
        return 0;
      case "delete":
        io.out(store.delete(key) ? `Session ${key} deleted.` : `No session ${key}.`);
        return 0;
      case "export": {
        if (!store.get(key)) return notFound(io, key);
        const jsonl = store.exportTranscript(key);
        if (args.out) {
          writeFileSync(args.out, jsonl);
          io.out(`Wrote ${args.out}.`);
        } else io.out(jsonl.trimEnd());
        return 0;
      }
    }
  });
}

function withStore(io: CliIo, use: (store: SessionStore) => number): number {
  const { paths } = cliContext(io);
  const store = createSessionStore({ db: openStateDatabase(join(paths.stateDir, "state.db")) });
  try {
    return use(store);
  } finally {
    // store.close() commits the pending group commit first (db.close() alone dropped a local reset or delete).
    store.close();
  }
}

function notFound(io: CliIo, key: string): number {
  io.err(`No session "${key}". List them with: openclaw sessions list`);
  return 1;
}

function formatSession(s: SessionRecord): string {
  const when = new Date(s.updatedAt).toISOString().replace("T", " ").slice(0, 16);
  return `${s.key}  agent=${s.agentId}  updated ${when}  tokens ${s.inputTokens}/${s.outputTokens}${s.label ? `  "${s.label}"` : ""}`;
}

const keyArg = { key: { type: "positional", required: true, description: "Session key, e.g. agent:main:main" } } as const;
const sub = (action: Action, description: string, args: ArgsDef) =>
  defineCommand({
    meta: { name: action, description },
    args,
    async run({ args: a }) {
      const parsed = a as { key?: string; json?: boolean; out?: string; limit?: string };
      process.exitCode = await runSessions(action, { ...parsed, limit: parsed.limit ? Number(parsed.limit) : undefined }, currentIo());
    },
  });

export const sessionsCommand = defineCommand({
  meta: { name: "sessions", description: "List, show, reset, delete and export sessions" },
  subCommands: {
    list: sub("list", "List sessions", { json: { type: "boolean" }, limit: { type: "string" } }),
    show: sub("show", "Show a session's transcript", { ...keyArg, json: { type: "boolean" } }),
    reset: sub("reset", "Start a new transcript for a session", keyArg),
    delete: defineCommand({
      meta: { name: "delete", description: "Delete sessions and their transcripts: delete <key...> [--yes] [--dry-run] [--json]" },
      args: {
        ...keyArg,
        yes: { type: "boolean", description: "Do not ask (needed when there is no terminal)" },
        "dry-run": { type: "boolean", description: "Show what would be deleted" },
        json: { type: "boolean" },
      },
      async run({ args: a }) {
        const { runSessionsDelete } = await import("./sessions-delete.ts");
        const keys = (a._ as string[]).length > 0 ? (a._ as string[]) : [a.key as string];
        process.exitCode = await runSessionsDelete(keys, { yes: a.yes as boolean, dryRun: a["dry-run"] as boolean, json: a.json as boolean }, currentIo());
      },
    }),
    export: sub("export", "Write OpenClaw's JSONL transcript", { ...keyArg, out: { type: "string", description: "File to write (default stdout)" } }),
  },
});
