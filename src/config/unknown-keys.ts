import type { z } from "zod";

/** A key present in the config that the schema does not implement. */
export interface UnknownKey {
  path: string;
  /** The nearest key we do implement at the same level, when the name looks like a typo of it. */
  suggestion?: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  catchall?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Walks `value` alongside `schema` and lists every object key the schema would strip. */
export function findUnknownKeys(schema: z.ZodType, value: unknown, path = ""): UnknownKey[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
    case "nonoptional":
      return findUnknownKeys(def.innerType!, value, path);
    case "pipe":
      return findUnknownKeys(def.in!, value, path);
    case "union": {
      // Report against the first object-shaped option that matches the value's kind.
      const option = def.options!.find((o) => (defOf(o).type === "object") === isPlainObject(value));
      return option ? findUnknownKeys(option, value, path) : [];
    }
    case "array":
      return Array.isArray(value) ? value.flatMap((v, i) => findUnknownKeys(def.element!, v, `${path}[${i}]`)) : [];
    case "record":
      return isPlainObject(value)
        ? Object.entries(value).flatMap(([k, v]) => findUnknownKeys(def.valueType!, v, join(path, k)))
        : [];
    case "object": {
      if (!isPlainObject(value)) return [];
      const shape = def.shape!;
      const known = Object.keys(shape);
      const out: UnknownKey[] = [];
      // A loose object (a plugin's section) keeps keys it does not declare: its owner reports them.
      const keepsUnknown = def.catchall !== undefined && defOf(def.catchall).type !== "never";
      for (const [key, v] of Object.entries(value)) {
        const child = shape[key];
        if (child) out.push(...findUnknownKeys(child, v, join(path, key)));
        else if (!keepsUnknown) out.push({ path: join(path, key), suggestion: nearest(key, known) });
      }
      return out;
    }
    default:
      return [];
  }
}

export function describeUnknownKey(key: UnknownKey): string {
  const hint = key.suggestion ? ` (did you mean "${key.suggestion}"?)` : "";
  return `${key.path}: not implemented by this gateway; ignored${hint}`;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nearest(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // A near-miss: at most a third of the name differs (and at most 3 edits).
  return best !== undefined && bestDistance <= Math.min(3, Math.ceil(key.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
