import { afterEach, describe, expect, test } from "bun:test";
import { gatewayCaller } from "../../src/cli/gateway-call.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runSystem } from "../../src/cli/system.ts";
import { startE2e, type E2e } from "../e2e/helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

async function system(args: string[], env: Record<string, string | undefined>) {
  const { io, stdout, stderr } = captureIo(env);
  const code = await runSystem(args, io, { gateway: (flags) => gatewayCaller(io, flags) });
  return { code, out: stdout(), err: stderr() };
}

describe("openclaw system", () => {
  test("heartbeat disable, last and enable talk to the running gateway and print its JSON answers", async () => {
    e2e = await startE2e({ config: { agents: { defaults: { heartbeat: { every: "30m", target: "none" } } } } });
    const off = await system(["heartbeat", "disable"], e2e.env);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.out)).toEqual({ ok: true, enabled: false });
    expect((await e2e.log.client.request<any>("health")).agents[0].heartbeat.enabled).toBe(false);
    const last = await system(["heartbeat", "last"], e2e.env);
    expect(last.code).toBe(0);
    expect(JSON.parse(last.out)).toBeNull();
    expect(JSON.parse((await system(["heartbeat", "enable"], e2e.env)).out)).toEqual({ ok: true, enabled: true });
  });

  test("event --text hands the text to the next beat and prints ok", async () => {
    e2e = await startE2e({ llm: { text: "HEARTBEAT_OK" } });
    const r = await system(["event", "--text", "deploy finished"], e2e.env);
    expect(r).toMatchObject({ code: 0, out: "ok" });
    expect(e2e.llm.requests).toHaveLength(0);
    expect(e2e.gateway.automation.wakeInbox.peek("main").map((w) => w.text)).toEqual(["deploy finished"]);
    const missing = await system(["event"], e2e.env);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("--text is required");
  });

  test("without a running gateway it says so", async () => {
    const r = await system(["heartbeat", "last", "--url", "ws://127.0.0.1:9"], {});
    expect(r.code).toBe(1);
    expect(r.err).toContain("No gateway is running");
  });
});
