import { afterEach, describe, expect, test } from "bun:test";
import { captureIo } from "../../../src/cli/io.ts";
import { runPairing } from "../../../src/cli/pairing.ts";
import { until } from "../../e2e/helpers.ts";
import { ALICE_DM, codeIn, startSlackE2e, type SlackE2e } from "./helpers.ts";

let e2e: SlackE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const postsIn = (channel: string) => e2e!.slack.posts.filter((p) => p.channel === channel);

describe("slack DMs through the gateway", () => {
  test("an unknown DM sender gets a pairing code and the model gets no request", async () => {
    e2e = await startSlackE2e({ llm: { text: "should never be said" } });
    e2e.dm("hello bot");
    const reply = await until(() => postsIn(ALICE_DM).find((p) => codeIn(p.text)), 5000, "the pairing reply");
    expect(codeIn(reply.text)).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    await Bun.sleep(150);
    expect(e2e.llm.requests).toHaveLength(0);
  });

  test("approving with openclaw pairing approve slack answers the held message in the DM", async () => {
    e2e = await startSlackE2e({ llm: { text: "nice to meet you" } });
    e2e.dm("please remember me");
    const code = codeIn((await until(() => postsIn(ALICE_DM).find((p) => codeIn(p.text)), 5000, "the pairing reply")).text)!;
    const cli = captureIo({ OPENCLAW_STATE_DIR: e2e.stateDir, HOME: e2e.stateDir });
    expect(await runPairing(["approve", "slack", code], cli.io)).toBe(0);
    await until(() => postsIn(ALICE_DM).some((p) => p.text === "nice to meet you"), 5000, "the answer to the held message");
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).toContain("please remember me");
  });

  test("with tokens and the API URL from SLACK_* env, a sender in allowFrom is answered at once", async () => {
    e2e = await startSlackE2e({ viaEnv: true, slack: { dmPolicy: "allowlist", allowFrom: ["slack:U0000ALICE"] } });
    e2e.dm("hi");
    await until(() => postsIn(ALICE_DM).some((p) => p.text === "hello from the model"), 5000, "the answer");
    expect(e2e.slack.stats.connections).toBe(1);
  });

  test("the bot and app tokens may be SecretRefs to the environment", async () => {
    const ref = (id: string) => ({ source: "env", provider: "default", id });
    e2e = await startSlackE2e({
      slack: { botToken: ref("MY_SLACK_BOT"), appToken: ref("MY_SLACK_APP"), dmPolicy: "open", allowFrom: ["*"] },
      env: { MY_SLACK_BOT: "xoxb-fake-bot-token", MY_SLACK_APP: "xapp-fake-app-token" },
    });
    e2e.dm("hi");
    await until(() => postsIn(ALICE_DM).some((p) => p.text === "hello from the model"), 5000, "the answer");
  });
});
