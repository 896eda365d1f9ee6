import { defineCommand } from "citty";
import JSON5 from "json5";
import { z } from "zod";
import { ConfigError } from "../config/errors.ts";
import { readRawConfig } from "../config/load.ts";
import { configSchema } from "../config/schema.ts";
import { getPath, setPath, writeConfig } from "../config/write.ts";
import { currentIo } from "./index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";

type Action = "get" | "set" | "unset" | "file" | "validate" | "schema";

/** `openclaw config <action>`: edits are validated first and written atomically; a bad edit touches nothing. */
export async function runConfig(action: Action, args: { path?: string; value?: string; json?: boolean }, io: CliIo): Promise<number> {
  const ctx = cliContext(io);
  const file = ctx.paths.configPath;
  try {
    switch (action) {
      case "file":
        io.out(file);
        return 0;
      case "schema":
        io.out(JSON.stringify(z.toJSONSchema(configSchema(), { unrepresentable: "any" }), null, 2));
        return 0;
      case "validate": {
        const loaded = loadCliConfig(ctx);
        if (!loaded.exists) {
          io.out(`No config at ${file} yet; defaults apply (openclaw up writes one).`);
          return 0;
        }
        for (const w of loaded.warnings) io.err(`warning: ${w}`);
        io.out(`Config ${file} is valid${loaded.warnings.length ? ` (${loaded.warnings.length} keys ignored)` : ""}.`);
        return 0;
      }
      case "get": {
        const config = loadCliConfig(ctx).config;
        const value = args.path ? getPath(config, args.path) : config;
        if (value === undefined) {
          io.err(`${args.path} is not set.`);
          return 1;
        }
        io.out(typeof value === "string" && !args.json ? value : JSON.stringify(value, null, 2));
        return 0;
      }
      case "set":
      case "unset": {
        if (!args.path) {
          io.err(`Usage: openclaw config ${action} <path>${action === "set" ? " <value>" : ""}`);
          return 2;
        }
        if (action === "set" && args.value === undefined) {
          io.err("Usage: openclaw config set <path> <value> (the value is JSON5, or a plain string)");
          return 2;
        }
        const next = setPath(readRawConfig(file), args.path, action === "set" ? parseValue(args.value!) : undefined);
        const { backupPath } = writeConfig(file, next, { env: ctx.env });
        io.out(action === "set" ? `Set ${args.path} in ${file}.` : `Removed ${args.path} from ${file}.`);
        if (backupPath) io.out(`The file was JSON5 with comments or such; it is now plain JSON, and the previous version is kept at ${backupPath}.`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

function parseValue(text: string): unknown {
  try {
    return JSON5.parse(text);
  } catch {
    return text;
  }
}

const pathArg = { path: { type: "positional", required: true, description: "Dotted key path, e.g. gateway.port" } } as const;

export const configCommand = defineCommand({
  meta: { name: "config", description: "Read, change and validate the config" },
  subCommands: {
    get: defineCommand({
      meta: { name: "get", description: "Print a key (or the whole config)" },
      args: { path: { type: "positional", required: false, description: "Dotted key path" }, json: { type: "boolean", description: "JSON output" } },
      async run({ args }) {
        process.exitCode = await runConfig("get", args, currentIo());
      },
    }),
    set: defineCommand({
      meta: { name: "set", description: "Set a key (value is JSON5 or a plain string)" },
      args: { ...pathArg, value: { type: "positional", required: true, description: "Value" } },
      async run({ args }) {
        process.exitCode = await runConfig("set", args, currentIo());
      },
    }),
    unset: defineCommand({
      meta: { name: "unset", description: "Remove a key" },
      args: pathArg,
      async run({ args }) {
        process.exitCode = await runConfig("unset", args, currentIo());
      },
    }),
    file: defineCommand({ meta: { name: "file", description: "Print the config file's path" }, run: async () => void (process.exitCode = await runConfig("file", {}, currentIo())) }),
    validate: defineCommand({ meta: { name: "validate", description: "Check the config" }, run: async () => void (process.exitCode = await runConfig("validate", {}, currentIo())) }),
    schema: defineCommand({ meta: { name: "schema", description: "Print the config's JSON Schema" }, run: async () => void (process.exitCode = await runConfig("schema", {}, currentIo())) }),
  },
});
