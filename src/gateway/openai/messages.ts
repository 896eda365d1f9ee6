import type { ChatMessage, ImagePart } from "../../agent/types.ts";

/** An image reference as OpenAI clients send it; only `data:` URLs are accepted (the gateway fetches nothing). */
export function parseImageUrl(url: string): ImagePart | string {
  const match = /^data:([a-z]+\/[a-z0-9.+-]+)?(;[^,]*)?,(.*)$/is.exec(url.trim());
  if (!match) {
    return `Only data: URLs are accepted for images (e.g. "data:image/png;base64,..."); got "${url.slice(0, 40)}${url.length > 40 ? "…" : ""}". Embed the image as base64.`;
  }
  const mediaType = (match[1] ?? "image/png").toLowerCase();
  if (!mediaType.startsWith("image/")) return `The data: URL has media type "${mediaType}", not an image.`;
  const base64 = /;base64/i.test(match[2] ?? "");
  const data = base64 ? match[3]!.replace(/\s+/g, "") : Buffer.from(decodeURIComponent(match[3]!)).toString("base64");
  return { mediaType, data };
}

/** Text and images of one OpenAI-style message, after the schema checked its shape. */
export interface UserTurn {
  text: string;
  images: ImagePart[];
}

/** The run input of a conversation: system text, the history before the last user message, and that message. */
export interface Conversation {
  system: string[];
  history: ChatMessage[];
  last?: UserTurn;
}

/**
 * Splits a conversation: system/developer messages become extra system prompt; the trailing user message is the
 * new message; everything before it is history. A trailing assistant/tool message means there is no new message.
 */
export function splitConversation(items: Array<{ role: string; turn: UserTurn }>): Conversation {
  const system: string[] = [];
  const rest: Array<{ role: string; turn: UserTurn }> = [];
  for (const item of items) {
    if (item.role === "system" || item.role === "developer") {
      if (item.turn.text) system.push(item.turn.text);
    } else rest.push(item);
  }
  const lastItem = rest.at(-1);
  const last = lastItem?.role === "user" ? lastItem.turn : undefined;
  const before = last ? rest.slice(0, -1) : rest;
  const history: ChatMessage[] = before.map(({ role, turn }): ChatMessage => {
    if (role === "assistant") return { role: "assistant", content: turn.text };
    if (role === "user") return { role: "user", content: turn.text, ...(turn.images.length ? { images: turn.images } : {}) };
    // Results of client-side tools: the agent has no such tool, so they reach it as context in a user message.
    return { role: "user", content: `[${role} result] ${turn.text}` };
  });
  return { system, history, last };
}
