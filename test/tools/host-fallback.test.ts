import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createToolset, invokeTool } from "../../src/tools/index.ts";
import { execHostIsolation } from "../../src/tools/exec/exec-tool.ts";
import { detectHostIsolation } from "../../src/tools/exec/host-fallback.ts";
import { context, makeDirs } from "./helpers.ts";

const isolation = execHostIsolation();
const canHide = isolation.kind === "unshare";
let dirs: Awaited<ReturnType<typeof makeDirs>>;

beforeAll(async () => {
  dirs = await makeDirs();
});
afterAll(() => dirs.cleanup());

/** `sandbox: "auto"` on a machine without bubblewrap (the probe says it is missing). */
const withoutBwrap = (workspace: string, stateDir: string) =>
  createToolset({ workspace, stateDir, config: { tools: { exec: { sandbox: "auto" } } }, env: { PATH: process.env.PATH }, exec: { sandboxDeps: { bwrapPath: null } } });

test.if(canHide)("without bubblewrap, exec on the host still cannot read the state dir", async () => {
  const { tools } = withoutBwrap(dirs.workspace, dirs.stateDir);
  const result = await invokeTool(tools, "exec", { command: `cat ${path.join(dirs.stateDir, "openclaw.json")}; echo done` }, context(dirs.workspace));
  expect(result.content).toContain("sandbox off: bwrap is not installed");
  expect(result.content).toContain("done");
  expect(result.content).not.toContain("secret-token");
});

test.if(canHide)("without bubblewrap, a workspace inside the state dir stays usable while the rest of it is hidden", async () => {
  const workspace = path.join(dirs.stateDir, "workspace");
  await mkdir(path.join(workspace, "sub"), { recursive: true });
  await Bun.write(path.join(workspace, "here.txt"), "visible");
  const { tools } = withoutBwrap(workspace, dirs.stateDir);
  const result = await invokeTool(tools, "exec", { command: "cat ../here.txt; echo new > ../made.txt; cat ../../openclaw.json 2>&1; ls ../..", workdir: "sub" }, context(workspace));
  expect(result.content).toContain("visible");
  expect(result.content).not.toContain("secret-token");
  expect(result.content).toEndWith("\nworkspace\n");
  expect(await Bun.file(path.join(workspace, "made.txt")).text()).toBe("new\n");
});

test("the host fallback reports why it cannot hide the state dir", () => {
  expect(detectHostIsolation({ which: () => null })).toEqual({ kind: "none", why: "util-linux unshare is not installed" });
  expect(detectHostIsolation({ which: () => "/usr/bin/unshare", tryUnshare: () => false }).kind).toBe("none");
  expect(detectHostIsolation({ which: () => "/usr/bin/unshare", tryUnshare: () => true, isRoot: false })).toEqual({ kind: "unshare", bin: "/usr/bin/unshare", user: true });
});

test.if(canHide)("without bubblewrap, an active skill's folder inside the state dir stays readable, read-only", async () => {
  const skill = path.join(dirs.stateDir, "skills", "demo");
  await mkdir(skill, { recursive: true });
  await Bun.write(path.join(skill, "SKILL.md"), "skill body");
  const { tools } = withoutBwrap(dirs.workspace, dirs.stateDir);
  const ctx = { ...context(dirs.workspace), readRoots: [skill] };
  const result = await invokeTool(tools, "exec", { command: `cat ${skill}/SKILL.md; touch ${skill}/x 2>/dev/null || echo read-only; cat ${dirs.stateDir}/openclaw.json` }, ctx);
  expect(result.content).toContain("skill body");
  expect(result.content).toContain("read-only");
  expect(result.content).not.toContain("secret-token");
});
