import { useState } from "preact/hooks";
import { connError, connState, logout, serverVersion } from "./gateway.ts";
import { ChannelsPage } from "./pages/channels.tsx";
import { ChatPage } from "./pages/chat.tsx";
import { ConfigPage } from "./pages/config.tsx";
import { CronPage } from "./pages/cron.tsx";
import { LoginPage } from "./pages/login.tsx";
import { LogsPage } from "./pages/logs.tsx";
import { McpPage } from "./pages/mcp.tsx";
import { MemoryPage } from "./pages/memory.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { PairingPage } from "./pages/pairing.tsx";
import { PluginsPage } from "./pages/plugins.tsx";
import { SessionsPage } from "./pages/sessions.tsx";
import { PAGES, route, type PageId } from "./router.ts";

/** One line per page: the nav and the routes are built from router.ts's PAGES and this map. */
const VIEWS: Record<PageId, () => preact.JSX.Element> = {
  overview: OverviewPage,
  chat: ChatPage,
  sessions: SessionsPage,
  channels: ChannelsPage,
  pairing: PairingPage,
  memory: MemoryPage,
  plugins: PluginsPage,
  cron: CronPage,
  mcp: McpPage,
  config: ConfigPage,
  logs: LogsPage,
};

const STATE_LABEL = { connecting: "connecting…", open: "connected", reconnecting: "reconnecting…", login: "signed out" };

export function App() {
  const state = connState.value;
  // On a phone the nav is a menu behind this toggle (CSS shows the toggle only on narrow screens).
  const [menuOpen, setMenuOpen] = useState(false);
  if (state === "login") return <LoginPage />;
  const View = VIEWS[route.value];
  const current = PAGES.find((p) => p.id === route.value)?.label ?? "";
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/overview">
          OpenClaw
        </a>
        <button type="button" class="ghost menu-toggle" aria-expanded={menuOpen} aria-controls="site-nav" onClick={() => setMenuOpen(!menuOpen)}>
          <span aria-hidden="true">☰</span> <span class="sr-only">Menu: </span>
          {current}
        </button>
        <nav id="site-nav" aria-label="Pages" class={menuOpen ? "open" : undefined}>
          {PAGES.map((p) => (
            <a key={p.id} href={`#/${p.id}`} aria-current={route.value === p.id ? "page" : undefined} onClick={() => setMenuOpen(false)}>
              {p.label}
            </a>
          ))}
        </nav>
        <span class={`conn conn-${state}`} role="status" title={connError.value || (serverVersion.value ? `gateway ${serverVersion.value}` : "")}>
          <span class="conn-text">{STATE_LABEL[state]}</span>
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
