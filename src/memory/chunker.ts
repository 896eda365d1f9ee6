/** One piece of a Markdown file as indexed: its 1-based line range and the heading it sits under. */
export interface Chunk {
  startLine: number;
  endLine: number;
  /** The nearest heading at or above the chunk's first line ("" before any heading). */
  heading: string;
  text: string;
}

/** Tokens are estimated at 4 characters each (OpenClaw's estimate; no tokenizer is loaded). */
export const CHARS_PER_TOKEN = 4;

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/**
 * Splits Markdown into chunks of about `tokens` tokens whose consecutive pieces overlap by about `overlap` tokens.
 * A heading starts a new chunk once the current one is a quarter full, and a chunk never ends on a heading, so a
 * heading stays with its text. Fenced code is never split at a `#` line inside it. A line longer than a chunk is
 * cut into pieces on its own.
 */
export function chunkMarkdown(content: string, options: { tokens: number; overlap: number }): Chunk[] {
  const max = options.tokens * CHARS_PER_TOKEN;
  const overlap = options.overlap * CHARS_PER_TOKEN;
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  // The heading in force at each line, and which lines are headings (not `#` lines inside fenced code).
  const headingAt: string[] = [];
  const isHeading: boolean[] = [];
  let heading = "";
  let inFence = false;
  for (const text of lines) {
    if (/^\s*(```|~~~)/.test(text)) inFence = !inFence;
    const h = inFence ? null : HEADING.exec(text);
    if (h) heading = h[2]!;
    headingAt.push(heading);
    isHeading.push(Boolean(h));
  }

  const chunks: Chunk[] = [];
  let current: { line: number; text: string }[] = [];
  let size = 0;
  let fresh = 0; // lines added since the last flush (the rest were carried over as overlap)
  const flush = (carry: boolean) => {
    const tail: typeof current = [];
    while (current.length > 1 && isHeading[current.at(-1)!.line - 1]) tail.unshift(current.pop()!);
    if (current.some((l) => l.text.trim())) {
      const startLine = current[0]!.line;
      chunks.push({ startLine, endLine: current.at(-1)!.line, heading: headingAt[startLine - 1]!, text: current.map((l) => l.text).join("\n") });
    }
    const kept: typeof current = [];
    if (carry && overlap > 0) {
      let n = 0;
      for (let i = current.length - 1; i > 0; i--) {
        n += current[i]!.text.length + 1;
        if (n > overlap) break;
        kept.unshift(current[i]!);
      }
    }
    current = [...kept, ...tail];
    size = current.reduce((s, l) => s + l.text.length + 1, 0);
    fresh = tail.length;
  };
  lines.forEach((text, i) => {
    if (isHeading[i] && size >= max / 4) flush(false);
    for (const piece of splitLong(text, max)) {
      if (size + piece.length + 1 > max && current.length > 0) {
        if (fresh > 0) flush(true);
        else (current = []), (size = 0);
      }
      current.push({ line: i + 1, text: piece });
      size += piece.length + 1;
      fresh++;
    }
  });
  flush(false);
  return chunks;
}

function splitLong(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += max) out.push(text.slice(i, i + max));
  return out;
}
