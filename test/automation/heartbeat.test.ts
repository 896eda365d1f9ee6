import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHeartbeat } from "../../src/automation/heartbeat.ts";
import type { DeliveryRoute } from "../../src/automation/route.ts";
import type { Config } from "../../src/config/index.ts";
import { configFor } from "../agent/helpers.ts";
import { requestTexts } from "../e2e/helpers.ts";
import { cronRig, manualTimers } from "./helpers.ts";

const MIN = 60_000;
const LONG = `Your 10:00 meeting moved to 11:30 and the room changed. ${"Details follow. ".repeat(25)}`;

function beatRig(heartbeat: Record<string, unknown>, llm: NonNullable<Parameters<typeof cronRig>[0]>["llm"] = { text: "HEARTBEAT_OK" }) {
  const rig = cronRig({ llm });
  const sent: Array<{ route: DeliveryRoute; text: string }> = [];
  const base = configFor([rig.llm]);
  const config: Config = { ...base, agents: { defaults: { ...base.agents!.defaults, heartbeat } } };
  const hb = createHeartbeat({
    config: () => config,
    stateDir: rig.stateDir,
    queue: rig.queue,
    sessions: rig.sessions,
    deliver: async (route, text) => void sent.push({ route, text }),
    wakeInbox: rig.wakes,
    now: rig.clock.now,
    timers: manualTimers,
  });
  hb.start();
  return { rig, hb, sent };
}

describe("the heartbeat", () => {
  test("a reply that is only HEARTBEAT_OK sends nothing", async () => {
    const { rig, hb, sent } = beatRig({ every: "30m", target: "telegram", to: "42" });
    rig.clock.advance(30 * MIN);
    hb.tick();
    await rig.queue.idle();
    await Bun.sleep(10);
    expect(rig.llm.requests).toHaveLength(1);
    expect(sent).toEqual([]);
    expect(hb.last()).toMatchObject({ status: "ok-token", agentId: "main" });
  });

  test("a short note next to the token (at most 300 characters) is dropped too; a longer answer goes to the target", async () => {
    const short = beatRig({ every: "30m", target: "telegram", to: "42" }, { text: "All quiet, nothing new. HEARTBEAT_OK" });
    expect((await short.hb.runOnce()).status).toBe("ok-token");
    expect(short.sent).toEqual([]);

    const long = beatRig({ every: "30m", target: "telegram", to: "42" }, { text: LONG });
    const event = await long.hb.runOnce();
    expect(event).toMatchObject({ status: "sent", channel: "telegram", to: "42" });
    expect(long.sent).toEqual([{ route: { channel: "telegram", to: "42", threadId: undefined, accountId: undefined }, text: LONG.trim() }]);
  });

  test("each beat is a main-session turn whose prompt is the heartbeat prompt with HEARTBEAT.md in the system prompt", async () => {
    const { rig, hb } = beatRig({ every: "30m", prompt: "Check the list.", target: "none" });
    mkdirSync(join(rig.stateDir, "workspace"), { recursive: true });
    writeFileSync(join(rig.stateDir, "workspace", "HEARTBEAT.md"), "- water the basil\n");
    await hb.runOnce();
    const request = rig.llm.requests[0]!;
    expect(requestTexts(request, "user")).toEqual(["Check the list."]);
    expect(requestTexts(request, "system").join("\n")).toContain("water the basil");
    expect(rig.sessions.get("agent:main:main")).toBeDefined();
  });

  test("a next-heartbeat wake is handed to the next beat, once", async () => {
    const { rig, hb } = beatRig({ every: "30m", target: "none" });
    expect(hb.wake("the build finished", "next-heartbeat")).toMatchObject({ queued: true });
    expect(rig.llm.requests).toHaveLength(0);
    rig.clock.advance(30 * MIN);
    hb.tick();
    await rig.queue.idle();
    await Bun.sleep(10);
    rig.clock.advance(30 * MIN);
    hb.tick();
    await rig.queue.idle();
    await Bun.sleep(10);
    expect(requestTexts(rig.llm.requests[0]!, "user").at(-1)).toContain("- the build finished");
    expect(requestTexts(rig.llm.requests[1]!, "user").at(-1)).not.toContain("the build finished");
  });

  test("a wake now runs a beat at once and its long answer is delivered", async () => {
    const { rig, hb, sent } = beatRig({ every: "0m", target: "telegram", to: "7" }, { text: LONG });
    const result = hb.wake("server down", "now");
    expect(result.runId).toBeTruthy();
    await rig.queue.wait(result.runId!);
    await Bun.sleep(10);
    expect(requestTexts(rig.llm.requests[0]!, "user")[0]).toContain("server down");
    expect(sent).toHaveLength(1);
  });

  test("every 0m runs no beats", async () => {
    const { rig, hb } = beatRig({ every: "0m" });
    rig.clock.advance(24 * 60 * MIN);
    hb.tick();
    await Bun.sleep(10);
    expect(rig.llm.requests).toHaveLength(0);
  });

  test("beats outside activeHours are skipped", async () => {
    const { rig, hb } = beatRig({ every: "30m", activeHours: { start: "09:00", end: "17:00", timezone: "UTC" } });
    rig.clock.set(Date.parse("2026-06-01T20:00:00Z"));
    hb.tick();
    rig.clock.advance(30 * MIN);
    hb.tick();
    await Bun.sleep(10);
    expect(rig.llm.requests).toHaveLength(0);
    expect(hb.last()).toMatchObject({ status: "skipped", reason: "quiet-hours" });
  });

  test("a beat while the main session is busy is skipped, not queued behind it", async () => {
    const { rig, hb } = beatRig({ every: "30m", target: "none" }, { text: "HEARTBEAT_OK", delayMs: 50 });
    const { runId } = rig.queue.submit({ sessionKey: "agent:main:main", agentId: "main", message: "a long question" });
    await Bun.sleep(5);
    expect((await hb.runOnce()).reason).toBe("requests-in-flight");
    await rig.queue.wait(runId);
    expect(rig.llm.requests).toHaveLength(1);
  });
});
