import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * Baileys' BufferJSON, passed in so this file needs no Baileys import: Buffers are stored as
 * `{type: "Buffer", data: "<base64>"}` exactly as `useMultiFileAuthState` writes them, so a folder written by
 * OpenClaw (or by Baileys' own helper) opens here and the other way round.
 */
export interface BufferJson {
  replacer(key: string, value: unknown): unknown;
  reviver(key: string, value: unknown): unknown;
}

/** Baileys' key-store shape (`SignalKeyStore`), typed loosely here; the socket module narrows it. */
export interface AuthKeys {
  get(type: string, ids: string[]): Promise<Record<string, unknown>>;
  set(data: Record<string, Record<string, unknown | null>>): Promise<void>;
  clear(): Promise<void>;
}

export interface AuthStore {
  dir: string;
  creds: Record<string, any>;
  keys: AuthKeys;
  /** Writes `creds.json` (the previous one kept as `creds.json.bak`). Call on every `creds.update`. */
  saveCreds(): Promise<void>;
}

export interface AuthStoreOptions {
  bufferJson: BufferJson;
  /** Fresh credentials for a folder that has none (Baileys' `initAuthCreds`). */
  initCreds(): Record<string, any>;
  /** Turns a stored `app-state-sync-key` back into Baileys' protobuf object. */
  reviveKey?(type: string, value: unknown): unknown;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** File names as Baileys' multi-file store spells them (`/` and `:` are not kept in names). */
const fileName = (name: string) => name.replace(/\//g, "__").replace(/:/g, "-");

/** Makes the folder (0700; an existing one is tightened to 0700 too). */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${dir} exists and is not a folder: move it away or set authDir to another path.`);
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
}

/**
 * Writes `data` to `path` so that a crash at any moment leaves either the old file or the new one, never a torn
 * one: a temp file in the same folder (0600), fsync, then rename over the target.
 */
export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fd = openSync(tmp, "w", FILE_MODE);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, FILE_MODE);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** True when the folder holds credentials of a linked device (`creds.json` with `registered` or a `me` id). */
export function isLinked(dir: string, bufferJson?: BufferJson): boolean {
  const creds = readCreds(dir, bufferJson);
  return creds !== undefined && (creds.registered === true || typeof creds.me?.id === "string");
}

/** The linked phone number (`+15551234567`) from `creds.json`, if linked. */
export function linkedPhone(dir: string): string | undefined {
  const id = readCreds(dir)?.me?.id;
  const digits = typeof id === "string" ? /^(\d+)/.exec(id)?.[1] : undefined;
  return digits ? `+${digits}` : undefined;
}

function parse(path: string, bufferJson?: BufferJson): any {
  return JSON.parse(readFileSync(path, "utf8"), bufferJson ? (k, v) => bufferJson.reviver(k, v) : undefined);
}

/** `creds.json`, else its backup when the main file is unreadable. */
function readCreds(dir: string, bufferJson?: BufferJson): Record<string, any> | undefined {
  for (const name of ["creds.json", "creds.json.bak"]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    try {
      return parse(path, bufferJson);
    } catch {
      // A torn file from an older, non-atomic writer: fall back to the backup.
    }
  }
  return undefined;
}

/** Deletes the account's credentials folder. Returns whether there was anything to delete. */
export function clearAuth(dir: string): boolean {
  const had = existsSync(dir);
  rmSync(dir, { recursive: true, force: true });
  return had;
}

/**
 * Baileys' auth state (`{creds, keys}` + `saveCreds`) on the same files as `useMultiFileAuthState` —
 * `creds.json` and `<type>-<id>.json` — but each write is atomic (temp + fsync + rename), files are 0600 in a
 * 0700 folder, writes to one file are applied in order, and `creds.json.bak` keeps the previous credentials.
 */
export function openAuthStore(dir: string, options: AuthStoreOptions): AuthStore {
  ensurePrivateDir(dir);
  const { bufferJson } = options;
  const queues = new Map<string, Promise<void>>();
  // Writes to one file run in order; different files in parallel.
  const serial = (name: string, work: () => void): Promise<void> => {
    const next = (queues.get(name) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => {});
    queues.set(name, settled);
    void settled.then(() => queues.get(name) === settled && queues.delete(name));
    return next;
  };
  const write = (name: string, value: unknown) =>
    serial(name, () => writeFileAtomic(join(dir, fileName(name)), JSON.stringify(value, (k, v) => bufferJson.replacer(k, v))));
  const remove = (name: string) =>
    serial(name, () => {
      try {
        unlinkSync(join(dir, fileName(name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    });
  const read = async (name: string): Promise<unknown> => {
    await queues.get(name);
    const path = join(dir, fileName(name));
    if (!existsSync(path)) return null;
    try {
      return parse(path, bufferJson);
    } catch {
      return null;
    }
  };
  const creds = readCreds(dir, bufferJson) ?? options.initCreds();
  return {
    dir,
    creds,
    keys: {
      async get(type, ids) {
        const out: Record<string, unknown> = {};
        await Promise.all(
          ids.map(async (id) => {
            const value = await read(`${type}-${id}.json`);
            out[id] = value && options.reviveKey ? options.reviveKey(type, value) : value;
          }),
        );
        return out;
      },
      async set(data) {
        const tasks: Promise<void>[] = [];
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) tasks.push(value ? write(`${type}-${id}.json`, value) : remove(`${type}-${id}.json`));
        }
        await Promise.all(tasks);
      },
      async clear() {
        await Promise.all(queues.values());
        clearAuth(dir);
        ensurePrivateDir(dir);
      },
    },
    saveCreds: () =>
      serial("creds.json", () => {
        const path = join(dir, "creds.json");
        const text = JSON.stringify(creds, (k, v) => bufferJson.replacer(k, v));
        if (existsSync(path)) {
          try {
            const old = readFileSync(path, "utf8");
            JSON.parse(old);
            if (old !== text) writeFileAtomic(join(dir, "creds.json.bak"), old);
          } catch {
            // A torn creds.json is not worth keeping as a backup.
          }
        }
        writeFileAtomic(path, text);
      }),
  };
}
