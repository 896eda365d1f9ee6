import { readFileSync } from "node:fs";
import type { Logger } from "../log.ts";

/** madvise(2) advice: reclaim these pages now (Linux 5.4+). */
const MADV_PAGEOUT = 21;

/** One mapping of the executable file, from /proc/self/maps. */
export interface Mapping {
  start: bigint;
  length: bigint;
}

/** The side effects of a trim, injectable so tests drive the real logic. */
export interface TrimOps {
  /** Text of /proc/self/maps. */
  maps(): string;
  /** RssFile of /proc/self/status in kB (pages backed by files, the executable's among them). */
  fileRssKb(): number;
  /** `madvise(start, length, MADV_PAGEOUT)`; 0 on success. */
  pageout(start: bigint, length: bigint): number;
}

const MAPS_LINE = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s+(.+)$/;

/** The mappings of `executable` in a /proc/<pid>/maps text (a replaced binary shows as "<path> (deleted)"). */
export function executableMappings(maps: string, executable: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of maps.split("\n")) {
    const m = MAPS_LINE.exec(line);
    if (!m || m[3]!.replace(/ \(deleted\)$/, "") !== executable) continue;
    const start = BigInt(`0x${m[1]}`);
    out.push({ start, length: BigInt(`0x${m[2]}`) - start });
  }
  return out;
}

/**
 * Start-up runs code the idle gateway never runs again: the module loader, the config and plugin scans, migrations,
 * every service's set-up. Those pages of the executable stay resident (≈ 25 MB of a 53 MB idle RSS) until the kernel
 * is short of memory. A trim hands them back at once with MADV_PAGEOUT on the executable's own mappings: what a later
 * request needs is read again from the file (page faults, once). The kernel only pages out pages no other process
 * maps, and only of a file the process owns or may write (so a root-owned binary run by another user is left as it
 * is: the call succeeds and changes nothing). Private memory (the JS heap) is not touched.
 *
 * `trim()` returns the kB of file-backed RSS it released, or undefined when trimming is off or unavailable.
 */
export function createIdleTrim(options: { log: Pick<Logger, "debug">; executable?: string; ops?: TrimOps | (() => Promise<TrimOps | undefined>) }) {
  const { log } = options;
  const executable = options.executable ?? process.execPath;
  let ops: Promise<TrimOps | undefined> | undefined;
  const load = () => (ops ??= typeof options.ops === "function" ? options.ops() : Promise.resolve(options.ops ?? undefined));
  return async (): Promise<number | undefined> => {
    try {
      const o = await load();
      if (!o) return undefined;
      const before = o.fileRssKb();
      let failed = 0;
      const mappings = executableMappings(o.maps(), executable);
      for (const { start, length } of mappings) if (o.pageout(start, length) !== 0) failed++;
      const released = Math.max(0, before - o.fileRssKb());
      log.debug(`idle trim: ${mappings.length} mappings of ${executable}, ${failed} refused, ${(released / 1024).toFixed(1)} MB of file-backed pages released`);
      return released;
    } catch (error) {
      // No bun:ffi or no libc.so.6 (another libc): the gateway runs as before, without the trim.
      log.debug(`idle trim unavailable: ${(error as Error).message}`);
      ops = Promise.resolve(undefined);
      return undefined;
    }
  };
}

/** The real operations: /proc and libc's madvise through bun:ffi; undefined where either is missing. */
export async function linuxTrimOps(): Promise<TrimOps | undefined> {
  if (process.platform !== "linux") return undefined;
  const { dlopen, FFIType } = await import("bun:ffi");
  const libc = dlopen("libc.so.6", { madvise: { args: [FFIType.u64, FFIType.u64, FFIType.i32], returns: FFIType.i32 } });
  return {
    maps: () => readFileSync("/proc/self/maps", "utf8"),
    fileRssKb: () => Number(/^RssFile:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0),
    pageout: (start, length) => libc.symbols.madvise(start, length, MADV_PAGEOUT),
  };
}

/**
 * The trim the gateway uses: on in the compiled binary on Linux, off from source (the file is Bun itself, shared by
 * every bun process) and with OPENCLAW_IDLE_TRIM=0.
 */
export function gatewayIdleTrim(log: Pick<Logger, "debug">, env: Record<string, string | undefined>): (() => Promise<number | undefined>) | undefined {
  const compiled = import.meta.path.startsWith("/$bunfs/");
  if (!compiled || env.OPENCLAW_IDLE_TRIM === "0") return undefined;
  return createIdleTrim({ log, ops: linuxTrimOps });
}
