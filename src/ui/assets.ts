// The Control UI's static files. `with { type: "file" }` makes each import a path: node_modules-free from
// source (src/ui/...) and under /$bunfs/ in the compiled binary, so the same code serves both.
import indexHtmlFile from "./index.html" with { type: "file" };

interface UiAsset {
  file: string;
  type: string;
  cache: string;
}

// TypeScript types every .html import as an HTMLBundle; with `type: "file"` Bun gives the path string.
const indexHtml: UiAsset = {
  file: indexHtmlFile as unknown as string,
  type: "text/html; charset=utf-8",
  cache: "no-cache",
};

const assets: Record<string, UiAsset> = {
  "/": indexHtml,
  "/index.html": indexHtml,
};

/** Paths the Control UI serves, for the gateway's route table and for tests. */
export const uiAssetPaths: readonly string[] = Object.keys(assets);

/**
 * The Control UI file for a request path relative to the UI's mount point (`/`, `/index.html`), as a 200
 * Response with content type and cache headers; `null` when the path is not a UI file, so the caller can 404.
 * A query string or fragment in `path` is ignored.
 *
 * @example app.get("/*", async (c) => (await getUiAsset(c.req.path)) ?? c.notFound());
 */
export async function getUiAsset(path: string): Promise<Response | null> {
  const clean = path.split(/[?#]/, 1)[0] || "/";
  const asset = Object.hasOwn(assets, clean) ? assets[clean] : undefined;
  if (!asset) return null;
  const body = await Bun.file(asset.file).arrayBuffer();
  return new Response(body, {
    headers: {
      "content-type": asset.type,
      "cache-control": asset.cache,
      "x-content-type-options": "nosniff",
    },
  });
}
