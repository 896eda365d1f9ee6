// skills.status on the real gateway: workspace skills, a plugin's skill folder, and the reasons a skill is inactive.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startE2e, type E2e } from "../e2e/helpers.ts";
import { skillMd } from "./helpers.ts";

let e2e: E2e | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const write = (path: string, text: string) => {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
};

/** A plugin folder whose manifest ships a skills folder. */
function pluginWithSkill(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "oc-skill-plugin-")), "helper");
  dirs.push(join(dir, ".."));
  write(join(dir, "openclaw.plugin.json"), JSON.stringify({ id: "helper", configSchema: { type: "object" }, skills: ["./skills"] }));
  write(join(dir, "package.json"), JSON.stringify({ openclaw: { extensions: ["./index.ts"] } }));
  write(join(dir, "index.ts"), "export default { id: 'helper', register() {} };\n");
  write(join(dir, "skills/plugin-skill/SKILL.md"), skillMd("plugin-skill", "Shipped by a plugin"));
  return dir;
}

interface Report {
  agentId: string;
  workspaceDir: string;
  skills: { name: string; source: string; pluginId?: string; eligible: boolean; reasons: string[] }[];
}

describe("skills.status", () => {
  test("lists the default agent's skills with why an inactive one is not active, and a plugin's skills", async () => {
    e2e = await startE2e({ config: { plugins: { load: { paths: [pluginWithSkill()] } } } });
    write(join(e2e.workspace, "skills/notes/SKILL.md"), skillMd("notes", "Keeps notes"));
    write(join(e2e.workspace, "skills/needs-tool/SKILL.md"), skillMd("needs-tool", "Needs a program", { requires: { bins: ["no-such-program-xyz"] } }));
    const report = await e2e.log.client.request<Report>("skills.status", {});
    expect(report.agentId).toBe("main");
    expect(report.workspaceDir).toBe(e2e.workspace);
    const byName = Object.fromEntries(report.skills.map((s) => [s.name, s]));
    expect(byName.notes).toMatchObject({ source: "openclaw-workspace", eligible: true, reasons: [] });
    expect(byName["needs-tool"]).toMatchObject({ eligible: false, reasons: ["missing bin on PATH: no-such-program-xyz"] });
    expect(byName["plugin-skill"]).toMatchObject({ source: "openclaw-extra", pluginId: "helper", eligible: true });
  });

  test("an unknown agentId is refused naming the agent", async () => {
    e2e = await startE2e();
    const error = await e2e.log.client.request("skills.status", { agentId: "nobody" }).catch((e: Error) => e);
    expect((error as Error).message).toContain('No agent "nobody"');
  });
});
