import { z } from "zod";
import { describeUnknownKey, findUnknownKeys } from "../config/unknown-keys.ts";
import type { JsonSchema } from "../plugin-sdk/types.ts";

export interface ConfigCheck {
  /** Wrong values: the plugin does not load. */
  errors: string[];
  /** Keys the plugin does not declare: reported, kept out of its view. */
  warnings: string[];
  value: unknown;
}

/** Checks a plugin's config section against its schema (a manifest's JSON Schema or a channel's zod schema). */
export function checkPluginConfig(schema: JsonSchema | z.ZodType, value: unknown, where: string, pluginId: string): ConfigCheck {
  let zod: z.ZodType;
  try {
    zod = schema instanceof z.ZodType ? schema : z.fromJSONSchema(schema as never);
  } catch (error) {
    return { errors: [`plugin ${pluginId}: its configSchema is not a JSON Schema this gateway can read (${(error as Error).message}).`], warnings: [], value };
  }
  const parsed = zod.safeParse(value ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => {
      const path = [where, ...i.path.map(String)].join(".");
      const found = i.code === "unrecognized_keys" ? `unknown key(s) ${(i as { keys?: string[] }).keys?.join(", ")}` : i.message;
      return `${path}: ${found} (plugin ${pluginId}); fix the value or remove it.`;
    });
    return { errors, warnings: [], value };
  }
  const warnings = schema instanceof z.ZodType ? findUnknownKeys(zod, value, where).map((k) => `${describeUnknownKey(k)} (plugin ${pluginId})`) : [];
  return { errors: [], warnings, value: parsed.data };
}
