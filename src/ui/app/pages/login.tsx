import { useState } from "preact/hooks";
import { connError, login } from "../gateway.ts";

/** The token form, shown when no token is stored or the gateway refused the stored one. */
export function LoginPage() {
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!token.trim()) return;
    setBusy(true);
    await login(token.trim());
    setBusy(false);
  };
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">OpenClaw Control UI</h1>
        <p>
          Sign in with the gateway token. <code>openclaw up</code> prints a link that signs you in; the token is also
          <code> gateway.auth.token</code> in your config or <code>OPENCLAW_GATEWAY_TOKEN</code>.
        </p>
        <label for="token">Gateway token</label>
        <input id="token" type="password" autocomplete="current-password" value={token} onInput={(e) => setToken(e.currentTarget.value)} autofocus />
        {connError.value ? (
          <p class="error" role="alert">
            {connError.value}
          </p>
        ) : null}
        <button type="submit" disabled={busy || !token.trim()}>
          {busy ? "Connecting…" : "Connect"}
        </button>
      </form>
    </main>
  );
}
