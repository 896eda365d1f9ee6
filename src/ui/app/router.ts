// Hash routing: `#/chat`, `#/sessions`, ... The fragment never reaches the server, so every page is `/`.
import { signal } from "@preact/signals";

export const PAGES = [
  { id: "chat", label: "Chat" },
  { id: "sessions", label: "Sessions" },
  { id: "channels", label: "Channels" },
  { id: "pairing", label: "Pairing" },
  { id: "memory", label: "Memory" },
  { id: "plugins", label: "Plugins" },
  { id: "config", label: "Config" },
  { id: "logs", label: "Logs" },
] as const;

export type PageId = (typeof PAGES)[number]["id"];

function parse(): PageId {
  const id = location.hash.replace(/^#\/?/, "").split(/[/?]/, 1)[0];
  return PAGES.find((p) => p.id === id)?.id ?? "chat";
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
