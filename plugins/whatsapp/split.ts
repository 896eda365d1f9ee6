import { chunkMarkdown } from "openclaw/plugin-sdk";
import { toWhatsApp } from "./format.ts";

/**
 * Splits a Markdown reply into WhatsApp messages of at most `limit` characters, then converts each to WhatsApp's
 * marks. `length` (default) fills each message (breaking at paragraph, line, then word boundaries, keeping code
 * blocks whole or reopened); `newline` sends one paragraph (blank-line separated) per message where it fits,
 * falling back to length splitting for a paragraph that does not.
 */
export function splitForWhatsApp(text: string, limit: number, mode: "length" | "newline"): string[] {
  if (!text.trim()) return [];
  const pieces = mode === "newline" ? splitParagraphs(text, limit) : chunkMarkdown(text, limit);
  return pieces.map(toWhatsApp).filter((p) => p.trim());
}

function splitParagraphs(text: string, limit: number): string[] {
  const out: string[] = [];
  let inFence = false;
  let current: string[] = [];
  const flush = () => {
    const block = current.join("\n").trim();
    current = [];
    if (!block) return;
    out.push(...(block.length > limit ? chunkMarkdown(block, limit) : [block]));
  };
  for (const line of text.split("\n")) {
    if (/^\s{0,3}(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    // A blank line outside a code block ends a paragraph.
    if (!inFence && !line.trim()) flush();
    else current.push(line);
  }
  flush();
  return out;
}
