import { useCallback, useEffect, useState } from "preact/hooks";
import { connState, errorText } from "./gateway.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: string;
  loading: boolean;
  reload(): Promise<void>;
}

/** Runs `load` when the page mounts and again whenever the connection (re)opens; `reload` for buttons. */
export function useLoader<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);
  const open = connState.value === "open";
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await load());
      setError("");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    if (open) void reload();
  }, [open, reload]);
  return { data, error, loading, reload };
}
