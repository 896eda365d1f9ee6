/** The longest tool name providers accept. */
export const MAX_TOOL_NAME = 64;

/**
 * `<server>__<tool>` as OpenClaw names MCP tools: characters outside `[A-Za-z0-9_-]` become `_`, the whole name is
 * cut to 64, and a clash (after cutting) gets a numeric suffix. Returns names in the order of `tools`.
 */
export function exposedToolNames(server: string, tools: string[]): string[] {
  const taken = new Set<string>();
  return tools.map((tool) => {
    const base = `${server}__${tool.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, MAX_TOOL_NAME);
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base.slice(0, MAX_TOOL_NAME - String(i).length - 1)}_${i}`;
    taken.add(name);
    return name;
  });
}

const globToRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);

/** `toolFilter`: `include` keeps only matching MCP tool names (exact or `*` globs), `exclude` hides matching ones. */
export function toolFilter(filter: { include?: string[]; exclude?: string[] } | undefined): (name: string) => boolean {
  const include = filter?.include?.length ? filter.include.map(globToRegExp) : undefined;
  const exclude = (filter?.exclude ?? []).map(globToRegExp);
  return (name) => (!include || include.some((r) => r.test(name))) && !exclude.some((r) => r.test(name));
}
