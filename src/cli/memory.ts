import type { MemoryIndex, MemoryStatus } from "../memory/index.ts";
import { defaultAgentId, listAgents, resolveAgent } from "../routing/index.ts";
import { cliContext, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";

const USAGE =
  "Usage: openclaw memory status [--json] | index [--force] | search <query> [--json] [--max-results N] [--min-score N] | history <file> [--json] | restore <file> --at <version>   (each takes --agent <id>)";

interface Flags {
  positional: string[];
  json: boolean;
  force: boolean;
  agent?: string;
  query?: string;
  maxResults?: number;
  minScore?: number;
  at?: number;
}

/**
 * `openclaw memory status|index|search|history|restore`: works on the index database directly (SQLite in WAL mode
 * lets it run beside a running gateway), after bringing it up to date with the files.
 */
export async function runMemory(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  if (typeof flags === "string") {
    io.err(`${flags}\n${USAGE}`);
    return 2;
  }
  const [command = "status", ...rest] = flags.positional;
  if (!["status", "index", "search", "history", "restore"].includes(command)) {
    io.err(`Unknown memory command "${command}".\n${USAGE}`);
    return 2;
  }
  const ctx = cliContext(io);
  const { config } = loadCliConfig(ctx);
  const agents = listAgents(config).map((a) => a.id);
  const agentId = flags.agent ?? defaultAgentId(config);
  if (flags.agent && (agents.length ? !agents.includes(flags.agent) : flags.agent !== defaultAgentId(config))) {
    io.err(`No agent "${flags.agent}" in the config; agents: ${agents.join(", ") || defaultAgentId(config)}.`);
    return 1;
  }
  const workspace = resolveAgent(config, agentId, { stateDir: ctx.paths.stateDir, env: ctx.env }).workspace;
  const { memorySettings, openMemoryIndex } = await import("../memory/index.ts");
  const settings = memorySettings(config, { agentId, workspace, stateDir: ctx.paths.stateDir });
  if (!settings.enabled) {
    io.out(flags.json ? JSON.stringify({ agentId, status: "disabled" }) : `Memory search is disabled for agent ${agentId} (memory.search.enabled: false).`);
    return 0;
  }
  // status only brings the text index up to date: it never calls the embedding provider (that is `index`'s job).
  const index = openMemoryIndex({ settings, workspace, config, env: ctx.env, embed: command !== "status", log: { warn: (m) => io.err(m) } });
  try {
    return await run(command, rest, flags, index, io, agentId);
  } catch (error) {
    io.err(`openclaw memory ${command}: ${(error as Error).message}`);
    return 1;
  } finally {
    await index.close();
  }
}

async function run(command: string, rest: string[], flags: Flags, index: MemoryIndex, io: CliIo, agentId: string): Promise<number> {
  if (command === "status") {
    const report = await index.sync();
    const status = index.status();
    io.out(flags.json ? JSON.stringify({ agentId, ...status, ...(report.embedError ? { embedError: report.embedError } : {}) }, null, 2) : formatStatus(agentId, status));
    return 0;
  }
  if (command === "index") {
    const started = performance.now();
    const report = await index.sync({ force: flags.force });
    const ms = Math.round(performance.now() - started);
    const s = index.status();
    io.out(`Indexed ${report.indexed} of ${report.files} memory files (${report.removed} removed, ${report.unchanged} unchanged) in ${ms} ms: ${s.chunks} chunks, ${s.vectors} with vectors. Workspace: ${s.workspace}`);
    if (report.files === 0) io.out("No memory files yet (MEMORY.md or memory/YYYY-MM-DD.md); nothing to index.");
    if (report.embedError) io.err(`Embedding failed (keyword search still works): ${report.embedError}`);
    return 0;
  }
  if (command === "search") {
    const query = flags.query ?? rest.join(" ");
    if (!query.trim()) {
      io.err(`openclaw memory search needs a query.\n${USAGE}`);
      return 2;
    }
    const answer = await index.search(query, { maxResults: flags.maxResults, minScore: flags.minScore });
    if (flags.json) io.out(JSON.stringify({ agentId, ...answer }, null, 2));
    else {
      if (answer.warning) io.err(`warning: ${answer.warning}`);
      if (answer.results.length === 0) io.out(`No matches for "${query}".`);
      for (const r of answer.results) io.out(`${r.score.toFixed(3)}  ${r.path}:${r.startLine}-${r.endLine}${r.heading ? `  # ${r.heading}` : ""}\n    ${r.snippet.replace(/\s+/g, " ").slice(0, 200)}`);
    }
    return 0;
  }
  const file = rest[0];
  if (!file) {
    io.err(`openclaw memory ${command} needs a file, e.g. memory/2026-11-30.md.\n${USAGE}`);
    return 2;
  }
  await index.sync();
  if (command === "history") {
    const versions = index.history(file);
    if (flags.json) io.out(JSON.stringify({ agentId, path: file, versions }, null, 2));
    else if (versions.length === 0) io.out(`No versions kept for ${file} (is it a memory file that was indexed?).`);
    else for (const v of versions) io.out(`v${v.version}  ${new Date(v.createdAt).toISOString()}  ${v.reason.padEnd(18)} ${v.bytes} bytes  +${v.added} -${v.removed} lines`);
    return 0;
  }
  if (flags.at === undefined) {
    io.err(`openclaw memory restore needs --at <version> (see openclaw memory history ${file}).`);
    return 2;
  }
  const restored = await index.restore(file, flags.at);
  io.out(`Restored ${file} to version ${flags.at} (${restored.bytes} bytes), kept as version ${restored.version}.`);
  return 0;
}

function formatStatus(agentId: string, s: MemoryStatus): string {
  const lines = [
    `Memory (agent ${agentId})`,
    `  workspace:  ${s.workspace}`,
    `  index:      ${s.store} (${(s.dbBytes / 1024).toFixed(0)} KB)`,
    `  files:      ${s.files}   chunks: ${s.chunks}   vectors: ${s.vectors}`,
    `  search:     ${s.mode === "hybrid" ? `hybrid (vector + keyword), embeddings ${s.provider}` : "keyword only (FTS5/BM25)"}`,
  ];
  if (s.reason) lines.push(`  why:        ${s.reason}`);
  lines.push(`  vectors in: ${s.vectorStore}`, `  cache:      ${s.cacheEntries} embeddings`);
  if (s.embedding?.lastError) lines.push(`  embedding:  failed: ${s.embedding.lastError}`);
  if (s.extraPaths.length) lines.push(`  extra paths: ${s.extraPaths.join(", ")}`);
  return lines.join("\n");
}

function parseFlags(args: string[]): Flags | string {
  const flags: Flags = { positional: [], json: false, force: false };
  const value = (i: number, name: string) => {
    const v = args[i];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    return v;
  };
  const number = (v: string, name: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${name} needs a number, got "${v}"`);
    return n;
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--json") flags.json = true;
      else if (a === "--force") flags.force = true;
      else if (a === "--agent") flags.agent = value(++i, a);
      else if (a === "--query") flags.query = value(++i, a);
      else if (a === "--max-results") flags.maxResults = number(value(++i, a), a);
      else if (a === "--min-score") flags.minScore = number(value(++i, a), a);
      else if (a === "--at") flags.at = number(value(++i, a).replace(/^v/, ""), a);
      else if (a.startsWith("-")) return `Unknown option ${a}`;
      else flags.positional.push(a);
    }
  } catch (error) {
    return (error as Error).message;
  }
  return flags;
}
