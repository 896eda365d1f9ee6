export { memorySettings, MEMORY_DEFAULTS, type MemorySettings, type ExtraPath } from "./settings.ts";
export { chunkMarkdown, type Chunk } from "./chunker.ts";
export { listMemoryFiles, dailyNoteDay, type MemoryFile } from "./files.ts";
export { openMemoryIndex, type MemoryIndex, type MemoryStatus, type SearchResponse } from "./memory-index.ts";
export { createMemoryService, type MemoryService } from "./service.ts";
export { chooseEmbedder, type Embedder } from "./embeddings.ts";
export type { MemoryHit } from "./search.ts";
export { loadVec, checkVec } from "./sqlite-vec.ts";
