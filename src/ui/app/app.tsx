import { connError, connState, logout, serverVersion } from "./gateway.ts";
import { ChannelsPage } from "./pages/channels.tsx";
import { ChatPage } from "./pages/chat.tsx";
import { ConfigPage } from "./pages/config.tsx";
import { LoginPage } from "./pages/login.tsx";
import { LogsPage } from "./pages/logs.tsx";
import { MemoryPage } from "./pages/memory.tsx";
import { PairingPage } from "./pages/pairing.tsx";
import { PluginsPage } from "./pages/plugins.tsx";
import { SessionsPage } from "./pages/sessions.tsx";
import { PAGES, route, type PageId } from "./router.ts";

const VIEWS: Record<PageId, () => preact.JSX.Element> = {
  chat: ChatPage,
  sessions: SessionsPage,
  channels: ChannelsPage,
  pairing: PairingPage,
  memory: MemoryPage,
  plugins: PluginsPage,
  config: ConfigPage,
  logs: LogsPage,
};

const STATE_LABEL = { connecting: "connecting…", open: "connected", reconnecting: "reconnecting…", login: "signed out" };

export function App() {
  const state = connState.value;
  if (state === "login") return <LoginPage />;
  const View = VIEWS[route.value];
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/chat">
          OpenClaw
        </a>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a key={p.id} href={`#/${p.id}`} aria-current={route.value === p.id ? "page" : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <span class={`conn conn-${state}`} role="status" title={connError.value || (serverVersion.value ? `gateway ${serverVersion.value}` : "")}>
          {STATE_LABEL[state]}
        </span>
        <button type="button" class="ghost" onClick={logout}>
          Log out
        </button>
      </header>
      {state === "reconnecting" && connError.value ? (
        <p class="banner" role="alert">
          {connError.value}
        </p>
      ) : null}
      <main id="main">
        <View />
      </main>
    </div>
  );
}
