import { z } from "zod";

const fraction = () => z.number().min(0).max(1);

/**
 * `memory.search` with OpenClaw's names (docs reference/memory-config.md). Defaults live in src/memory/settings.ts:
 * provider unset = OpenAI when a key is there, else keyword-only; chunks 400 tokens / 80 overlap; hybrid 0.7 vector +
 * 0.3 text over ×4 candidates; 30-day half-life on daily notes; MMR λ 0.7; 6 results; min score 0.35.
 */
export const memorySchema = () =>
  z.object({
    search: z
      .object({
        enabled: z.boolean().optional(),
        provider: z.string().min(1).optional(),
        model: z.string().min(1).optional(),
        outputDimensionality: z.number().int().min(1).optional(),
        remote: z
          .object({
            baseUrl: z.string().optional(),
            apiKey: z.string().optional(),
            headers: z.record(z.string(), z.string()).optional(),
          })
          .optional(),
        extraPaths: z.array(z.union([z.string().min(1), z.object({ path: z.string().min(1), pattern: z.string().optional() })])).optional(),
        chunking: z.object({ tokens: z.number().int().min(32).optional(), overlap: z.number().int().min(0).optional() }).optional(),
        query: z
          .object({
            maxResults: z.number().int().positive().optional(),
            minScore: fraction().optional(),
            hybrid: z
              .object({
                enabled: z.boolean().optional(),
                vectorWeight: fraction().optional(),
                textWeight: fraction().optional(),
                candidateMultiplier: z.number().positive().optional(),
                mmr: z.object({ enabled: z.boolean().optional(), lambda: fraction().optional() }).optional(),
                temporalDecay: z.object({ enabled: z.boolean().optional(), halfLifeDays: z.number().positive().optional() }).optional(),
              })
              .optional(),
          })
          .optional(),
        cache: z.object({ enabled: z.boolean().optional() }).optional(),
        sync: z.object({ watch: z.boolean().optional(), watchDebounceMs: z.number().int().nonnegative().optional() }).optional(),
        store: z
          .object({
            path: z.string().optional(),
            vector: z.object({ enabled: z.boolean().optional() }).optional(),
          })
          .optional(),
      })
      .optional(),
  });

export type MemoryConfig = z.infer<ReturnType<typeof memorySchema>>;
