export type {
  Channel,
  ChannelAccountStatus,
  ChannelCreateOptions,
  ChannelLogger,
  ChannelMessageSink,
  ChannelPlugin,
  ChannelPluginLoader,
  ChannelRuntimeStatus,
  ChatKind,
  InboundContext,
  InboundHandler,
  InboundMedia,
  InboundMessage,
  OutboundMedia,
  OutboundMessage,
  SendTarget,
  SentMessage,
} from "./types.ts";
export { ChannelError, type ChannelErrorCode } from "./errors.ts";
export { createChannelManager, type ChannelManager, type ChannelManagerDeps } from "./manager.ts";
export { createPairingStore, PAIRING_ALPHABET, type PairingStore, type PairingApproval, type PairingOutcome, type PairingRequest } from "./pairing.ts";
export { accessConfigShape, decideAccess, resolveAccessPolicy, withAccounts, type AccessPolicy, type AccessDecision } from "./access.ts";
export { createChannelMethods, type ChannelMethodHandler } from "./ws-methods.ts";
export { createDraftStream, keepTyping, type DraftStream } from "./draft-stream.ts";
export { replyTargetOf } from "./gate.ts";
export { openStateDb } from "./state-db.ts";
export { chunkMarkdown } from "./format/index.ts";
