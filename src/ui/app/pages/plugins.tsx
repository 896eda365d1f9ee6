import { Fragment } from "preact";
import { call } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";
import type { PluginRecord } from "../../../plugins/registry.ts";
import { PageHead } from "./page-head.tsx";
import { SkillsList, type SkillsReport } from "./skills.tsx";

interface PluginsList {
  plugins: PluginRecord[];
  /** Problems not tied to one plugin (a channels.<id> section no plugin provides). */
  warnings?: string[];
}

const STATUS_TONE: Record<PluginRecord["status"], string> = { loaded: "ok", idle: "off", disabled: "off", error: "bad" };

const ORIGIN_LABEL: Record<string, string> = {
  bundled: "bundled",
  global: "installed (~/.openclaw/extensions)",
  workspace: "workspace (.openclaw/extensions)",
  config: "plugins.load.paths",
};

const KINDS: Array<[keyof PluginRecord["registered"], string]> = [
  ["tools", "Tools"],
  ["hooks", "Hooks"],
  ["channels", "Channels"],
  ["providers", "Providers"],
  ["routes", "HTTP routes"],
  ["methods", "WS methods"],
  ["cli", "CLI commands"],
  ["commands", "Chat commands"],
  ["services", "Services"],
];

/** `registered` as "Tools: a, b" rows of the card's facts, only the kinds the plugin used. */
function Registrations({ plugin }: { plugin: PluginRecord }) {
  const used = KINDS.filter(([kind]) => plugin.registered[kind].length > 0);
  if (used.length === 0) {
    return (
      <>
        <dt>Registered</dt>
        <dd class="hint">nothing</dd>
      </>
    );
  }
  return (
    <>
      {used.map(([kind, label]) => (
        <Fragment key={kind}>
          <dt>{label}</dt>
          <dd data-kind={kind}>
            {plugin.registered[kind].map((name, i) => (
              <Fragment key={name}>
                {i > 0 ? ", " : null}
                <code>{kind === "commands" ? `/${name}` : name}</code>
              </Fragment>
            ))}
          </dd>
        </Fragment>
      ))}
    </>
  );
}

function PluginCard({ plugin: p }: { plugin: PluginRecord }) {
  return (
    <li class="card" data-plugin={p.id}>
      <div class="card-title">
        <strong>{p.name ?? p.id}</strong> {p.name && p.name !== p.id ? <code>{p.id}</code> : null}
        {p.version ? <span class="hint">v{p.version}</span> : null}
        <span class={`pill pill-${STATUS_TONE[p.status]}`}>{p.status}</span>
      </div>
      {p.description ? <p class="hint">{p.description}</p> : null}
      <dl class="facts">
        <dt>Source</dt>
        <dd>
          {ORIGIN_LABEL[p.origin] ?? p.origin}
          {p.origin !== "bundled" ? <> · <code>{p.dir}</code></> : null}
        </dd>
        <dt>Enabled</dt>
        <dd>{p.enabled ? "yes" : "no"}</dd>
        {p.reason ? (
          <>
            <dt>{p.status === "error" ? "Error" : "Why"}</dt>
            <dd class={p.status === "error" ? "error reason" : "reason"}>{p.reason}</dd>
          </>
        ) : null}
        <Registrations plugin={p} />
      </dl>
      {p.warnings.length > 0 ? (
        <ul class="warnings" aria-label={`Warnings for ${p.id}`}>
          {p.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function PluginsPage() {
  const list = useLoader(() => Promise.all([call<PluginsList>("plugins.list"), call<SkillsReport>("skills.status")]).then(([plugins, skills]) => ({ ...plugins, skills })));
  const all = list.data?.plugins;
  const failed = all?.filter((p) => p.status === "error").length ?? 0;
  const loaded = all?.filter((p) => p.status === "loaded").length ?? 0;
  // Failures first, so a plugin that did not load is the first thing seen.
  const plugins = all ? [...all].sort((a, b) => Number(b.status === "error") - Number(a.status === "error")) : undefined;
  return (
    <section aria-labelledby="plugins-title">
      <PageHead id="plugins-title" title="Plugins & Skills" list={list}>
        {all ? (
          <p class="hint" role="status">
            {loaded} loaded, {failed} failed, {all.length} found.
          </p>
        ) : null}
      </PageHead>
      <h2 class="section-title">Plugins</h2>
      {plugins && plugins.length === 0 ? (
        <p class="empty">
          No plugins found. Add a plugin folder under <code>plugins.load.paths</code> on the Config page, or install one with <code>openclaw plugins install</code>.
        </p>
      ) : null}
      {list.data?.warnings?.length ? (
        <ul class="warnings" aria-label="Plugin warnings">
          {list.data.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      <ul class="cards">
        {plugins?.map((p) => (
          <PluginCard key={`${p.origin}:${p.id}:${p.dir}`} plugin={p} />
        ))}
      </ul>
      {list.data ? <SkillsList report={list.data.skills} /> : null}
    </section>
  );
}
