import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { connectGateway } from "../../src/protocol/client.ts";
import { startTestGateway, TOKEN, waitFor, type TestGateway } from "../gateway/helpers.ts";

// Tightening tool settings (exec sandbox, web_fetch's private-network guard) by a live config edit must apply to
// the next tool call, not only after a restart.
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    config: {
      gateway: { auth: { mode: "token", token: TOKEN }, tools: { allow: ["exec"] }, reload: { debounceMs: 20 } },
      tools: { exec: { sandbox: "off" } },
    },
  });
  mkdirSync(join(gw.stateDir, "workspace"), { recursive: true });
});
afterAll(() => gw.stop());

const execSandbox = async () => {
  const res = await fetch(`${gw.httpUrl}/tools/invoke`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ tool: "exec", args: { command: "true" } }),
  });
  const body = (await res.json()) as { result?: { details?: { sandbox?: string } } };
  return body.result?.details?.sandbox;
};

test("an exec sandbox switched on by a live config edit applies to the next exec", async () => {
  expect(await execSandbox()).toBe("off");
  const client = await connectGateway({ url: gw.wsUrl, token: TOKEN });
  await client.request("config.patch", { patch: { tools: { exec: { sandbox: "bwrap" } } } });
  client.close();
  await waitFor(() => gw.gateway.config.tools?.exec?.sandbox === "bwrap", 3000, "the reload");
  expect(await execSandbox()).toBe("bwrap");
});
