import { mkdirSync } from "node:fs";
import { extname, join } from "node:path";
import type { InboundMedia } from "./types.ts";

export interface StoreMediaOptions {
  /** The gateway's state dir (`ChannelCreateOptions.stateDir`): files go to `<stateDir>/media/inbound/`. */
  stateDir: string;
  kind: InboundMedia["kind"];
  /** The sender's file name: kept for display; only a short plain extension of it reaches the stored name. */
  fileName?: string;
  mimeType?: string;
  maxBytes: number;
}

export type StoredMedia = { ok: true; media: InboundMedia } | { ok: false; size: number; note: string };

/**
 * Streams a downloaded attachment into the inbound media store, stopping (and keeping nothing) once it grows past
 * `maxBytes`. Stored names are generated, never the sender's, so a hostile name cannot reach another path. The
 * gateway removes a stored file again when access control drops its message.
 */
export async function storeInboundMedia(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: StoreMediaOptions): Promise<StoredMedia> {
  const tooLarge = (size: number): StoredMedia => ({
    ok: false,
    size,
    note: `[${options.kind}${options.fileName ? ` ${options.fileName}` : ""} not downloaded: ${(size / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(options.maxBytes / 1024 / 1024)} MB limit (mediaMaxMb)]`,
  });
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > options.maxBytes) {
      if ("cancel" in body) await (body as ReadableStream).cancel().catch(() => {});
      return tooLarge(size);
    }
    parts.push(chunk);
  }
  const dir = join(options.stateDir, "media", "inbound");
  mkdirSync(dir, { recursive: true });
  const named = extname(options.fileName ?? "");
  const ext = /^\.[A-Za-z0-9]{1,10}$/.test(named) ? named : extensionFor(options.mimeType);
  const path = join(dir, `${Date.now()}-${crypto.randomUUID().slice(0, 8)}${ext}`);
  await Bun.write(path, new Blob(parts as BlobPart[]));
  return { ok: true, media: { kind: options.kind, path, size, ...(options.mimeType ? { mimeType: options.mimeType } : {}), ...(options.fileName ? { fileName: options.fileName } : {}) } };
}

/** `true` when `size` (if known up front) is already over the limit. */
export const overLimit = (size: number | undefined, maxBytes: number) => size !== undefined && size > maxBytes;

function extensionFor(mime: string | undefined): string {
  const known: Record<string, string> = { "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "video/mp4": ".mp4", "application/pdf": ".pdf" };
  return (mime && known[mime]) ?? "";
}
