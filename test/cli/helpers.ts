import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureIo } from "../../src/cli/io.ts";

/** A temp HOME with OPENCLAW_STATE_DIR inside it, and a fresh captured io over that env (cwd = HOME). */
export function cliEnv() {
  const home = mkdtempSync(join(tmpdir(), "oc-cli-"));
  const stateDir = join(home, ".openclaw");
  const env = () => ({ HOME: home, OPENCLAW_STATE_DIR: stateDir, PATH: process.env.PATH });
  return {
    home,
    stateDir,
    configPath: join(stateDir, "openclaw.json"),
    workspace: join(stateDir, "workspace"),
    /** A new captured io each call, so each command's output can be read on its own. */
    io: (extra: Record<string, string> = {}) => captureIo({ ...env(), ...extra }, home),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
