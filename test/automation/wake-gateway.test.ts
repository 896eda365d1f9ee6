import { afterEach, describe, expect, test } from "bun:test";
import { DEFAULT_HEARTBEAT_PROMPT } from "../../src/automation/heartbeat-settings.ts";
import { requestTexts, startE2e, TOKEN, type E2e } from "../e2e/helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const post = (path: string, body: unknown, token = TOKEN) =>
  fetch(`${e2e!.gateway.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("wake and the cron tool in the running gateway", () => {
  test("POST /hooks/wake mode now runs a heartbeat beat: its prompt carries the text and a HEARTBEAT_OK answer is sent nowhere", async () => {
    e2e = await startE2e({
      llm: { text: "HEARTBEAT_OK" },
      telegram: { dmPolicy: "allowlist", allowFrom: ["801"], streamMode: "off" },
      config: { hooks: { enabled: true, token: "hook-token-123" }, agents: { defaults: { heartbeat: { every: "30m", target: "telegram", to: "801" } } } },
    });
    const response = await post("/hooks/wake", { text: "check the mail", mode: "now" }, "hook-token-123");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; runId?: string };
    expect(body.ok).toBe(true);
    expect(body.runId).toBeTruthy();
    let last: { status: string; runId?: string } | null = null;
    for (const deadline = Date.now() + 5000; last?.runId !== body.runId && Date.now() < deadline; await Bun.sleep(20)) {
      last = await e2e.log.client.request<{ status: string; runId?: string } | null>("last-heartbeat", {});
    }
    expect(last).toMatchObject({ runId: body.runId, status: "ok-token" });
    const user = requestTexts(e2e.llm.requests[0]!, "user").at(-1)!;
    expect(user.startsWith(DEFAULT_HEARTBEAT_PROMPT)).toBe(true);
    expect(user).toContain("- check the mail");
    expect(e2e.telegram!.sent.filter((c) => c.method === "sendMessage")).toEqual([]);
  });

  test("the cron tool is offered to the agent but refused over POST /tools/invoke unless gateway.tools.allow lists it", async () => {
    e2e = await startE2e();
    const denied = await post("/tools/invoke", { tool: "cron", args: { action: "list" } });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain("gateway.tools.allow");
    await e2e.stop();

    e2e = await startE2e({ config: { gateway: { auth: { mode: "token", token: TOKEN }, tools: { allow: ["cron"] } } } });
    const allowed = await post("/tools/invoke", { tool: "cron", args: { action: "list" } });
    expect(allowed.status).toBe(200);
    expect(JSON.stringify(await allowed.json())).toContain('\\"total\\": 0');
  });

  test("health and status report the heartbeat the gateway runs, and set-heartbeats false turns it off there too", async () => {
    e2e = await startE2e({ config: { agents: { defaults: { heartbeat: { every: "45m", target: "none" } } } } });
    const client = e2e.log.client;
    const health = await client.request<any>("health");
    expect(health.agents[0].heartbeat).toMatchObject({ enabled: true, every: "45m", everyMs: 2_700_000, target: "none" });
    expect(health.heartbeatSeconds).toBe(2700);
    await client.request("set-heartbeats", { enabled: false });
    expect((await client.request<any>("health")).agents[0].heartbeat.enabled).toBe(false);
    expect((await client.request<any>("status")).heartbeat.agents[0]).toMatchObject({ agentId: "main", enabled: false, every: "disabled" });
  });
});
