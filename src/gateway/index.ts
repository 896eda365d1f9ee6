export { createGateway, type Gateway, type GatewayDeps } from "./create.ts";
export { GatewayError, GatewayStartError, type StartErrorCode } from "./errors.ts";
export { createMethodRegistry, type MethodRegistry, type MethodContext, type MethodDef } from "./methods.ts";
export { resolveGatewaySettings, isLoopbackAddress, type GatewaySettings } from "./settings.ts";
export { readLiveLock, type LockInfo } from "./lock.ts";
export { mountControlUi } from "./http.ts";
