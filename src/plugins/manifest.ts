import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PluginError } from "./errors.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

const jsonSchema = lazySchema(() => z.record(z.string(), z.unknown()));

/** `openclaw.plugin.json`: every plugin has one, even with no config. Unknown keys are kept (OpenClaw has many). */
export const manifestSchema = lazySchema(() => z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-', starting with a letter or digit").max(64),
  name: z.string().optional(),
  description: z.string().optional(),
  version: z.string().optional(),
  categories: z.array(z.string()).optional(),
  contracts: z.looseObject({ tools: z.array(z.string()).optional() }).optional(),
  activation: z.looseObject({ onStartup: z.boolean().optional() }).optional(),
  /** Channel ids this plugin provides (`channels.<id>`); a channel plugin loads only when its section is configured. */
  channels: z.array(z.string()).optional(),
  /** Skill folders inside the plugin, relative to it. */
  skills: z.array(z.string()).optional(),
  configSchema: jsonSchema(),
}));
export type PluginManifest = z.infer<ReturnType<typeof manifestSchema>>;

const packageSchema = lazySchema(() => z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  openclaw: z.looseObject({ extensions: z.array(z.string()).min(1).optional() }).optional(),
}));

/** Reads and checks a plugin folder's manifest and package.json; names the file and field on any problem. */
export function readPluginFolder(dir: string): { manifest: PluginManifest; entries: string[]; version?: string } {
  const manifestPath = join(dir, "openclaw.plugin.json");
  if (!existsSync(manifestPath)) throw new PluginError("manifest", `${dir} has no openclaw.plugin.json: every plugin needs one ({"id", "configSchema"} at least).`);
  const manifest = parseJsonFile(manifestPath, manifestSchema());
  const pkgPath = join(dir, "package.json");
  const pkg = existsSync(pkgPath) ? parseJsonFile(pkgPath, packageSchema()) : undefined;
  const entries = pkg?.openclaw?.extensions ?? ["index.ts", "index.js", "index.mjs"].filter((f) => existsSync(join(dir, f))).slice(0, 1);
  if (entries.length === 0) throw new PluginError("manifest", `${pkgPath}: "openclaw.extensions" names no entry file (e.g. ["./index.ts"]).`);
  return { manifest, entries, version: manifest.version ?? pkg?.version };
}

function parseJsonFile<T extends z.ZodType>(path: string, schema: T): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PluginError("manifest", `${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`).join("; ");
    throw new PluginError("manifest", `${path}: ${issues}.`);
  }
  return parsed.data;
}
