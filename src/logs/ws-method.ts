import { z } from "zod";
import { GatewayError } from "../gateway/errors.ts";
import type { MethodRegistry } from "../gateway/methods.ts";
import { MAX_TAIL_BYTES, MAX_TAIL_LINES, readLogTail } from "./tail.ts";
import { lazySchema } from "../protocol/lazy-schema.ts";

const LogsTailParams = lazySchema(() => z
  .object({
    cursor: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(MAX_TAIL_LINES).optional(),
    maxBytes: z.number().int().min(1).max(MAX_TAIL_BYTES).optional(),
  })
  .optional());

/**
 * `logs.tail {cursor?, limit?, maxBytes?}` → `{file, cursor, size, lines: string[], truncated?, reset?}` (OpenClaw's
 * shape): the newest lines of the gateway's log file, or with the cursor of the last answer only what came since.
 * `flush` writes the lines the logger still holds (it writes at most every 10 ms), so the answer has all of them.
 */
export function registerLogsMethod(methods: MethodRegistry, file: () => string, flush?: () => void): void {
  methods.register("logs.tail", {
    scope: "operator.read",
    params: LogsTailParams,
    handler: (params) => {
      try {
        flush?.();
        return readLogTail(file(), params ?? {});
      } catch (error) {
        throw new GatewayError("UNAVAILABLE", `log read failed: ${(error as Error).message}`);
      }
    },
  });
}
