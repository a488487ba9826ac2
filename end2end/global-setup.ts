import { baseURL } from "./support/env";

const TIMEOUT_MS = 60_000;
const INTERVAL_MS = 250;

// Waits until the server answers /healthz. `cargo xtask test` has already waited for
// /readyz, but `cargo leptos end-to-end` starts the server and Playwright together.
export default async function globalSetup(): Promise<void> {
  const url = `${baseURL}/healthz`;
  const deadline = Date.now() + TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      // fetch() hides the reason (ECONNREFUSED, …) in `cause`.
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      last = err instanceof Error ? err.message + (cause ? ` (${cause})` : "") : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  throw new Error(`server at ${url} not healthy after ${TIMEOUT_MS / 1000} s (last: ${last})`);
}
