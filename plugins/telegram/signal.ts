import type { Api } from "grammy";

/** grammY's Node typings name the `abort-controller` package's AbortSignal; at run time it is the standard one. */
export type GrammySignal = Parameters<Api["getMe"]>[0];

export const sig = (signal: AbortSignal | undefined): GrammySignal => signal as unknown as GrammySignal;
