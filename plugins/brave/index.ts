import { definePluginEntry } from "openclaw/plugin-sdk/plugin-entry";

const DEFAULT_BASE_URL = "https://api.search.brave.com";
const isLoopback = (host: string) => host === "localhost" || host === "[::1]" || /^127\./.test(host);

/** Brave's web search: `GET {baseUrl}/res/v1/web/search?q&count` with `X-Subscription-Token` → `{web: {results}}`. */
export default definePluginEntry({
  id: "brave",
  name: "Brave Search",
  register(api) {
    const settings = (api.pluginConfig.webSearch ?? {}) as { apiKey?: string; baseUrl?: string };
    const apiKey = () => settings.apiKey || process.env.BRAVE_API_KEY || undefined;
    api.registerWebSearchProvider({
      id: "brave",
      label: "Brave Search",
      autoDetectOrder: 10,
      isReady: () => apiKey() !== undefined,
      async search({ query, count }, { signal }) {
        const key = apiKey();
        if (!key) throw new Error("no Brave API key: set BRAVE_API_KEY or plugins.entries.brave.config.webSearch.apiKey.");
        const base = new URL(settings.baseUrl || DEFAULT_BASE_URL);
        // The key travels in a header: plain http only to this machine.
        if (base.protocol !== "https:" && !(base.protocol === "http:" && isLoopback(base.hostname))) {
          throw new Error(`plugins.entries.brave.config.webSearch.baseUrl must be https:// (plain http:// only for a loopback address), got ${base.origin}.`);
        }
        const url = new URL("res/v1/web/search", base.href.endsWith("/") ? base.href : `${base.href}/`);
        url.searchParams.set("q", query);
        url.searchParams.set("count", String(count));
        const res = await fetch(url, { signal, headers: { accept: "application/json", "x-subscription-token": key } });
        if (res.status === 401 || res.status === 403) throw new Error(`Brave rejected the API key (HTTP ${res.status}): check BRAVE_API_KEY or plugins.entries.brave.config.webSearch.apiKey.`);
        if (res.status === 429) throw new Error("Brave's rate limit or quota is reached (HTTP 429): try again later.");
        if (!res.ok) throw new Error(`Brave answered HTTP ${res.status}.`);
        const body = (await res.json().catch(() => undefined)) as { web?: { results?: { title?: string; url?: string; description?: string }[] } } | undefined;
        return (body?.web?.results ?? [])
          .filter((r) => typeof r.url === "string")
          .slice(0, count)
          .map((r) => ({ title: r.title ?? r.url!, url: r.url!, ...(r.description ? { snippet: r.description.replace(/<[^>]+>/g, "") } : {}) }));
      },
    });
  },
});
