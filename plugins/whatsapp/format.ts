const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/**
 * Markdown as the model writes it → WhatsApp's own marks: `**bold**`/`__bold__` → `*bold*`, `*italic*` → `_italic_`,
 * `~~strike~~` → `~strike~`, headings → bold lines, `[text](url)` → `text (url)`, images → their URL. Code blocks
 * keep their fences (without the language tag) and inline `code` its backticks; nothing inside them is touched.
 * The result is never longer than the input, so a chunk that fits before fits after.
 */
export function toWhatsApp(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const m = FENCE.exec(line);
    if (fence) {
      out.push(line);
      if (m && m[1]!.startsWith(fence[0]!) && m[1]!.length >= fence.length) fence = null;
      continue;
    }
    if (m) {
      fence = m[1]!;
      out.push(line.replace(/^(\s*)(`{3,}|~{3,}).*$/, "$1```"));
      continue;
    }
    out.push(formatLine(line));
  }
  return out.join("\n");
}

function formatLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return heading[1] ? `*${stripMarks(heading[1])}*` : "";
  // Inline code spans are kept verbatim: split them out, format the rest.
  return line
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : formatInline(part)))
    .join("");
}

function stripMarks(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, "$1").replace(/__(.+?)__/g, "$1");
}

function formatInline(text: string): string {
  return (
    text
      .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, "$2")
      .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`))
      // Bold first, through a placeholder, so its single stars are not read as italics.
      .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, "\u0001$1\u0001")
      .replace(/__(?=\S)(.+?)(?<=\S)__/g, "\u0001$1\u0001")
      .replace(/(^|[^*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])/g, "$1_$2_")
      .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "~$1~")
      .replace(/\u0001/g, "*")
  );
}
