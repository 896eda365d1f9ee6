import type { Api } from "grammy";
import { storeInboundMedia, type InboundMedia } from "openclaw/plugin-sdk";
import type { FileRef } from "./normalize.ts";
import { sig } from "./signal.ts";

export interface DownloadOptions {
  api: Api;
  token: string;
  apiRoot: string;
  /** The gateway's state dir: files go to its inbound media store. */
  stateDir: string;
  maxBytes: number;
  fetch?: typeof fetch;
}

export type DownloadResult = { ok: true; media: InboundMedia } | { ok: false; note: string };

/** getFile, then `GET {apiRoot}/file/bot<token>/<file_path>` into the media store, refusing files over `maxBytes`. */
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
  const stored = await storeInboundMedia(response.body, { stateDir: options.stateDir, kind: ref.kind, fileName: ref.fileName ?? file.file_path, mimeType: ref.mimeType, maxBytes: options.maxBytes });
  if (!stored.ok) return { ok: false, note: stored.note };
  // The file name shown is the sender's own, not Telegram's internal path.
  const { fileName: _path, ...media } = stored.media;
  return { ok: true, media: ref.fileName ? { ...media, fileName: ref.fileName } : media };
}
