import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temp HOME with the default state dir `~/.openclaw` and its workspace; `cleanup()` removes it all. */
export function skillsHome() {
  const home = mkdtempSync(join(tmpdir(), "skills-test-"));
  const stateDir = join(home, ".openclaw");
  const workspace = join(stateDir, "workspace");
  const bin = join(home, "bin");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(bin);
  return {
    home,
    stateDir,
    workspace,
    /** A PATH holding only the fake executables made with `addBin`. */
    bin,
    write(path: string, content: string): string {
      const full = join(home, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    /** An executable named `name` in `bin` (found by `Bun.which` with PATH=bin). */
    addBin(name: string) {
      const full = join(bin, name);
      writeFileSync(full, "#!/bin/sh\necho ok\n");
      chmodSync(full, 0o755);
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** A SKILL.md text with this front matter (`metadata` as inline JSON) and a short body. */
export function skillMd(name: string, description: string, openclaw?: Record<string, unknown>, extra = ""): string {
  const meta = openclaw ? `metadata: ${JSON.stringify({ openclaw })}\n` : "";
  return `---\nname: ${name}\ndescription: ${description}\n${meta}${extra}---\n\n# ${name}\nDo the ${name} thing.\n`;
}
