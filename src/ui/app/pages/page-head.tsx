import type { ComponentChildren } from "preact";
import type { Loaded } from "../use-loader.ts";

/** A page's title with its reload button, then the load error and the last action's message, if any. */
export function PageHead(props: { id: string; title: string; list: Loaded<unknown>; label?: string; message?: string; children?: ComponentChildren }) {
  const { list } = props;
  return (
    <>
      <div class="page-head">
        <h1 id={props.id}>{props.title}</h1>
        <button type="button" class="secondary" onClick={list.reload} disabled={list.loading}>
          {props.label ?? "Refresh"}
        </button>
      </div>
      {props.children}
      {list.error ? <p class="error" role="alert">{list.error}</p> : null}
      {props.message ? <p class="status-line" role="status">{props.message}</p> : null}
    </>
  );
}
