import { chunkMarkdown } from "openclaw/plugin-sdk";

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** `&`, `<` and `>` are Slack's control characters: escaped in every text we send. */
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One line outside code blocks: inline code kept verbatim, the rest converted. */
function inline(line: string): string {
  const parts = line.split(/(`[^`\n]+`)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return escape(part);
      const links: string[] = [];
      // Links first (their URLs must not be touched by the emphasis rules), parked behind placeholders.
      let text = part.replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+|mailto:[^\s)]+)\)/g, (_m, label: string, url: string) => {
        links.push(`<${url.replace(/\|/g, "%7C").replace(/>/g, "%3E")}|${escape(label).replace(/\|/g, "¦")}>`);
        return `\u0000${links.length - 1}\u0000`;
      });
      text = escape(text)
        .replace(/\*\*\*(.+?)\*\*\*/g, "\u0001_$1_\u0001")
        .replace(/(^|[^*])\*(?!\s)([^*\n]+?)\*(?!\*)/g, "$1_$2_")
        .replace(/\*\*(.+?)\*\*/g, "\u0001$1\u0001")
        .replace(/__(.+?)__/g, "\u0001$1\u0001")
        .replace(/~~(.+?)~~/g, "~$1~")
        .replace(/\u0001/g, "*");
      return text.replace(/\u0000(\d+)\u0000/g, (_m, n: string) => links[Number(n)]!);
    })
    .join("");
}

/**
 * Markdown as the model writes it, in Slack's mrkdwn: `**bold**` → `*bold*`, `*italic*` → `_italic_`, `~~x~~` → `~x~`,
 * `[text](url)` → `<url|text>`, headings → bold lines, `-`/`*` bullets → `•`, code spans and fences kept (a fence's
 * language dropped: Slack shows it as text), and `& < >` escaped.
 */
export function toMrkdwn(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const m = FENCE.exec(line);
    if (fence !== null) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && !line.trim().slice(m[1]!.length).trim()) {
        fence = null;
        out.push("```");
      } else out.push(escape(line));
      continue;
    }
    if (m) {
      fence = m[1]!;
      out.push("```");
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      out.push(`*${inline(heading[1]!).replace(/^\*(.*)\*$/, "$1")}*`);
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet && !/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      const task = /^\[( |x|X)\]\s+(.*)$/.exec(bullet[2]!);
      const mark = task ? (task[1] === " " ? "☐" : "☑") : "•";
      out.push(`${bullet[1]}${mark} ${inline(task ? task[2]! : bullet[2]!)}`);
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push("———");
      continue;
    }
    out.push(inline(line));
  }
  if (fence !== null) out.push("```");
  return out.join("\n");
}

/** Rendered and split: each piece at most `limit` characters, a code block cut between pieces closed and reopened. */
export function splitForSlack(markdown: string, limit: number): string[] {
  return chunkMarkdown(toMrkdwn(markdown), Math.max(16, limit));
}
