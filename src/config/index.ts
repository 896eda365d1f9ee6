export { configSchema, DEFAULT_PORT, DEV_PORT } from "./schema.ts";
export type { Config, ProviderConfig, BindingConfig, AgentEntryConfig, DmScope } from "./schema.ts";
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from "./errors.ts";
export { loadConfig, readRawConfig, resolveConfig, validateConfig, loadDotEnv, deepMerge, type LoadedConfig } from "./load.ts";
export { writeConfig, getPath, setPath } from "./write.ts";
export { resolvePaths, expandHome, type Paths, type PathOptions } from "./paths.ts";
export { findUnknownKeys, describeUnknownKey, type UnknownKey } from "./unknown-keys.ts";
