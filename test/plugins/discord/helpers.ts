import { bootGateway, until, writeState } from "../../e2e/helpers.ts";
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type FakeGuild } from "../../fakes/discord.ts";
import { startFakeOpenAI, type FakeLlm, type FakeLlmOptions } from "../../fakes/llm/index.ts";

export const GUILD = "100000000000000001";
export const GENERAL = "100000000000000011";
export const RANDOM = "100000000000000012";
export const THREAD = "100000000000000021";
export const ROLE_MOD = "100000000000000031";
export const ROLE_BOT = "100000000000000032";
export const alice = { id: "500000000000000001", username: "alice" };
export const bob = { id: "500000000000000002", username: "bob" };
export const otherBot = { id: "500000000000000009", username: "helper-bot", bot: true };

export const testGuild = (): FakeGuild => ({
  id: GUILD,
  name: "Test Server",
  channels: [
    { id: GENERAL, name: "general" },
    { id: RANDOM, name: "random" },
  ],
  threads: [{ id: THREAD, name: "a thread", parentId: GENERAL }],
  roles: [
    { id: ROLE_MOD, name: "mods" },
    { id: ROLE_BOT, name: "Claw" },
  ],
  botRoles: [ROLE_BOT],
});

export interface DiscordE2e {
  discord: FakeDiscord;
  llm: FakeLlm;
  gateway: Awaited<ReturnType<typeof bootGateway>>["gateway"];
  client: Awaited<ReturnType<typeof bootGateway>>["log"]["client"];
  stateDir: string;
  wsUrl: string;
  env: Record<string, string | undefined>;
  stop(): Promise<void>;
}

export interface DiscordE2eOptions {
  /** Extra keys for `channels.discord`. */
  discord?: Record<string, unknown>;
  llm?: FakeLlmOptions;
  fake?: FakeDiscordOptions;
  config?: Record<string, unknown>;
  /** Point the plugin at the fake through `apiUrl` in the config instead of DISCORD_API_URL. */
  viaConfig?: boolean;
}

/** The real gateway (main.ts) with the bundled Discord plugin on discord.js, a fake Discord and a fake LLM. */
export async function startDiscordE2e(options: DiscordE2eOptions = {}): Promise<DiscordE2e> {
  const discord = startFakeDiscord({ guilds: [testGuild()], ...options.fake });
  const llm = startFakeOpenAI(options.llm ?? { text: "hello from the model" });
  const section = { token: discord.token, ...(options.viaConfig ? { apiUrl: discord.apiUrl } : {}), ...options.discord };
  const state = writeState(llm, { config: { ...options.config, channels: { discord: section } } });
  if (!options.viaConfig) state.env.DISCORD_API_URL = discord.apiUrl;
  const booted = await bootGateway(state);
  if (!options.fake?.identifyCloseCode) await until(() => discord.connected(), 10_000, "the bot's gateway connection");
  return {
    discord,
    llm,
    gateway: booted.gateway,
    client: booted.log.client,
    stateDir: state.stateDir,
    wsUrl: booted.wsUrl,
    env: state.env,
    async stop() {
      booted.log.client.close();
      await booted.gateway.stop();
      discord.stop();
      await llm.stop();
      state.cleanup();
    },
  };
}

export const codeIn = (text: unknown) => /Pairing code: ([A-Z2-9]{8})/.exec(String(text))?.[1];
