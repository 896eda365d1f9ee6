import { definePluginEntry } from "openclaw/plugin-sdk/plugin-entry";

interface Settings {
  baseUrl?: string;
  categories?: string;
  language?: string;
}

/** SearXNG's JSON API: `GET {baseUrl}/search?q=...&format=json` → `{results: [{title, url, content}]}`. */
export default definePluginEntry({
  id: "searxng",
  name: "SearXNG",
  register(api) {
    const settings = (api.pluginConfig.webSearch ?? {}) as Settings;
    const baseUrl = () => settings.baseUrl || process.env.SEARXNG_BASE_URL || undefined;
    api.registerWebSearchProvider({
      id: "searxng",
      label: "SearXNG",
      autoDetectOrder: 200,
      isReady: () => baseUrl() !== undefined,
      async search({ query, count }, { signal }) {
        const base = baseUrl();
        if (!base) throw new Error("no SearXNG base URL: set plugins.entries.searxng.config.webSearch.baseUrl or SEARXNG_BASE_URL.");
        if (!/^https?:\/\//i.test(base)) throw new Error(`SearXNG base URL "${base}" must start with http:// or https://.`);
        const url = new URL("search", base.endsWith("/") ? base : `${base}/`);
        url.searchParams.set("q", query);
        url.searchParams.set("format", "json");
        if (settings.categories) url.searchParams.set("categories", settings.categories);
        if (settings.language) url.searchParams.set("language", settings.language);
        const res = await fetch(url, { signal, headers: { accept: "application/json" } });
        if (res.status === 403) throw new Error(`SearXNG at ${url.origin} refused format=json (HTTP 403): enable "json" under search.formats in its settings.yml.`);
        if (!res.ok) throw new Error(`SearXNG at ${url.origin} answered HTTP ${res.status}.`);
        const body = (await res.json().catch(() => undefined)) as { results?: { title?: string; url?: string; content?: string }[] } | undefined;
        if (!body || !Array.isArray(body.results)) throw new Error(`SearXNG at ${url.origin} did not answer JSON with a results list.`);
        return body.results
          .filter((r) => typeof r.url === "string")
          .slice(0, count)
          .map((r) => ({ title: r.title ?? r.url!, url: r.url!, ...(r.content ? { snippet: r.content } : {}) }));
      },
    });
  },
});
