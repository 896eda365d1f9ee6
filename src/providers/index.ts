export type { Provider, ProviderApi, ProviderEntry, ProviderEvent, ProviderRequest, StopReason, ToolSpec, ModelInfo } from "./types.ts";
export { createProviderRegistry, type ProviderRegistry, type ProviderRegistryOptions, type ModelListing, type ResolvedModel } from "./registry.ts";
export { createProvider } from "./connection.ts";
export { createOllamaProbe, type OllamaProbe } from "./ollama-probe.ts";
export { classifyProviderError, parseRetryAfter, runError } from "./errors.ts";
export { BUILTIN_PROVIDERS, NO_PROVIDER_HELP } from "./builtins.ts";
