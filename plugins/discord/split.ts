import { chunkMarkdown } from "openclaw/plugin-sdk";

const FENCE = /^\s{0,3}(`{3,}|~{3,})(.*)$/;
/** Room kept for a fence closed at the end of a piece and reopened at the start of the next. */
const FENCE_ROOM = 48;

/**
 * Splits Markdown for Discord: at most `limit` characters (2000) and `maxLines` lines (17) a message. Characters are
 * split by the SDK's `chunkMarkdown`; a piece that is still too tall is cut between lines, and a code block cut
 * there is closed and reopened with its language, so every message renders on its own.
 */
export function splitForDiscord(text: string, limit: number, maxLines: number): string[] {
  const pieces = chunkMarkdown(text, Math.max(16, limit - FENCE_ROOM));
  if (maxLines <= 0) return pieces;
  return pieces.flatMap((piece) => splitLines(piece, Math.max(3, maxLines)));
}

function splitLines(piece: string, maxLines: number): string[] {
  const lines = piece.split("\n");
  if (lines.length <= maxLines) return [piece];
  const out: string[] = [];
  let current: string[] = [];
  let open: { line: string; marker: string } | null = null;
  let openAtStart: { line: string; marker: string } | null = null;
  const flush = () => {
    const body = [...current];
    if (open) body.push(open.marker);
    if (body.some((l) => l.trim())) out.push(body.join("\n").replace(/\s+$/, ""));
    current = open ? [open.line] : [];
    openAtStart = open;
  };
  for (const line of lines) {
    // A line must fit with the closing fence this piece may need.
    if (current.length + 1 + (open ? 1 : 0) > maxLines && current.length > (openAtStart ? 1 : 0)) flush();
    current.push(line);
    const m = FENCE.exec(line);
    if (m) {
      if (!open) open = { line, marker: m[1]! };
      else if (m[1]!.startsWith(open.marker[0]!) && m[1]!.length >= open.marker.length && !m[2]!.trim()) open = null;
    }
  }
  if (current.length > (openAtStart ? 1 : 0)) {
    if (open) current.push(open.marker);
    out.push(current.join("\n").replace(/\s+$/, ""));
  }
  return out;
}
