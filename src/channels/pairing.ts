import type { Database } from "bun:sqlite";
import { migrateOwner } from "../storage/state-db.ts";
import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { ChannelError } from "./errors.ts";
import type { InboundMessage } from "./types.ts";

/** 32 symbols: A–Z and 2–9 without 0 O 1 I, so a code read aloud or retyped is unambiguous. */
export const PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export interface PairingRequest {
  channel: string;
  accountId: string;
  senderId: string;
  senderName: string | null;
  code: string;
  createdAt: number;
  expiresAt: number;
  heldCount: number;
}

/** What to do after an unknown sender wrote: `reply` (when set) goes back to the sender. */
export type PairingOutcome =
  | { kind: "new-code"; code: string; reply: string }
  | { kind: "pending"; code: string; reply: string | null }
  | { kind: "too-many"; reply: string };

export interface PairingApproval {
  id: number;
  channel: string;
  accountId: string;
  senderId: string;
  code: string;
  notify: boolean;
  approvedAt: number;
  /** The messages held while the sender waited, oldest first. */
  held: InboundMessage[];
}

export interface PairingStoreOptions {
  now?: () => number;
  randomBytes?: (size: number) => Uint8Array;
  /** Default 1 hour. */
  codeTtlMs?: number;
  /** Pending requests per channel account; default 3. */
  maxPending?: number;
  /** A pending sender who writes again gets the code again at most this often; default 10 minutes. */
  resendIntervalMs?: number;
  /** Held messages kept per sender (older ones are dropped); default 20. */
  maxHeldPerSender?: number;
}

export interface PairingStore {
  isApproved(channel: string, accountId: string, senderId: string): boolean;
  /** Holds the message of a sender who is not approved and says what to reply. */
  request(message: InboundMessage): PairingOutcome;
  /** Pending, unexpired requests (all channels, or one). */
  list(channel?: string): PairingRequest[];
  /**
   * Allowlists the sender of `code` persistently and records an approval for the gateway to act on
   * (`claimApprovals`). Returns the approval with a copy of the held messages. Throws ChannelError
   * "pairing-not-found" or "pairing-expired".
   */
  approve(channel: string, code: string, options?: { notify?: boolean }): PairingApproval;
  /** Drops the pending request of `code` and the messages held for it; the sender stays unknown. Throws "pairing-not-found". */
  deny(channel: string, code: string): { channel: string; accountId: string; senderId: string; code: string };
  /**
   * Approvals not yet processed (from this process or a CLI), with their held messages, now marked processed.
   * `accept` limits the claim to accounts that can act on them now (running ones); the rest wait.
   */
  claimApprovals(accept?: (channel: string, accountId: string) => boolean): PairingApproval[];
}

/** Creates the tables (prefixed `pairing_`/`channel_`) on a shared state.db and returns the store. */
export function createPairingStore(db: Database, options: PairingStoreOptions = {}): PairingStore {
  const now = options.now ?? Date.now;
  const random = options.randomBytes ?? ((n: number) => new Uint8Array(cryptoRandomBytes(n)));
  const ttl = options.codeTtlMs ?? 60 * 60 * 1000;
  const maxPending = options.maxPending ?? 3;
  const resendEvery = options.resendIntervalMs ?? 10 * 60 * 1000;
  const maxHeld = options.maxHeldPerSender ?? 20;
  migrate(db);

  const newCode = (channel: string): string => {
    for (;;) {
      const code = Array.from(random(8), (b) => PAIRING_ALPHABET[b % 32]).join("");
      if (!db.query("SELECT 1 FROM pairing_requests WHERE channel = ? AND code = ?").get(channel, code)) return code;
    }
  };

  const purgeExpired = (t: number) => {
    const expired = db.query("SELECT channel, account_id, sender_id FROM pairing_requests WHERE expires_at <= ?").all(t) as RequestKey[];
    for (const r of expired) {
      db.query("DELETE FROM pairing_held WHERE channel = ? AND account_id = ? AND sender_id = ? AND approval_id IS NULL").run(r.channel, r.account_id, r.sender_id);
    }
    db.query("DELETE FROM pairing_requests WHERE expires_at <= ?").run(t);
  };

  const hold = (m: InboundMessage, t: number) => {
    db.query("INSERT INTO pairing_held (channel, account_id, sender_id, message_json, created_at) VALUES (?, ?, ?, ?, ?)").run(
      m.channel, m.accountId, m.sender.id, JSON.stringify(m), t,
    );
    db.query(
      `DELETE FROM pairing_held WHERE channel = ?1 AND account_id = ?2 AND sender_id = ?3 AND approval_id IS NULL AND id NOT IN
         (SELECT id FROM pairing_held WHERE channel = ?1 AND account_id = ?2 AND sender_id = ?3 AND approval_id IS NULL ORDER BY id DESC LIMIT ?4)`,
    ).run(m.channel, m.accountId, m.sender.id, maxHeld);
  };

  const heldFor = (where: string, ...params: (string | number)[]): InboundMessage[] =>
    (db.query(`SELECT message_json FROM pairing_held WHERE ${where} ORDER BY id`).all(...params) as { message_json: string }[]).map(
      (r) => JSON.parse(r.message_json) as InboundMessage,
    );

  return {
    isApproved(channel, accountId, senderId) {
      return db.query("SELECT 1 FROM channel_allow_from WHERE channel = ? AND account_id = ? AND sender_id = ?").get(channel, accountId, senderId) !== null;
    },

    request(message) {
      return db.transaction((): PairingOutcome => {
        const t = now();
        purgeExpired(t);
        const { channel, accountId } = message;
        const existing = db
          .query("SELECT code, last_sent_at FROM pairing_requests WHERE channel = ? AND account_id = ? AND sender_id = ?")
          .get(channel, accountId, message.sender.id) as { code: string; last_sent_at: number } | null;
        if (existing) {
          hold(message, t);
          if (t - existing.last_sent_at < resendEvery) return { kind: "pending", code: existing.code, reply: null };
          db.query("UPDATE pairing_requests SET last_sent_at = ? WHERE channel = ? AND account_id = ? AND sender_id = ?").run(t, channel, accountId, message.sender.id);
          return { kind: "pending", code: existing.code, reply: pairingReply(message, existing.code) };
        }
        const pending = db.query("SELECT COUNT(*) AS n FROM pairing_requests WHERE channel = ? AND account_id = ?").get(channel, accountId) as { n: number };
        if (pending.n >= maxPending) return { kind: "too-many", reply: TOO_MANY_REPLY };
        const code = newCode(channel);
        db.query(
          `INSERT INTO pairing_requests (channel, account_id, sender_id, sender_name, code, created_at, expires_at, last_sent_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(channel, accountId, message.sender.id, senderLabel(message), code, t, t + ttl, t);
        hold(message, t);
        return { kind: "new-code", code, reply: pairingReply(message, code) };
      })();
    },

    list(channel) {
      const rows = db
        .query(
          `SELECT r.*, (SELECT COUNT(*) FROM pairing_held h WHERE h.channel = r.channel AND h.account_id = r.account_id
             AND h.sender_id = r.sender_id AND h.approval_id IS NULL) AS held_count
           FROM pairing_requests r WHERE expires_at > ?1 AND (?2 IS NULL OR channel = ?2) ORDER BY created_at`,
        )
        .all(now(), channel ?? null) as RequestRow[];
      return rows.map(toRequest);
    },

    approve(channel, rawCode, approveOptions = {}) {
      const code = rawCode.trim().toUpperCase();
      return db.transaction((): PairingApproval => {
        const t = now();
        const row = db.query("SELECT r.*, 0 AS held_count FROM pairing_requests r WHERE channel = ? AND code = ?").get(channel, code) as RequestRow | null;
        if (!row) {
          throw new ChannelError("pairing-not-found", `No pending ${channel} pairing request has code ${code}. List them with: openclaw pairing list ${channel}`);
        }
        if (row.expires_at <= t) {
          purgeExpired(t);
          throw new ChannelError(
            "pairing-expired",
            `Pairing code ${code} expired at ${new Date(row.expires_at).toISOString()} (codes last 1 hour). Ask the sender to message the bot again for a new code.`,
          );
        }
        db.query("INSERT OR IGNORE INTO channel_allow_from (channel, account_id, sender_id, sender_name, added_at) VALUES (?, ?, ?, ?, ?)").run(
          channel, row.account_id, row.sender_id, row.sender_name, t,
        );
        db.query("DELETE FROM pairing_requests WHERE channel = ? AND code = ?").run(channel, code);
        const notify = approveOptions.notify === true;
        const result = db
          .query("INSERT INTO pairing_approvals (channel, account_id, sender_id, code, notify, approved_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
          .get(channel, row.account_id, row.sender_id, code, notify ? 1 : 0, t) as { id: number };
        db.query("UPDATE pairing_held SET approval_id = ? WHERE channel = ? AND account_id = ? AND sender_id = ? AND approval_id IS NULL").run(
          result.id, channel, row.account_id, row.sender_id,
        );
        const held = heldFor("approval_id = ?", result.id);
        return { id: result.id, channel, accountId: row.account_id, senderId: row.sender_id, code, notify, approvedAt: t, held };
      })();
    },

    deny(channel, rawCode) {
      const code = rawCode.trim().toUpperCase();
      return db.transaction(() => {
        const row = db.query("SELECT account_id, sender_id FROM pairing_requests WHERE channel = ? AND code = ?").get(channel, code) as { account_id: string; sender_id: string } | null;
        if (!row) {
          throw new ChannelError("pairing-not-found", `No pending ${channel} pairing request has code ${code}. List them with: openclaw pairing list ${channel}`);
        }
        db.query("DELETE FROM pairing_held WHERE channel = ? AND account_id = ? AND sender_id = ? AND approval_id IS NULL").run(channel, row.account_id, row.sender_id);
        db.query("DELETE FROM pairing_requests WHERE channel = ? AND code = ?").run(channel, code);
        return { channel, accountId: row.account_id, senderId: row.sender_id, code };
      })();
    },

    claimApprovals(accept = () => true) {
      return db.transaction((): PairingApproval[] => {
        const all = db.query("SELECT * FROM pairing_approvals WHERE processed_at IS NULL ORDER BY id").all() as ApprovalRow[];
        const rows = all.filter((r) => accept(r.channel, r.account_id));
        const t = now();
        return rows.map((r) => {
          const held = heldFor("approval_id = ?", r.id);
          db.query("DELETE FROM pairing_held WHERE approval_id = ?").run(r.id);
          db.query("UPDATE pairing_approvals SET processed_at = ? WHERE id = ?").run(t, r.id);
          return { id: r.id, channel: r.channel, accountId: r.account_id, senderId: r.sender_id, code: r.code, notify: r.notify === 1, approvedAt: r.approved_at, held };
        });
      })();
    },
  };
}

const TOO_MANY_REPLY =
  "OpenClaw: this bot has too many pending pairing requests right now, so yours was not recorded. " +
  "Ask the owner to approve the waiting ones (openclaw pairing list), or try again in an hour.";

function pairingReply(message: InboundMessage, code: string): string {
  return [
    "OpenClaw: access not configured.",
    "",
    `Your ${message.channel} user id: ${message.sender.id}`,
    `Pairing code: ${code}`,
    "",
    "Ask the bot owner to approve with:",
    `openclaw pairing approve ${message.channel} ${code}`,
    "",
    "Your message is kept and will be answered once you are approved (the code expires in 1 hour).",
  ].join("\n");
}

function senderLabel(m: InboundMessage): string | null {
  const parts = [m.sender.name, m.sender.username ? `@${m.sender.username}` : undefined].filter(Boolean);
  return parts.length ? parts.join(" ") : null;
}

interface RequestKey {
  channel: string;
  account_id: string;
  sender_id: string;
}
interface RequestRow extends RequestKey {
  sender_name: string | null;
  code: string;
  created_at: number;
  expires_at: number;
  held_count: number;
}
interface ApprovalRow extends RequestKey {
  id: number;
  code: string;
  notify: number;
  approved_at: number;
}

function toRequest(r: RequestRow): PairingRequest {
  return {
    channel: r.channel,
    accountId: r.account_id,
    senderId: r.sender_id,
    senderName: r.sender_name,
    code: r.code,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    heldCount: r.held_count,
  };
}

/** The pairing tables, migrated through the one state-db opener's per-owner versions. Append steps, never edit. */
const PAIRING_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS pairing_requests (
      channel TEXT NOT NULL, account_id TEXT NOT NULL, sender_id TEXT NOT NULL, sender_name TEXT,
      code TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, last_sent_at INTEGER NOT NULL,
      PRIMARY KEY (channel, account_id, sender_id));
    CREATE UNIQUE INDEX IF NOT EXISTS pairing_requests_code ON pairing_requests (channel, code);
    CREATE TABLE IF NOT EXISTS pairing_held (
      id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, account_id TEXT NOT NULL, sender_id TEXT NOT NULL,
      message_json TEXT NOT NULL, created_at INTEGER NOT NULL, approval_id INTEGER);
    CREATE INDEX IF NOT EXISTS pairing_held_sender ON pairing_held (channel, account_id, sender_id);
    CREATE TABLE IF NOT EXISTS pairing_approvals (
      id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, account_id TEXT NOT NULL, sender_id TEXT NOT NULL,
      code TEXT NOT NULL, notify INTEGER NOT NULL DEFAULT 0, approved_at INTEGER NOT NULL, processed_at INTEGER);
    CREATE TABLE IF NOT EXISTS channel_allow_from (
      channel TEXT NOT NULL, account_id TEXT NOT NULL, sender_id TEXT NOT NULL, sender_name TEXT, added_at INTEGER NOT NULL,
      PRIMARY KEY (channel, account_id, sender_id));`,
];

function migrate(db: Database): void {
  migrateOwner(db, "pairing", PAIRING_MIGRATIONS);
}
