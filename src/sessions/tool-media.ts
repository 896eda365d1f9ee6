import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatMessage, ImagePart } from "../agent/types.ts";

/** A tool image as the transcript row keeps it: a file under the media dir, named by its SHA-256. */
export interface StoredToolImage {
  mediaType: string;
  file: string;
  bytes: number;
}

const EXTENSIONS: Record<string, string> = { "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp" };

/**
 * Keeps the images of tool results out of transcript rows. Like inbound channel media (`<stateDir>/media/inbound/`),
 * the bytes go to files, `<stateDir>/media/tool/<sha256>.<ext>` (the same image twice is one file), and the row
 * holds `{mediaType, file, bytes}`. Reading a row loads the bytes back, so the model sees the image in later turns
 * too; a file that is gone leaves a note in the text instead. Without a `dir` (an in-memory store) rows keep the
 * base64 inline.
 */
export function createToolMedia(dir: string | undefined) {
  return {
    /** The message as its row stores it. */
    toRow(message: ChatMessage): ChatMessage {
      if (!dir || message.role !== "tool" || !message.images?.length) return message;
      mkdirSync(dir, { recursive: true });
      const images = message.images.map((image): StoredToolImage => {
        const bytes = Buffer.from(image.data, "base64");
        const file = `${new Bun.CryptoHasher("sha256").update(bytes).digest("hex")}${EXTENSIONS[image.mediaType] ?? ".bin"}`;
        const path = join(dir, file);
        if (!existsSync(path)) writeFileSync(path, bytes);
        return { mediaType: image.mediaType, file, bytes: bytes.length };
      });
      return { ...message, images: images as unknown as ImagePart[] };
    },

    /** A message read from its row, with its images' bytes loaded again. */
    fromRow(message: ChatMessage): ChatMessage {
      if (message.role !== "tool" || !message.images?.length) return message;
      const stored = message.images as Array<ImagePart | StoredToolImage>;
      if (stored.every((i) => "data" in i)) return message;
      const images: ImagePart[] = [];
      const missing: string[] = [];
      for (const image of stored) {
        if ("data" in image) images.push(image);
        else {
          try {
            images.push({ mediaType: image.mediaType, data: readFileSync(join(dir ?? "", image.file)).toString("base64") });
          } catch {
            missing.push(`[${image.mediaType} image from the tool is no longer stored (media/tool/${image.file})]`);
          }
        }
      }
      const content = missing.length ? `${message.content}\n${missing.join("\n")}`.trim() : message.content;
      return { ...message, content, ...(images.length ? { images } : { images: undefined }) };
    },
  };
}
