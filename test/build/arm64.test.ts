// Cross-compiling for a Raspberry Pi: the aarch64 runtime and vec0.so come from `npm pack` (cached in .cache/),
// never from Bun's own download. Skips, saying why, only when the npm registry cannot be reached.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, openSync, readSync, closeSync } from "node:fs";
import { join } from "node:path";
import { buildBinary, repoRoot, type BuiltBinary } from "./harness.ts";

const EM_AARCH64 = 183;

function cached(): boolean {
  return existsSync(join(repoRoot, ".cache", `@oven+bun-linux-aarch64@${Bun.version}`, "package", "package.json"));
}

function registryReachable(): { ok: boolean; reason?: string } {
  const proc = Bun.spawnSync(["npm", "view", `@oven/bun-linux-aarch64@${Bun.version}`, "version"], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 60_000,
  });
  if (proc.exitCode === 0) return { ok: true };
  return { ok: false, reason: proc.stderr.toString().trim().split("\n").slice(-3).join(" ") || "npm view failed" };
}

const reachability = cached() ? { ok: true } : registryReachable();
if (!reachability.ok) console.warn(`skipping the linux-arm64 build: npm registry unreachable (${reachability.reason})`);

/** The ELF header fields we check: 64-bit little-endian executable for `e_machine`. */
function readElfHeader(path: string): { magic: string; elfClass: number; data: number; machine: number } {
  const fd = openSync(path, "r");
  const header = Buffer.alloc(20);
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return {
    magic: header.subarray(0, 4).toString("latin1"),
    elfClass: header[4]!,
    data: header[5]!,
    machine: header.readUInt16LE(18),
  };
}

describe("linux-arm64 build", () => {
  let binary: BuiltBinary | undefined;
  afterAll(() => binary?.cleanup());

  test.skipIf(!reachability.ok)(
    "build.ts --target linux-arm64 writes a 64-bit little-endian aarch64 ELF executable",
    async () => {
      binary = await buildBinary(["--target", "linux-arm64"], "openclaw-linux-arm64");
      expect(binary.output).toContain("linux-arm64");
      const elf = readElfHeader(binary.path);
      expect(elf.magic).toBe("\x7fELF");
      expect(elf.elfClass).toBe(2);
      expect(elf.data).toBe(1);
      expect(elf.machine).toBe(EM_AARCH64);
      // The embedded vec0.so is the aarch64 one from npm pack, not the host's from node_modules.
      const image = await Bun.file(binary.path).bytes();
      const vecVersion = (await Bun.file(join(repoRoot, "node_modules/sqlite-vec/package.json")).json()).version;
      const armVec = join(repoRoot, ".cache", `sqlite-vec-linux-arm64@${vecVersion}`, "package", "vec0.so");
      const hostVec = join(repoRoot, "node_modules/sqlite-vec-linux-x64/vec0.so");
      const sample = async (path: string) => {
        const bytes = await Bun.file(path).bytes();
        return bytes.subarray(bytes.length >> 1, (bytes.length >> 1) + 4096); // code, not zero padding
      };
      expect(Buffer.from(image).indexOf(await sample(armVec))).toBeGreaterThan(0);
      if (existsSync(hostVec)) expect(Buffer.from(image).indexOf(await sample(hostVec))).toBe(-1);
    },
    300_000,
  );
});
