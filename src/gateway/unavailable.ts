import type { StartOptions } from "../main.ts";
import { createGateway } from "./create.ts";

/**
 * A gateway that cannot serve (its state database is damaged) but stays up to say so: `/health` answers alive,
 * `/readyz` 503 with the reason and what to do, every other request 503 with the same message, and WS connects are
 * refused with it. The service manager and the user see why instead of a crash loop or a "ready" gateway that fails
 * every chat.
 */
export function startUnavailableGateway(options: StartOptions, reason: { code: string; message: string }) {
  const gateway = createGateway(options);
  gateway.markUnavailable(reason);
  gateway.app.all("*", (c) => c.json({ error: { code: reason.code, message: reason.message } }, 503));
  gateway.listen();
  return gateway;
}
