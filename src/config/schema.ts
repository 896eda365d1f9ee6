import { z } from "zod";
import { memorySchema } from "./memory-schema.ts";
import { mcpConfigSchema } from "../mcp/config-schema.ts";
import { transientSchema } from "../protocol/lazy-schema.ts";
import { secretsSchema } from "./secrets-schema.ts";
import { cronConfigSchema } from "../automation/config-schema.ts";

/**
 * The one source of truth for the config keys this gateway implements, with OpenClaw's names.
 * Objects strip keys they do not know; `findUnknownKeys` (unknown-keys.ts) reports those as warnings,
 * so a config written for OpenClaw always loads.
 *
 * Each part is a function, and `configSchema()` builds the whole when asked: validating needs it at start, on a
 * reload and on `config.set`, and in between the next garbage collection releases its ~750 nodes (~2.5 MB).
 */

const port = () => z.number().int().min(1).max(65535);

const modelRef = () =>
  z.union([
    z.string().min(1),
    z.object({ primary: z.string().min(1).optional(), fallbacks: z.array(z.string().min(1)).optional() }),
  ]);

const heartbeat = () =>
  z.object({
    every: z.string().regex(/^\d+(ms|s|m|h)$/, "a duration like 30m, 1h or 0m").optional(),
    activeHours: z.object({ start: z.string(), end: z.string(), timezone: z.string().optional() }).optional(),
    target: z.string().optional(),
    to: z.string().optional(),
    accountId: z.string().optional(),
    prompt: z.string().optional(),
    timeoutSeconds: z.number().int().positive().optional(),
  });

const agentSettings = () => ({
  name: z.string().optional(),
  model: modelRef().optional(),
  workspace: z.string().optional(),
  heartbeat: heartbeat().optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  maxConcurrent: z.number().int().positive().optional(),
  compaction: z
    .object({
      mode: z.enum(["default", "safeguard", "off"]).optional(),
      reserveTokens: z.number().int().nonnegative().optional(),
      keepRecentTokens: z.number().int().positive().optional(),
      /** A silent turn before compaction asks the model to write lasting facts to today's memory note (default on). */
      memoryFlush: z.object({ enabled: z.boolean().optional() }).optional(),
    })
    .optional(),
  skipBootstrap: z.boolean().optional(),
  skills: z.array(z.string()).optional(),
  tools: z
    .object({
      profile: z.enum(["minimal", "coding", "messaging", "full"]).optional(),
      allow: z.array(z.string()).optional(),
      deny: z.array(z.string()).optional(),
    })
    .optional(),
});

const agentEntry = () => z.object({ ...agentSettings(), default: z.boolean().optional(), memory: memorySchema().optional() });

const peer = () => z.object({ kind: z.enum(["direct", "dm", "group", "channel"]), id: z.string() });

const binding = () =>
  z.object({
    agentId: z.string().min(1),
    match: z.object({
      channel: z.string().optional(),
      accountId: z.string().optional(),
      peer: peer().optional(),
      guildId: z.string().optional(),
      teamId: z.string().optional(),
      roles: z.array(z.string()).optional(),
    }),
    session: z.object({ dmScope: z.enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"]).optional() }).optional(),
  });

const providerModel = () =>
  z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    contextWindow: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
    reasoning: z.boolean().optional(),
    input: z.array(z.enum(["text", "image"])).optional(),
  });

const provider = () =>
  z.object({
    /** A built-in wire protocol, or one a plugin registers (`api.registerProvider`). */
    api: z.string().min(1).optional(),
    baseUrl: z.string().optional(),
    apiKey: z.union([z.string(), z.array(z.string())]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    models: z.array(providerModel()).optional(),
  });

/**
 * `channels.<id>` belongs to the plugin that provides channel `<id>`: the core only knows `enabled`; the plugin's own
 * schema checks the rest when it loads (src/plugins/load.ts), and a section no plugin provides gets one warning.
 */
const channelSection = () => z.looseObject({ enabled: z.boolean().optional() });

const pluginEntry = () =>
  z.object({
    enabled: z.boolean().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    hooks: z.object({ allowConversationAccess: z.boolean().optional(), allowPromptInjection: z.boolean().optional() }).optional(),
  });

const dmScope = () => z.enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"]);

const buildConfigSchema = () => {
  const agent = agentEntry();
  return z.object({
    $schema: z.string().optional(),
    meta: z.object({ lastTouchedVersion: z.string().optional(), lastTouchedAt: z.string().optional() }).optional(),
    gateway: z
      .object({
        port: port().optional(),
        mode: z.enum(["local", "remote"]).optional(),
        bind: z.enum(["loopback", "lan", "tailnet", "auto", "custom"]).optional(),
        customBindHost: z.string().optional(),
        auth: z
          .object({
            mode: z.enum(["none", "token", "password", "trusted-proxy"]).optional(),
            token: z.string().optional(),
            password: z.string().optional(),
          })
          .optional(),
        reload: z.object({ mode: z.enum(["hybrid", "hot", "restart", "off"]).optional(), debounceMs: z.number().int().nonnegative().optional() }).optional(),
        http: z
          .object({
            endpoints: z
              .object({
                chatCompletions: z.object({ enabled: z.boolean().optional() }).optional(),
                responses: z.object({ enabled: z.boolean().optional() }).optional(),
              })
              .optional(),
            /** Ours (OpenClaw has no such key): a streaming client that reads nothing this long while its stream is full is dropped (default 30000). */
            streamStallTimeoutMs: z.number().int().positive().optional(),
          })
          .optional(),
        tools: z.object({ allow: z.array(z.string()).optional(), deny: z.array(z.string()).optional() }).optional(),
        controlUi: z.object({ enabled: z.boolean().optional(), basePath: z.string().optional() }).optional(),
      })
      .optional(),
    agents: z
      .object({
        defaults: z.object(agentSettings()).optional(),
        entries: z.record(z.string(), agent).optional(),
        list: z.array(agent.extend({ id: z.string().min(1) })).optional(),
      })
      .optional(),
    bindings: z.array(binding()).optional(),
    models: z
      .object({
        mode: z.enum(["merge", "replace"]).optional(),
        providers: z.record(z.string(), provider()).optional(),
      })
      .optional(),
    channels: z.record(z.string(), channelSection().optional()).optional(),
    plugins: z
      .object({
        enabled: z.boolean().optional(),
        allow: z.array(z.string()).optional(),
        deny: z.array(z.string()).optional(),
        load: z.object({ paths: z.array(z.string()).optional() }).optional(),
        entries: z.record(z.string(), pluginEntry()).optional(),
      })
      .optional(),
    session: z
      .object({
        dmScope: dmScope().optional(),
        reset: z
          .object({
            mode: z.enum(["none", "daily", "idle"]).optional(),
            atHour: z.number().int().min(0).max(23).optional(),
            idleMinutes: z.number().int().positive().optional(),
          })
          .optional(),
      })
      .optional(),
    hooks: z
      .object({
        enabled: z.boolean().optional(),
        token: z.string().optional(),
        path: z.string().optional(),
        defaultSessionKey: z.string().optional(),
        allowRequestSessionKey: z.boolean().optional(),
        allowedSessionKeyPrefixes: z.array(z.string()).optional(),
        mappings: z
          .array(
            z.object({
              id: z.string().optional(),
              match: z.object({ path: z.string().optional(), source: z.string().optional() }).optional(),
              action: z.enum(["wake", "agent"]).optional(),
              agentId: z.string().optional(),
              sessionKey: z.string().optional(),
              messageTemplate: z.string().optional(),
              name: z.string().optional(),
              deliver: z.boolean().optional(),
              channel: z.string().optional(),
              to: z.string().optional(),
              model: z.string().optional(),
              timeoutSeconds: z.number().positive().optional(),
            }),
          )
          .optional(),
      })
      .optional(),
    cron: cronConfigSchema().optional(),
    tools: z
      .object({
        profile: z.enum(["minimal", "coding", "messaging", "full"]).optional(),
        allow: z.array(z.string()).optional(),
        deny: z.array(z.string()).optional(),
        /** false: always offer every tool's schema; true: always defer plugin tools behind tool_search; unset: by size. */
        toolSearch: z.boolean().optional(),
        exec: z
          .object({
            sandbox: z.enum(["auto", "bwrap", "off"]).optional(),
            timeoutSec: z.number().int().positive().optional(),
            yieldMs: z.number().int().nonnegative().optional(),
            allowNetwork: z.boolean().optional(),
            /** Memory cap per exec call, docker notation ("1g", "512m") or bytes (default 1 GiB). */
            memory: z.union([z.string().regex(/^\s*\d+(\.\d+)?\s*[kmgtKMGT]?[iI]?[bB]?\s*$/, 'a size such as "1g" or "512m"'), z.number().int().positive()]).optional(),
            /** Most processes per exec call (default 256). */
            pidsLimit: z.number().int().positive().optional(),
          })
          .optional(),
        web: z.object({ fetch: z.object({ allowPrivateNetwork: z.boolean().optional(), maxChars: z.number().int().positive().optional() }).optional(), search: z.object({ enabled: z.boolean().optional(), provider: z.string().optional() }).optional() }).optional(),
      })
      .optional(),
    logging: z.object({ level: z.enum(["debug", "info", "warn", "error", "silent"]).optional(), file: z.string().optional(), maxFileBytes: z.number().int().positive().optional() }).optional(),
    skills: z
      .object({
        load: z.object({ extraDirs: z.array(z.string()).optional(), allowSymlinkTargets: z.array(z.string()).optional() }).optional(),
        limits: z
          .object({
            maxCandidatesPerRoot: z.number().int().nonnegative().optional(),
            maxSkillsLoadedPerSource: z.number().int().nonnegative().optional(),
            maxSkillsInPrompt: z.number().int().nonnegative().optional(),
            maxSkillsPromptChars: z.number().int().nonnegative().optional(),
            maxSkillFileBytes: z.number().int().positive().optional(),
          })
          .optional(),
        entries: z
          .record(
            z.string(),
            z.object({
              enabled: z.boolean().optional(),
              env: z.record(z.string(), z.string()).optional(),
              apiKey: z.string().optional(),
            }),
          )
          .optional(),
      })
      .optional(),
    secrets: secretsSchema().optional(),
    memory: memorySchema().optional(),
    mcp: mcpConfigSchema().optional(),
  });
};

/** The config schema, built on the first call after the last one was collected. */
export const configSchema = transientSchema(buildConfigSchema);

/** The config as written by the user (every key optional). */
export type Config = z.infer<ReturnType<typeof buildConfigSchema>>;
export type ProviderConfig = z.infer<ReturnType<typeof provider>>;
export type BindingConfig = z.infer<ReturnType<typeof binding>>;
export type AgentEntryConfig = z.infer<ReturnType<typeof agentEntry>>;
export type DmScope = z.infer<ReturnType<typeof dmScope>>;

export const DEFAULT_PORT = 18789;
export const DEV_PORT = 19001;
