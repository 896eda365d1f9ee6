// A small Markdown renderer for chat answers. Safe by construction: the text is HTML-escaped before any markup
// is added, and only the tags below are ever produced; links are kept only for http(s) and mailto URLs.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

// Placeholders for finished HTML (code spans, links) so later inline rules cannot reach inside them.
const SLOT = "\u0000";

function inline(escaped: string): string {
  const slots: string[] = [];
  const keep = (html: string) => `${SLOT}${slots.push(html) - 1}${SLOT}`;
  let s = escaped.replace(/`([^`\n]+)`/g, (_, code: string) => keep(`<code>${code}</code>`));
  s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) =>
    /^(https?:\/\/|mailto:)/i.test(url) ? keep(`<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>`) : whole,
  );
  s = s.replace(/(^|[\s(])(https?:\/\/[^\s<]+[^\s<.,;:!?)'"])/g, (_, lead: string, url: string) =>
    lead + keep(`<a href="${url}" target="_blank" rel="noopener noreferrer">${url}</a>`),
  );
  s = s
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/__(?=\S)([\s\S]*?\S)__/g, "<strong>$1</strong>")
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "<del>$1</del>")
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_(?=\S)([^_\n]*?\S)_(?![_\w])/g, "$1<em>$2</em>");
  return s.replace(new RegExp(`${SLOT}(\\d+)${SLOT}`, "g"), (_, i: string) => slots[Number(i)]!);
}

const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*(\d+)[.)]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*$/;
const QUOTE = /^&gt;\s?(.*)$/;

/** Renders lines that hold no fenced code: headings, lists, quotes, rules and paragraphs. */
function blocks(escaped: string): string {
  const out: string[] = [];
  const lines = escaped.split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(heading[1]!.length + 2, 6); // h3..h6: answers sit under the page's own headings
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push("<hr>");
      i++;
      continue;
    }
    const list = BULLET.test(line) ? BULLET : ORDERED.test(line) ? ORDERED : undefined;
    if (list) {
      const items: string[] = [];
      const start = list === ORDERED ? Number(ORDERED.exec(line)![1]) : 1;
      while (i < lines.length && list.test(lines[i]!)) {
        const m = list.exec(lines[i]!)!;
        let item = m[m.length - 1]!;
        i++;
        // Indented continuation lines belong to the item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]!) && !BULLET.test(lines[i]!) && !ORDERED.test(lines[i]!)) item += `\n${lines[i++]!.trim()}`;
        items.push(`<li>${inline(item).replace(/\n/g, "<br>")}</li>`);
      }
      const tag = list === ORDERED ? "ol" : "ul";
      out.push(`<${tag}${tag === "ol" && start !== 1 ? ` start="${start}"` : ""}>${items.join("")}</${tag}>`);
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) quoted.push(QUOTE.exec(lines[i++]!)![1]!);
      out.push(`<blockquote>${blocks(quoted.join("\n"))}</blockquote>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !HEADING.test(lines[i]!) && !BULLET.test(lines[i]!) && !ORDERED.test(lines[i]!) && !QUOTE.test(lines[i]!)) {
      para.push(lines[i++]!);
    }
    out.push(`<p>${inline(para.join("\n")).replace(/\n/g, "<br>")}</p>`);
  }
  return out.join("");
}

/**
 * Markdown → HTML for chat messages: fenced code blocks (``` with an optional language), inline code, bold,
 * italic, strikethrough, links, bare URLs, headings, bullet and numbered lists, quotes, rules, paragraphs.
 * Any HTML in the input comes out as text. An unclosed fence (mid-stream) renders as a code block.
 *
 * @example renderMarkdown("**hi** <b>") === "<p><strong>hi</strong> &lt;b&gt;</p>"
 */
export function renderMarkdown(text: string): string {
  const out: string[] = [];
  const fence = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^\n]*$/;
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let prose: string[] = [];
  const flush = () => {
    if (prose.length) out.push(blocks(escapeHtml(prose.join("\n"))));
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    flush();
    const marker = open[1]!;
    const code: string[] = [];
    i++;
    while (i < lines.length && !(lines[i]!.trim().startsWith(marker) && lines[i]!.trim().replace(/[`~]/g, "") === "")) code.push(lines[i++]!);
    const lang = open[2] ? ` class="language-${escapeHtml(open[2])}"` : "";
    out.push(`<pre><code${lang}>${escapeHtml(code.join("\n"))}</code></pre>`);
  }
  flush();
  return out.join("");
}
