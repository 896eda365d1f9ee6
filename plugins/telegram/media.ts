import type { Api } from "grammy";
import { sig } from "./signal.ts";
import { mkdirSync } from "node:fs";
import { extname, join } from "node:path";
import type { InboundMedia } from "openclaw/plugin-sdk";
import type { FileRef } from "./normalize.ts";

export interface DownloadOptions {
  api: Api;
  token: string;
  apiRoot: string;
  /** `<stateDir>/media/inbound` */
  dir: string;
  maxBytes: number;
  fetch?: typeof fetch;
}

export type DownloadResult = { ok: true; media: InboundMedia } | { ok: false; note: string };

/** getFile, then `GET {apiRoot}/file/bot<token>/<file_path>` into `dir`, refusing files over `maxBytes`. */
export async function downloadFile(ref: FileRef, options: DownloadOptions, signal?: AbortSignal): Promise<DownloadResult> {
  const limitMb = Math.round(options.maxBytes / 1024 / 1024);
  const tooLarge = (size: number) => ({
    ok: false as const,
    note: `[${ref.kind}${ref.fileName ? ` ${ref.fileName}` : ""} not downloaded: ${(size / 1024 / 1024).toFixed(1)} MB is over the ${limitMb} MB limit (mediaMaxMb)]`,
  });
  if (ref.size !== undefined && ref.size > options.maxBytes) return tooLarge(ref.size);
  const file = await options.api.getFile(ref.fileId, sig(signal));
  if (file.file_size !== undefined && file.file_size > options.maxBytes) return tooLarge(file.file_size);
  if (!file.file_path) return { ok: false, note: `[${ref.kind} not downloadable: Telegram gave no file path]` };
  const response = await (options.fetch ?? fetch)(`${options.apiRoot}/file/bot${options.token}/${file.file_path}`, { signal });
  if (!response.ok || !response.body) throw new Error(`download of ${ref.kind} failed: HTTP ${response.status}`);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > options.maxBytes) {
      await response.body.cancel().catch(() => {});
      return tooLarge(size);
    }
    parts.push(chunk);
  }
  mkdirSync(options.dir, { recursive: true });
  // The name is the sender's: only a short, plain extension is kept (a long one made the write fail for good).
  const named = extname(ref.fileName ?? file.file_path);
  const ext = /^\.[A-Za-z0-9]{1,10}$/.test(named) ? named : extensionFor(ref.mimeType);
  const path = join(options.dir, `${Date.now()}-${crypto.randomUUID().slice(0, 8)}${ext}`);
  await Bun.write(path, new Blob(parts as BlobPart[]));
  return { ok: true, media: { kind: ref.kind, path, size, ...(ref.mimeType ? { mimeType: ref.mimeType } : {}), ...(ref.fileName ? { fileName: ref.fileName } : {}) } };
}

function extensionFor(mime: string | undefined): string {
  const known: Record<string, string> = { "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "video/mp4": ".mp4", "application/pdf": ".pdf" };
  return (mime && known[mime]) ?? "";
}
