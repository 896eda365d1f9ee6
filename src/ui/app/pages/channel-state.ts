import type { ChannelAccountStatus } from "../../../channels/types.ts";

/** A channel account's state as a label and a tone (ok, warn, bad, off), for pills. */
export function channelState(a: ChannelAccountStatus): { label: string; tone: string } {
  if (!a.enabled) return { label: "disabled", tone: "off" };
  if (!a.configured) return { label: "not configured", tone: "off" };
  if (a.connected) return { label: "connected", tone: "ok" };
  if (a.running) return { label: "starting", tone: "warn" };
  return { label: a.lastError ? "failed" : "stopped", tone: a.lastError ? "bad" : "off" };
}
