// Hash routing: `#/overview` (the landing page), `#/chat`, `#/sessions`, ... The fragment never reaches the server, so every page is `/`.
import { signal } from "@preact/signals";

/** The nav, in order: one line per page (its view is the matching line in app.tsx's VIEWS). */
export const PAGES = [
  { id: "overview", label: "Overview" },
  { id: "chat", label: "Chat" },
  { id: "sessions", label: "Sessions" },
  { id: "channels", label: "Channels" },
  { id: "pairing", label: "Pairing" },
  { id: "memory", label: "Memory" },
  { id: "plugins", label: "Plugins" },
  { id: "cron", label: "Cron" },
  { id: "mcp", label: "MCP" },
  { id: "config", label: "Config" },
  { id: "logs", label: "Logs" },
] as const;

export type PageId = (typeof PAGES)[number]["id"];

function parse(): PageId {
  const id = location.hash.replace(/^#\/?/, "").split(/[/?]/, 1)[0];
  return PAGES.find((p) => p.id === id)?.id ?? "overview";
}

export const route = signal<PageId>(parse());

export function startRouter(): void {
  window.addEventListener("hashchange", () => {
    if (!location.hash.startsWith("#token=")) route.value = parse();
  });
}

export function go(page: PageId): void {
  location.hash = `#/${page}`;
}
