import { ChannelError } from "openclaw/plugin-sdk";

/** `15551234567:12@s.whatsapp.net` → `15551234567@s.whatsapp.net` (device suffix dropped). */
export function bareJid(jid: string | undefined | null): string | undefined {
  if (!jid) return undefined;
  const m = /^([^:@]+)(?::\d+)?@(.+)$/.exec(jid);
  return m ? `${m[1]}@${m[2]}` : jid;
}

export const isGroupJid = (jid: string) => jid.endsWith("@g.us");
export const isPhoneJid = (jid: string) => /@(s\.whatsapp\.net|c\.us)$/.test(jid);
export const isLidJid = (jid: string) => jid.endsWith("@lid");
/** Status updates, broadcast lists and channels (newsletters): never agent input. */
export const isIgnoredChat = (jid: string) => jid === "status@broadcast" || jid.endsWith("@broadcast") || jid.endsWith("@newsletter");

/** `15551234567@s.whatsapp.net` → `+15551234567`; other JIDs (lid, groups) stay as they are. */
export function toE164(jid: string | undefined | null): string | undefined {
  const bare = bareJid(jid);
  if (!bare) return undefined;
  const m = /^(\d+)@(s\.whatsapp\.net|c\.us)$/.exec(bare);
  return m ? `+${m[1]}` : bare;
}

/**
 * A send target as a JID: `+15551234567`, `15551234567`, `whatsapp:+1 555 123 4567` → `15551234567@s.whatsapp.net`;
 * a JID (`…@g.us`, `…@s.whatsapp.net`, `…@lid`, `…@newsletter`) as it is.
 */
export function targetJid(target: string): string {
  const raw = target.trim().replace(/^whatsapp:/i, "");
  if (raw.includes("@")) return bareJid(raw)!;
  const digits = raw.replace(/[\s().-]/g, "");
  if (/^\+?\d{5,15}$/.test(digits)) return `${digits.replace(/^\+/, "")}@s.whatsapp.net`;
  throw new ChannelError("invalid-params", `"${target}" is not a WhatsApp target: use an E.164 number (+15551234567) or a JID (…@g.us for groups).`);
}

/** An `allowFrom` entry in the form senders are compared in: `+digits`, a bare JID, or "*". */
export function normalizeEntry(entry: string | number): string {
  const raw = String(entry).trim().replace(/^whatsapp:/i, "");
  if (raw === "*") return raw;
  if (raw.includes("@")) return toE164(raw)!.toLowerCase();
  const digits = raw.replace(/[\s().-]/g, "").replace(/^\+/, "");
  return `+${digits}`;
}
