import { render } from "preact";
import { App } from "./app.tsx";
import { connect, takeTokenFromUrl } from "./gateway.ts";
import { route, startRouter } from "./router.ts";
import "./styles.css";

takeTokenFromUrl();
// A sign-in link opened in a tab that already shows the UI changes only the fragment.
window.addEventListener("hashchange", () => {
  if (!takeTokenFromUrl()) return;
  route.value = "chat";
  void connect();
});
startRouter();
render(<App />, document.getElementById("app")!);
void connect();
