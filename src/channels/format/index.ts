export { chunkMarkdown } from "./chunk.ts";
