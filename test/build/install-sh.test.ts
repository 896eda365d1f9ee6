// scripts/install.sh (shipped as dist/install.sh by `npm run release`) on a release folder: it installs the binary for
// this machine after checking SHA256SUMS, refuses a binary that does not match, and with --service runs
// `openclaw gateway install`. The "binaries" are small shell scripts, so this needs no build.
import { afterEach, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./harness.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const arch = process.arch === "arm64" ? "arm64" : "x64";
const supported = process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");

/** A release folder: install.sh, a fake binary per target (it logs its arguments) and SHA256SUMS. */
function release(): { dir: string; bin: string; log: string } {
  const base = mkdtempSync(join(tmpdir(), "oc-install-"));
  dirs.push(base);
  const dir = join(base, "dist");
  mkdirSync(dir);
  const log = join(base, "calls.log");
  copyFileSync(join(repoRoot, "scripts/install.sh"), join(dir, "install.sh"));
  chmodSync(join(dir, "install.sh"), 0o755);
  const sums: string[] = [];
  for (const target of ["x64", "arm64"]) {
    const name = `openclaw-linux-${target}`;
    const body = `#!/bin/sh\necho "${target} $*" >> ${log}\n[ "$1" = --version ] && echo 2026.1.${target === "x64" ? 1 : 2}\nexit 0\n`;
    writeFileSync(join(dir, name), body, { mode: 0o755 });
    sums.push(`${createHash("sha256").update(body).digest("hex")}  ${name}`);
  }
  writeFileSync(join(dir, "SHA256SUMS"), `${sums.join("\n")}\n`);
  return { dir, bin: join(base, "bin"), log };
}

async function install(r: ReturnType<typeof release>, ...args: string[]) {
  const proc = Bun.spawn(["sh", join(r.dir, "install.sh"), ...args], {
    env: { HOME: join(r.dir, ".."), OPENCLAW_INSTALL_DIR: r.bin, PATH: "/usr/bin:/bin" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { out, err, code };
}

test.skipIf(!supported)("install.sh copies this machine's binary after checking SHA256SUMS and says how to put it on PATH", async () => {
  const r = release();
  const result = await install(r);
  expect(result.code).toBe(0);
  expect(readFileSync(join(r.bin, "openclaw"), "utf8")).toBe(readFileSync(join(r.dir, `openclaw-linux-${arch}`), "utf8"));
  expect(result.out).toContain(`Installed ${r.bin}/openclaw (2026.1.${arch === "x64" ? 1 : 2})`);
  expect(result.out).toContain(`Add ${r.bin} to PATH`);
  expect(result.out).toContain("Next: openclaw up");
});

test.skipIf(!supported)("install.sh refuses a binary that does not match SHA256SUMS and installs nothing", async () => {
  const r = release();
  writeFileSync(join(r.dir, `openclaw-linux-${arch}`), "#!/bin/sh\necho tampered\n", { mode: 0o755 });
  const result = await install(r);
  expect(result.code).toBe(1);
  expect(result.err).toContain("does not match SHA256SUMS");
  expect(existsSync(join(r.bin, "openclaw"))).toBe(false);
});

test.skipIf(!supported)("install.sh --service runs gateway install with the installed binary", async () => {
  const r = release();
  const result = await install(r, "--service");
  expect(result.code).toBe(0);
  expect(readFileSync(r.log, "utf8").trim().split("\n")).toEqual([`${arch} --version`, `${arch} gateway install`]);
});
