import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectGateway, type GatewayClient } from "../../src/protocol/client.ts";
import { startTestGateway, TOKEN, type TestGateway } from "../gateway/helpers.ts";

let gw: TestGateway;
let reader: GatewayClient;
beforeAll(async () => {
  gw = await startTestGateway({ config: { gateway: { auth: { mode: "token", token: TOKEN } }, skills: { entries: { off: { enabled: false } } } } });
  const skill = (dir: string, name: string, meta = "") => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "SKILL.md"), `---\nname: ${name}\ndescription: The ${name} skill.\n${meta}---\nbody\n`);
  };
  skill(join(gw.stateDir, "workspace", "skills"), "weather");
  skill(join(gw.stateDir, "skills"), "weather");
  skill(join(gw.stateDir, "skills"), "off");
  skill(join(gw.stateDir, "skills"), "needs-env", 'metadata: {"openclaw": {"requires": {"env": ["NEEDS_ENV_TOKEN"]}}}\n');
  reader = await connectGateway({ url: gw.wsUrl, token: TOKEN, scopes: ["operator.read"], timeoutMs: 3000 });
});
afterAll(async () => {
  reader?.close();
  await gw?.stop();
});

test("skills.status answers in OpenClaw's shape (missing, install, configChecks), one entry per name, as OpenClaw's CLI reads it", async () => {
  const report = (await reader.request("skills.status", {})) as any;
  expect(report).toMatchObject({ agentId: "main", workspaceDir: join(gw.stateDir, "workspace"), managedSkillsDir: join(gw.stateDir, "skills") });
  expect(report.skills.map((s: any) => [s.name, s.source, s.eligible])).toEqual([
    ["needs-env", "openclaw-managed", false],
    ["off", "openclaw-managed", false],
    ["weather", "openclaw-workspace", true],
  ]);
  const needsEnv = report.skills[0];
  expect(needsEnv).toMatchObject({ missing: { bins: [], anyBins: [], env: ["NEEDS_ENV_TOKEN"], config: [], os: [] }, blockedByAllowlist: false, install: [], configChecks: [], bundled: false });
  expect(report.skills[1]).toMatchObject({ disabled: true, reasons: ["disabled in config (skills.entries.off.enabled: false)"] });
});
