/** The token a heartbeat answers with when nothing needs attention. */
export const HEARTBEAT_TOKEN = "HEARTBEAT_OK";
/** The token any unattended run answers with to say "send nothing". */
export const NO_REPLY_TOKEN = "NO_REPLY";
/** OpenClaw's `ackMaxChars`: what is left after the token, up to this long, is still only an acknowledgement. */
export const ACK_MAX_CHARS = 300;

/**
 * What of an unattended answer should reach a chat: undefined when it is only `HEARTBEAT_OK` / `NO_REPLY` (at the
 * start or the end) with at most `ackMaxChars` of other text, or empty; the text without the token otherwise.
 *
 * @example deliverableText("HEARTBEAT_OK") // undefined
 * @example deliverableText("Your flight moved to 9:40. HEARTBEAT_OK") // undefined (short: an acknowledgement)
 */
export function deliverableText(text: string, options: { ackMaxChars?: number } = {}): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const limit = options.ackMaxChars ?? ACK_MAX_CHARS;
  for (const token of [HEARTBEAT_TOKEN, NO_REPLY_TOKEN]) {
    // Markdown emphasis around the token (**HEARTBEAT_OK**) counts as the token too.
    const pattern = new RegExp(`^[*_\`\\s]*${token}[*_\`\\s.!]*|[*_\`\\s]*${token}[*_\`\\s.!]*$`, "g");
    if (!pattern.test(trimmed)) continue;
    const rest = trimmed.replace(pattern, "").trim();
    return rest.length <= limit ? undefined : rest;
  }
  return trimmed;
}
