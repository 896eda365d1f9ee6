import { z } from "zod";

const alias = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "a provider alias: lower case letters, digits, _ and -");

/** `secrets.providers.<alias>`: where SecretRefs of a source are read (OpenClaw's keys). */
export const secretProviderSchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("env"), allowlist: z.array(z.string()).optional() }),
  z.object({
    source: z.literal("file"),
    path: z.string().min(1),
    mode: z.enum(["json", "singleValue"]).optional(),
    timeoutMs: z.number().int().positive().optional(),
    maxBytes: z.number().int().positive().optional(),
  }),
  z.object({
    source: z.literal("exec"),
    /** Required unless `pluginIntegration` names a plugin's resolver (refused by this gateway at resolution). */
    command: z.string().min(1).optional(),
    pluginIntegration: z.object({ pluginId: z.string(), integrationId: z.string() }).optional(),
    args: z.array(z.string()).optional(),
    passEnv: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    noOutputTimeoutMs: z.number().int().positive().optional(),
    maxOutputBytes: z.number().int().positive().optional(),
    jsonOnly: z.boolean().optional(),
    trustedDirs: z.array(z.string()).optional(),
  }),
]);

export const secretsSchema = z.object({
  providers: z.record(alias, secretProviderSchema).optional(),
  defaults: z.object({ env: alias.optional(), file: alias.optional(), exec: alias.optional() }).optional(),
});

export type SecretProvider = z.infer<typeof secretProviderSchema>;
export type SecretsConfig = z.infer<typeof secretsSchema>;
