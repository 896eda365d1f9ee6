import { afterEach, expect, test } from "bun:test";
import { planSandbox } from "../../src/tools/exec/sandbox.ts";
import { startE2e, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

test("status says where exec runs, and warns when it runs without a sandbox", async () => {
  e2e = await startE2e({ config: { tools: { exec: { sandbox: "off" } } } });
  const status = await e2e.log.client.request<{ exec: { sandbox: string; stateDirHidden: boolean; warning?: string; limitsText: string } }>("status", {});
  expect(status.exec.sandbox).toBe("off");
  expect(status.exec.stateDirHidden).toBe(false);
  expect(status.exec.warning).toContain("no sandbox");
  expect(status.exec.limitsText).toStartWith("exec limits:");
});

test.if(planSandbox("auto").kind === "bwrap")("status shows exec in the bubblewrap sandbox with no warning where bubblewrap works", async () => {
  e2e = await startE2e();
  const status = await e2e.log.client.request<{ exec: { sandbox: string; warning?: string } }>("status", {});
  expect(status.exec.sandbox).toBe("bwrap");
  expect(status.exec.warning).toBeUndefined();
});
