import type { Database } from "bun:sqlite";
import { resolvePaths } from "../config/paths.ts";
import { ChannelError } from "../channels/errors.ts";
import { createPairingStore, type PairingStoreOptions } from "../channels/pairing.ts";
import { openStateDb } from "../channels/state-db.ts";
import type { CliIo } from "./io.ts";

export interface PairingCliDeps {
  /** Opens the shared state.db; default `<stateDir>/state.db` in WAL mode. */
  openDb?: (stateDir: string) => Database;
  store?: PairingStoreOptions;
}

const USAGE = "Usage: openclaw pairing list [channel] [--json]\n       openclaw pairing approve <channel> <CODE> [--notify]";

/**
 * `openclaw pairing list [channel]` and `openclaw pairing approve <channel> <CODE> [--notify]`.
 * Works on the SQLite state file directly (WAL): a running gateway picks the approval up within a second
 * and answers the held messages; a stopped one does so when it starts. Returns the exit code.
 */
export async function runPairing(args: string[], io: CliIo, deps: PairingCliDeps = {}): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith("--")));
  const [command, ...rest] = args.filter((a) => !a.startsWith("--"));
  if (command !== "list" && command !== "approve") {
    io.err(command ? `Unknown pairing command "${command}".\n${USAGE}` : USAGE);
    return 1;
  }
  if (command === "approve" && rest.length !== 2) {
    io.err(`pairing approve needs a channel and a code, e.g. openclaw pairing approve telegram ABCD2345.\n${USAGE}`);
    return 1;
  }
  const { stateDir } = resolvePaths({ env: io.env, profile: io.profile, dev: io.dev });
  const db = (deps.openDb ?? openStateDb)(stateDir);
  try {
    const store = createPairingStore(db, deps.store);
    if (command === "list") {
      const requests = store.list(rest[0]);
      if (flags.has("--json")) {
        io.out(JSON.stringify(requests, null, 2));
        return 0;
      }
      if (requests.length === 0) {
        io.out(rest[0] ? `No pending ${rest[0]} pairing requests.` : "No pending pairing requests.");
        return 0;
      }
      for (const r of requests) {
        const minutes = Math.max(0, Math.round((r.expiresAt - Date.now()) / 60_000));
        io.out(`${r.channel}  ${r.code}  sender ${r.senderId}${r.senderName ? ` (${r.senderName})` : ""}  account ${r.accountId}  ${r.heldCount} held  expires in ${minutes} min`);
      }
      io.out(`Approve with: openclaw pairing approve <channel> <CODE>`);
      return 0;
    }
    const [channel, code] = rest as [string, string];
    const approval = store.approve(channel, code, { notify: flags.has("--notify") });
    const held = approval.held.length;
    io.out(
      `Approved ${channel} sender ${approval.senderId} (account ${approval.accountId}).` +
        (held ? ` ${held} held message${held === 1 ? "" : "s"} will be answered` : " Nothing was held;") +
        ` by the running gateway within a second, or when it next starts.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ChannelError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}
