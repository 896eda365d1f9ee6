export { mountHttpApi } from "./mount.ts";
export type { HttpApiDeps } from "./deps.ts";
export { agentFromModel, modelIds, resolveTarget, userSessionKey } from "./agent-model.ts";
export { errorResponse, statusForRunError, type OpenAiErrorBody } from "./errors.ts";
export { CHAT_BODY_LIMIT } from "./chat-completions.ts";
