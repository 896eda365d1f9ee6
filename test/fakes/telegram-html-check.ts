const ALLOWED = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);

/**
 * Parses Telegram's HTML parse mode the way the Bot API does: only its tags, properly nested, and only the
 * `&lt; &gt; &amp; &quot;` and numeric entities. Returns the visible text or the error Telegram would give.
 */
export function checkTelegramHtml(html: string): { ok: true; visible: string } | { ok: false; error: string } {
  const stack: string[] = [];
  let visible = "";
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "<") {
      const end = html.indexOf(">", i);
      if (end === -1) return { ok: false, error: `Unclosed start tag at byte offset ${i}` };
      const raw = html.slice(i + 1, end);
      const closing = raw.startsWith("/");
      const name = (closing ? raw.slice(1) : raw).trim().split(/\s+/)[0]!.toLowerCase();
      if (!ALLOWED.has(name)) return { ok: false, error: `Unsupported start tag "${name}" at byte offset ${i}` };
      if (closing) {
        if (stack.pop() !== name) return { ok: false, error: `Unmatched end tag at byte offset ${i}, expected "</${stack.at(-1) ?? ""}>", found "</${name}>"` };
      } else stack.push(name);
      i = end + 1;
      continue;
    }
    if (ch === "&") {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i, i + 12));
      if (m) {
        const e = m[1]!.toLowerCase();
        visible += e === "lt" ? "<" : e === "gt" ? ">" : e === "amp" ? "&" : e === "quot" ? '"' : "?";
        i += m[0].length;
        continue;
      }
    }
    visible += ch;
    i++;
  }
  if (stack.length) return { ok: false, error: `Can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  return { ok: true, visible };
}
