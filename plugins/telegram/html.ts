/**
 * Renders the Markdown a model writes into Telegram's HTML parse mode: **bold**, *italic*, ~~strike~~,
 * `code`, fenced blocks (`<pre><code class="language-x">`), [links](url), headings (bold), blockquotes and
 * bullet lists. Everything else is escaped text (`&`, `<`, `>`). Unbalanced input renders as literal text;
 * when the platform still refuses it, the plugin resends the plain text.
 *
 * @example markdownToTelegramHtml("**hi** <you>") // "<b>hi</b> &lt;you&gt;"
 */
export function markdownToTelegramHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !isClosingFence(lines[i]!, marker)) body.push(lines[i++]!);
      i++; // the closing fence (or past the end when the block was left open)
      const code = escapeHtml(body.join("\n"));
      const lang = fence[2];
      out.push(lang ? `<pre><code class="language-${escapeAttr(lang)}">${code}</code></pre>` : `<pre>${code}</pre>`);
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^\s{0,3}> ?/, ""));
      out.push(`<blockquote>${quoted.map(renderInline).join("\n")}</blockquote>`);
      continue;
    }
    out.push(renderLine(line));
    i++;
  }
  return out.join("\n");
}

/** Escapes text for Telegram HTML (the only three characters it requires). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttr(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

function isClosingFence(line: string, marker: string): boolean {
  const m = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return m !== null && m[1]![0] === marker[0] && m[1]!.length >= marker.length;
}

function renderLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `<b>${renderInline(heading[1]!)}</b>`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]}• ${renderInline(bullet[2]!)}`;
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return "──────────";
  return renderInline(line);
}

/** Inline spans. Code spans and links become placeholders first so their content is never re-parsed. */
export function renderInline(text: string): string {
  const held: string[] = [];
  const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
  let s = text.replace(/\u0000/g, "");
  s = s.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, __, code: string) => hold(`<code>${escapeHtml(code.trim() || code)}</code>`));
  s = s.replace(/\[([^\]\n]+)\]\((\S+?)(?:\s+"[^"]*")?\)/g, (whole, label: string, url: string) =>
    /^(https?:|tg:|mailto:)/i.test(url) ? hold(`<a href="${escapeAttr(url)}">${escapeHtml(label)}</a>`) : whole,
  );
  s = escapeHtml(s);
  s = s.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<b>$1</b>");
  s = s.replace(/(?<![\w\\])__(?=\S)([\s\S]*?\S)__(?!\w)/g, "<b>$1</b>");
  s = s.replace(/(?<![\w*\\])\*(?=[^\s*])([^*<]*?[^\s*])\*(?![\w*])/g, "<i>$1</i>");
  s = s.replace(/(?<![\w\\])_(?=[^\s_])([^_<]*?[^\s_])_(?!\w)/g, "<i>$1</i>");
  s = s.replace(/~~(?=\S)([\s\S]*?\S)~~/g, "<s>$1</s>");
  s = s.replace(/\|\|(?=\S)([\s\S]*?\S)\|\|/g, '<span class="tg-spoiler">$1</span>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]!);
}

/** Telegram HTML back to the visible text (what counts toward the platform's length limit). */
export function telegramHtmlToText(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}
