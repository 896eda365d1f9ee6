/**
 * HTTP-mode accounts by `webhookPath`. The plugin mounts a gateway route per configured path when it registers
 * (without loading Bolt); a running account puts its request handler here, and the route passes requests on to it.
 */
export const webhookHandlers = new Map<string, (request: Request) => Promise<Response>>();

/** Paths mounted on the gateway at registration (a path added by a later config edit needs a restart). */
export const mountedPaths = new Set<string>();
