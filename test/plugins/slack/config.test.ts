import { describe, expect, test } from "bun:test";
import { resolveSettings } from "../../../plugins/slack/config.ts";
import { httpWebhookPaths } from "../../../plugins/slack/index.ts";

const messageOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return "";
};

describe("slack account settings", () => {
  test("tokens come from the config first, then SLACK_* env for the default account only", () => {
    const env = { SLACK_BOT_TOKEN: "xoxb-env", SLACK_APP_TOKEN: "xapp-env" };
    expect(resolveSettings({}, env, "default")).toMatchObject({ botToken: "xoxb-env", appToken: "xapp-env", mode: "socket" });
    expect(resolveSettings({ botToken: "xoxb-cfg" }, env, "default").botToken).toBe("xoxb-cfg");
    expect(messageOf(() => resolveSettings({}, env, "work"))).toContain("channels.slack.accounts.work has no bot token");
  });

  test("Socket Mode without an app token and HTTP mode without a signing secret name the key to set", () => {
    expect(messageOf(() => resolveSettings({ botToken: "xoxb-1" }, {}, "default"))).toContain("channels.slack.appToken");
    expect(messageOf(() => resolveSettings({ botToken: "xoxb-1", mode: "http" }, {}, "default"))).toContain("channels.slack.signingSecret");
    expect(messageOf(() => resolveSettings({ botToken: "xoxb-1", mode: "relay" }, {}, "default"))).toContain('"relay" is not supported');
  });

  test("apiUrl (or SLACK_API_URL) moves the Web API; plain http only on loopback", () => {
    const base = { botToken: "xoxb-1", appToken: "xapp-1" };
    expect(resolveSettings({ ...base, apiUrl: "https://slack-gov.com/api" }, {}, "default").apiUrl).toBe("https://slack-gov.com/api/");
    expect(resolveSettings(base, { SLACK_API_URL: "http://127.0.0.1:9/api/" }, "default").apiUrl).toBe("http://127.0.0.1:9/api/");
    expect(messageOf(() => resolveSettings({ ...base, apiUrl: "http://proxy.example/api/" }, {}, "default"))).toContain("plain HTTP");
  });

  test("defaults follow OpenClaw: 8000-character chunks, replyToMode off, unfurlLinks off, 20 MB media", () => {
    const s = resolveSettings({ botToken: "xoxb-1", appToken: "xapp-1" }, {}, "default");
    expect(s).toMatchObject({ textLimit: 8000, replyToMode: "off", unfurlLinks: false, maxBytes: 20 * 1024 * 1024, webhookPath: "/slack/events", stream: "partial" });
    expect(resolveSettings({ botToken: "xoxb-1", appToken: "xapp-1", textChunkLimit: 90_000 }, {}, "default").textLimit).toBe(40_000);
  });

  test("the HTTP webhook paths to mount are those of the HTTP accounts, each account over the section", () => {
    const section = { mode: "http", accounts: { a: { webhookPath: "slack/a" }, b: { mode: "socket" }, c: {} } };
    expect(httpWebhookPaths(section).sort()).toEqual(["/slack/a", "/slack/events"]);
    expect(httpWebhookPaths({ botToken: "x" })).toEqual([]);
  });
});

describe("slack channel keys", () => {
  test("channel names under channels are reported as never matching (ids and * only)", async () => {
    const { unmatchedChannelKeys } = await import("../../../plugins/slack/access.ts");
    expect(unmatchedChannelKeys({ channels: { C0123ABCD: {}, "*": {}, "#general": {}, random: {} } })).toEqual(["#general", "random"]);
  });
});
