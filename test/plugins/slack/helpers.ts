import { bootGateway, until, writeState } from "../../e2e/helpers.ts";
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from "../../fakes/slack.ts";
import { startFakeOpenAI, type FakeLlm, type FakeLlmOptions } from "../../fakes/llm/index.ts";

export const GENERAL = "C0000GENERAL";
export const RANDOM = "C0000RANDOM";
export const ALICE = "U0000ALICE";
export const BOB = "U0000BOB";
export const ALICE_DM = "D0000ALICE";

let clock = 1_800_000_000;
/** A fresh Slack `ts`. */
export const ts = () => `${++clock}.000100`;

export interface SlackE2e {
  slack: FakeSlack;
  llm: FakeLlm;
  gateway: Awaited<ReturnType<typeof bootGateway>>["gateway"];
  client: Awaited<ReturnType<typeof bootGateway>>["log"]["client"];
  stateDir: string;
  wsUrl: string;
  env: Record<string, string | undefined>;
  /** A DM from `user` in its DM channel (`channel_type: "im"`); returns the message ts. */
  dm(text: string, extra?: Record<string, unknown>): string;
  /** A channel message (`channel_type: "channel"`); returns the message ts. */
  say(channel: string, text: string, extra?: Record<string, unknown>): string;
  stop(): Promise<void>;
}

export interface SlackE2eOptions {
  /** Extra keys for `channels.slack`. */
  slack?: Record<string, unknown>;
  llm?: FakeLlmOptions;
  fake?: FakeSlackOptions;
  config?: Record<string, unknown>;
  /** Tokens and API URL from SLACK_* env instead of the config. */
  viaEnv?: boolean;
  /** Extra environment for the gateway (SecretRefs, SLACK_*). */
  env?: Record<string, string>;
  /** Skip waiting for the Socket Mode connection (HTTP mode, failures). */
  noWait?: boolean;
}

/** The real gateway (main.ts) with the bundled Slack plugin on Bolt, a fake Slack and a fake LLM. */
export async function startSlackE2e(options: SlackE2eOptions = {}): Promise<SlackE2e> {
  const slack = startFakeSlack(options.fake);
  const llm = startFakeOpenAI(options.llm ?? { text: "hello from the model" });
  const section = options.viaEnv ? { ...options.slack } : { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl, ...options.slack };
  const state = writeState(llm, { config: { ...options.config, channels: { slack: section } } });
  Object.assign(state.env, options.env);
  if (options.viaEnv) Object.assign(state.env, { SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken, SLACK_API_URL: slack.apiUrl });
  const booted = await bootGateway(state);
  if (!options.noWait) await until(() => slack.connected(), 10_000, "the Socket Mode connection");
  const message = (channel: string, channelType: string, text: string, extra: Record<string, unknown> = {}) => {
    const stamp = (extra.ts as string | undefined) ?? ts();
    slack.pushEvent({ type: "message", channel, channel_type: channelType, user: ALICE, text, ts: stamp, team: slack.team.id, ...extra });
    return stamp;
  };
  return {
    slack,
    llm,
    gateway: booted.gateway,
    client: booted.log.client,
    stateDir: state.stateDir,
    wsUrl: booted.wsUrl,
    env: state.env,
    dm: (text, extra) => message(ALICE_DM, "im", text, extra),
    say: (channel, text, extra) => message(channel, "channel", text, extra),
    async stop() {
      booted.log.client.close();
      await booted.gateway.stop();
      slack.stop();
      await llm.stop();
      state.cleanup();
    },
  };
}

export const codeIn = (text: unknown) => /Pairing code: ([A-Z2-9]{8})/.exec(String(text))?.[1];
