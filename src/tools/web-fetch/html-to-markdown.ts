const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", copy: "©", reg: "®", mdash: "—", ndash: "–", hellip: "…", laquo: "«", raquo: "»", rsquo: "’", lsquo: "‘", rdquo: "”", ldquo: "“", middot: "·", bull: "•" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const DROP = ["script", "style", "noscript", "svg", "template", "iframe", "nav", "footer", "aside", "head", "form", "button", "select", "canvas", "object"];
const BLOCK = new Set(["p", "div", "section", "article", "main", "header", "table", "thead", "tbody", "dl", "dt", "dd", "figure", "figcaption", "address", "details", "summary", "ul", "ol"]);

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attrs);
  const value = m?.[1] ?? m?.[2] ?? m?.[3];
  return value === undefined ? undefined : decodeEntities(value);
}

function absolute(href: string, base?: string): string | undefined {
  if (/^(javascript|data|vbscript):/i.test(href.trim()) || href.startsWith("#")) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

/** The page's `<title>`, if any. */
export function htmlTitle(html: string): string | undefined {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return m ? decodeEntities(m[1]!).replace(/\s+/g, " ").trim() || undefined : undefined;
}

/**
 * A small HTML → Markdown converter for reading pages: drops scripts, styles, navigation and forms; keeps
 * headings, paragraphs, links (made absolute against `baseUrl`), lists, code, quotes and emphasis.
 */
export function htmlToMarkdown(html: string, baseUrl?: string): string {
  let body = html.replace(/<!--[\s\S]*?-->/g, "").replace(/<!doctype[^>]*>/gi, "");
  for (const tag of DROP) body = body.replace(new RegExp(`<${tag}\\b[\\s\\S]*?</${tag}\\s*>`, "gi"), " ");
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(body) ?? /<article\b[^>]*>([\s\S]*)<\/article>/i.exec(body);
  if (main && main[1]!.replace(/<[^>]+>/g, "").trim().length > 200) body = main[1]!;

  let out = "";
  let pre = 0;
  const lists: { ordered: boolean; n: number }[] = [];
  const marks: { tag: string; at: number; href?: string }[] = [];
  const open = (tag: string, extra: Partial<{ href: string }> = {}) => marks.push({ tag, at: out.length, ...extra });
  const close = (tag: string) => {
    const i = marks.findLastIndex((m) => m.tag === tag);
    return i === -1 ? undefined : marks.splice(i)[0];
  };

  const tokens = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+|<)/g;
  for (const m of body.matchAll(tokens)) {
    const [, slash, rawTag, attrs = "", text] = m;
    if (text !== undefined) {
      const decoded = decodeEntities(text);
      out += pre ? decoded : decoded.replace(/\s+/g, " ");
      continue;
    }
    const tag = rawTag!.toLowerCase();
    const closing = slash === "/";
    if (/^h[1-6]$/.test(tag)) out += closing ? "\n\n" : `\n\n${"#".repeat(Number(tag[1]))} `;
    else if (tag === "br") out += pre ? "\n" : "  \n";
    else if (tag === "hr") out += "\n\n---\n\n";
    else if (tag === "pre") {
      pre += closing ? -1 : 1;
      out += closing ? "\n```\n\n" : "\n\n```\n";
    } else if (tag === "code" && !pre) out += "`";
    else if (tag === "strong" || tag === "b") out += "**";
    else if (tag === "em" || tag === "i") out += "_";
    else if (tag === "ul" || tag === "ol") {
      if (closing) lists.pop();
      else lists.push({ ordered: tag === "ol", n: 0 });
      if (lists.length === (closing ? 0 : 1)) out += "\n";
    } else if (tag === "li" && !closing) {
      const list = lists.at(-1);
      const bullet = list?.ordered ? `${++list.n}. ` : "- ";
      out += `\n${"  ".repeat(Math.max(0, lists.length - 1))}${bullet}`;
    } else if (tag === "tr") out += closing ? "\n" : "";
    else if ((tag === "td" || tag === "th") && closing) out += " | ";
    else if (tag === "a") {
      if (!closing) open("a", { href: attr(attrs, "href") });
      else {
        const mark = close("a");
        const href = mark?.href ? absolute(mark.href, baseUrl) : undefined;
        const label = mark ? out.slice(mark.at).trim() : "";
        if (mark && href && label) out = `${out.slice(0, mark.at)}[${label}](${href})`;
      }
    } else if (tag === "img" && !closing) {
      const alt = attr(attrs, "alt")?.trim();
      const src = attr(attrs, "src");
      if (alt) out += src && absolute(src, baseUrl) ? `![${alt}](${absolute(src, baseUrl)})` : alt;
    } else if (tag === "blockquote") {
      if (!closing) open("blockquote");
      else {
        const mark = close("blockquote");
        if (mark) {
          const quoted = out.slice(mark.at).trim().split("\n").map((l) => `> ${l.trim()}`).join("\n");
          out = `${out.slice(0, mark.at)}\n\n${quoted}\n\n`;
        }
      }
    } else if (BLOCK.has(tag)) out += "\n\n";
  }
  return tidy(out);
}

function tidy(text: string): string {
  const lines: string[] = [];
  let fence = false;
  for (const line of text.split("\n")) {
    if (line.trim() === "```") fence = !fence;
    lines.push(fence || line.trim() === "```" ? line.trimEnd() : (/^ *(-|\d+\.) /.test(line) ? line : line.trimStart()).trimEnd());
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
