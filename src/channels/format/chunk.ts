/**
 * Splits Markdown into pieces of at most `limit` characters, preferring paragraph, then line, then word
 * boundaries. A fenced code block that must be split is closed at the end of one piece and reopened (with its
 * language) at the start of the next, so every piece renders on its own.
 *
 * @example chunkMarkdown("a\n\nb", 2) // ["a", "b"]
 */
export function chunkMarkdown(text: string, limit: number): string[] {
  if (limit < 16) throw new RangeError(`chunk limit ${limit} is too small: use at least 16 characters`);
  const chunks: string[] = [];
  let rest = text.replace(/\s+$/, "");
  while (rest.length > limit) {
    const { head, tail } = splitOnce(rest, limit);
    if (head.trim()) chunks.push(head.replace(/\s+$/, ""));
    rest = tail;
  }
  if (rest.trim()) chunks.push(rest);
  return chunks;
}

interface Line {
  /** Index of the line's first character. */
  start: number;
  /** Index of the line's `\n` (or text.length). */
  end: number;
  /** The opening fence line still open after this line, if any. */
  openFence: string | null;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})(.*)$/;

function scanLines(text: string): Line[] {
  const lines: Line[] = [];
  let open: string | null = null;
  let marker = "";
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    const fence = FENCE.exec(line);
    if (fence) {
      if (open === null) {
        open = line.trim();
        marker = fence[1]!;
      } else if (fence[1]!.startsWith(marker[0]!) && fence[1]!.length >= marker.length && !fence[2]!.trim()) {
        open = null;
      }
    }
    lines.push({ start, end, openFence: open });
    if (end === text.length) break;
    start = end + 1;
  }
  return lines;
}

function closingFor(opener: string): string {
  return /^(`{3,}|~{3,})/.exec(opener)?.[1] ?? "```";
}

function splitOnce(text: string, limit: number): { head: string; tail: string } {
  const lines = scanLines(text);
  // Room for "\n```" when the cut lands inside a code block.
  const reserve = 8;
  // A fence's opening line is no place to cut: the reopened fence would make no progress.
  const candidates = lines.filter(
    (l, i) => l.end < text.length && l.end <= limit - (l.openFence ? reserve : 0) && !(l.openFence && !lines[i - 1]?.openFence),
  );
  const half = limit / 2;
  const pick =
    candidates.findLast((l) => !l.openFence && l.end >= half && isBlankAfter(text, lines, l)) ??
    candidates.findLast((l) => !l.openFence && l.end >= half) ??
    candidates.findLast((l) => l.openFence !== null && l.end >= half) ??
    candidates.findLast((l) => l.end > 0);
  if (pick) return cutAtLine(text, pick);

  // One line longer than the limit: cut at the last space, else hard (never inside a surrogate pair).
  const first = lines.find((l) => l.end > limit - reserve) ?? lines[0]!;
  const inFence = lineFenceBefore(lines, first);
  const room = limit - (inFence ? reserve : 0);
  let cut = text.lastIndexOf(" ", room);
  if (cut <= first.start) cut = room;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  const head = text.slice(0, cut);
  const tail = text.slice(cut).replace(/^ /, "");
  if (!inFence) return { head, tail };
  return { head: `${head}\n${closingFor(inFence)}`, tail: `${inFence}\n${tail}` };
}

function lineFenceBefore(lines: Line[], line: Line): string | null {
  const index = lines.indexOf(line);
  return index > 0 ? lines[index - 1]!.openFence : null;
}

function isBlankAfter(text: string, lines: Line[], line: Line): boolean {
  const next = lines[lines.indexOf(line) + 1];
  return next !== undefined && text.slice(next.start, next.end).trim() === "";
}

function cutAtLine(text: string, line: Line): { head: string; tail: string } {
  const head = text.slice(0, line.end);
  const rest = text.slice(line.end + 1);
  if (!line.openFence) return { head, tail: rest.replace(/^(\s*\n)+/, "") };
  return { head: `${head}\n${closingFor(line.openFence)}`, tail: `${line.openFence}\n${rest}` };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
