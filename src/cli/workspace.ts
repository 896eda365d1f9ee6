import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const STARTERS: Record<string, string> = {
  "AGENTS.md": `# AGENTS.md\n\nThis folder is your workspace. Read SOUL.md, USER.md and IDENTITY.md at the start of a conversation.\nWrite things worth remembering to memory/YYYY-MM-DD.md; keep MEMORY.md for lasting facts.\nAsk before doing anything destructive or anything that leaves this machine.\n`,
  "SOUL.md": `# SOUL.md\n\nBe helpful, direct and honest. Prefer short answers; go deep when asked.\nHave opinions, and say when you are unsure.\n`,
  "USER.md": `# USER.md\n\nWho you are helping. Fill in: name, how to address them, time zone, preferences.\n`,
  "IDENTITY.md": `# IDENTITY.md\n\n- Name: (pick one with your user)\n- Vibe: calm, capable\n`,
  "HEARTBEAT.md": `# HEARTBEAT.md\n\n# Keep this empty to skip heartbeat work. Add short tasks to check periodically.\n`,
};

/** Creates the workspace and any missing starter file; never overwrites a file the user has. */
export function ensureWorkspace(dir: string): string[] {
  mkdirSync(join(dir, "memory"), { recursive: true });
  const created: string[] = [];
  for (const [name, text] of Object.entries(STARTERS)) {
    const path = join(dir, name);
    if (existsSync(path)) continue;
    writeFileSync(path, text, { flag: "wx" });
    created.push(name);
  }
  return created;
}
