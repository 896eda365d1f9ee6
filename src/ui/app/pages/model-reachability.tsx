import { call } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";

interface ProviderProbe {
  id: string;
  api: string;
  baseUrl: string;
  ok: boolean;
  error?: string;
  primary: boolean;
}

const probe = () => call<{ providers: ProviderProbe[] }>("models.probe").then((r) => r.providers);

/**
 * The Overview's model card, lower half: does each provider the default agent can use answer (`models.probe`)?
 * Asked when the page opens and on "Check again", not on the Overview's 10 s refresh (each probe is a request).
 */
export function ModelReachability() {
  const probed = useLoader(probe);
  return (
    <div class="reachability" aria-busy={probed.loading}>
      {probed.error ? <p class="error small">Could not check the providers: {probed.error}</p> : null}
      {probed.data === undefined && probed.loading ? <p class="empty">Checking the providers…</p> : null}
      <ul class="plain-list">
        {probed.data?.map((p) => (
          <li key={p.id} data-provider={p.id}>
            <code>{p.id}</code>
            {p.primary ? " (primary)" : ""} <span class={`pill pill-${p.ok ? "ok" : "bad"}`}>{p.ok ? "reachable" : `unreachable: ${p.error ?? "no answer"}`}</span>
          </li>
        ))}
      </ul>
      <button type="button" class="secondary" onClick={() => void probed.reload()} disabled={probed.loading}>
        {probed.loading ? "Checking…" : "Check again"}
      </button>
    </div>
  );
}
