import { z } from "zod";

const alias = () => z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "a provider alias: lower case letters, digits, _ and -");

/**
 * `secrets.providers.<alias>`: where SecretRefs of a source are read (OpenClaw's keys). One object for every source
 * (the unknown-key check reads plain objects): env takes `allowlist`; file `path`, `mode`, `maxBytes`; exec
 * `command`, `args`, `passEnv`, `env`, `timeoutMs`, `noOutputTimeoutMs`, `maxOutputBytes`, `jsonOnly`, `trustedDirs`
 * (or `pluginIntegration`, which this gateway refuses when a ref uses it).
 */
export const secretProviderSchema = () =>
  z
    .object({
      source: z.enum(["env", "file", "exec"]),
      allowlist: z.array(z.string()).optional(),
      path: z.string().min(1).optional(),
      mode: z.enum(["json", "singleValue"]).optional(),
      maxBytes: z.number().int().positive().optional(),
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
    })
    .superRefine((p, ctx) => {
      if (p.source === "file" && !p.path) ctx.addIssue({ code: "custom", path: ["path"], message: "a file provider needs path" });
      if (p.source === "exec" && !p.command && !p.pluginIntegration) ctx.addIssue({ code: "custom", path: ["command"], message: "an exec provider needs command" });
    });

/** Built on each call (the config schema is transient, see schema.ts). */
export const secretsSchema = () =>
  z.object({
    providers: z.record(alias(), secretProviderSchema()).optional(),
    defaults: z.object({ env: alias().optional(), file: alias().optional(), exec: alias().optional() }).optional(),
  });

export type SecretProvider = z.infer<ReturnType<typeof secretProviderSchema>>;
export type SecretsConfig = z.infer<ReturnType<typeof secretsSchema>>;
