import { afterEach, describe, expect, test } from "bun:test";
import { bootGateway, until, writeState } from "../../e2e/helpers.ts";
import { eventCallback, slackSignature, startFakeSlack } from "../../fakes/slack.ts";
import { startFakeOpenAI } from "../../fakes/llm/index.ts";
import { ALICE, ALICE_DM, startSlackE2e, ts, type SlackE2e } from "./helpers.ts";

let e2e: SlackE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const open = { dmPolicy: "open", allowFrom: ["*"], streaming: "off" };

/** POSTs `body` to the gateway as Slack would, signed with `secret` at `timestamp` (seconds). */
function post(url: string, body: unknown, options: { secret?: string; timestamp?: number; retry?: number } = {}) {
  const raw = JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(options.secret ?? SECRET, timestamp, raw),
  };
  if (options.retry !== undefined) headers["x-slack-retry-num"] = String(options.retry);
  return fetch(url, { method: "POST", headers, body: raw });
}

const dm = (text: string) => eventCallback({ type: "message", channel: ALICE_DM, channel_type: "im", user: ALICE, text, ts: ts() });

/** Waits until every Slack account reports connected (its webhook handler is in place). */
async function ready(client: SlackE2e["client"], count = 1) {
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await Bun.sleep(20)) {
    const status = (await client.request("channels.status", {})) as { accounts: { channel: string; connected: boolean }[] };
    if (status.accounts.filter((a) => a.channel === "slack" && a.connected).length >= count) return;
  }
  throw new Error("the Slack HTTP accounts did not become ready");
}

async function startHttp(extra: Record<string, unknown> = {}) {
  e2e = await startSlackE2e({ noWait: true, slack: { mode: "http", appToken: undefined, signingSecret: SECRET, ...open, ...extra } });
  await ready(e2e.client);
  return `${e2e.gateway.url}/slack/events`;
}

describe("slack over HTTP Request URLs", () => {
  test("the url_verification challenge is answered when signed", async () => {
    const url = await startHttp();
    const response = await post(url, { token: "t", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  test("a correctly signed event is accepted and answered", async () => {
    const url = await startHttp();
    const response = await post(url, dm("over http"));
    expect(response.status).toBe(200);
    await until(() => e2e!.slack.posts.some((p) => p.channel === ALICE_DM && p.text === "hello from the model"), 5000, "the answer");
  });

  test("a wrong signature and a stale timestamp are refused with 401 and reach no model", async () => {
    const url = await startHttp();
    expect((await post(url, dm("forged"), { secret: "not-the-secret" })).status).toBe(401);
    expect((await post(url, dm("replayed"), { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const unsigned = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(dm("unsigned")) });
    expect(unsigned.status).toBe(401);
    await Bun.sleep(200);
    expect(e2e!.llm.requests).toHaveLength(0);
    expect(e2e!.slack.posts).toHaveLength(0);
  });

  test("a retried request (X-Slack-Retry-Num) of an answered event is acknowledged and not answered again", async () => {
    const url = await startHttp();
    const body = dm("once over http");
    expect((await post(url, body)).status).toBe(200);
    await until(() => e2e!.slack.posts.length === 1, 5000, "the answer");
    expect((await post(url, body, { retry: 1 })).status).toBe(200);
    await Bun.sleep(300);
    expect(e2e!.slack.posts).toHaveLength(1);
  });

  test("two HTTP accounts each answer at their own webhookPath", async () => {
    const one = startFakeSlack();
    const two = startFakeSlack();
    const llm = startFakeOpenAI({ text: "hi from http" });
    const account = (fake: typeof one, path: string) => ({ mode: "http", botToken: fake.botToken, apiUrl: fake.apiUrl, signingSecret: SECRET, webhookPath: path, ...open });
    const state = writeState(llm, { config: { channels: { slack: { accounts: { one: account(one, "/slack/one"), two: account(two, "/slack/two") } } } } });
    const booted = await bootGateway(state);
    try {
      await ready(booted.log.client, 2);
      expect((await post(`${booted.gateway.url}/slack/two`, dm("to the second"))).status).toBe(200);
      await until(() => two.posts.length === 1, 5000, "the second account's answer");
      expect(one.posts).toHaveLength(0);
    } finally {
      booted.log.client.close();
      await booted.gateway.stop();
      one.stop();
      two.stop();
      await llm.stop();
      state.cleanup();
    }
  });
});
