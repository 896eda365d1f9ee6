import { z } from "zod";

/**
 * `cron.*` config, OpenClaw's names: `enabled` (default true), `webhookToken` (sent as `Authorization: Bearer` on
 * every automation webhook POST), `webhookSsrfPolicy` (webhook targets are public addresses only unless an exact
 * host is listed in `allowedHostnames` or `dangerouslyAllowPrivateNetwork` is true).
 */
export const cronConfigSchema = () =>
  z.object({
    enabled: z.boolean().optional(),
    webhookToken: z.string().min(1).optional(),
    webhookSsrfPolicy: z
      .object({
        allowedHostnames: z.array(z.string().min(1)).optional(),
        dangerouslyAllowPrivateNetwork: z.boolean().optional(),
      })
      .optional(),
  });
export type CronConfig = z.infer<ReturnType<typeof cronConfigSchema>>;
