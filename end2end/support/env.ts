// Where the server under test lives. `cargo xtask test` sets BASE_URL to the port it
// picked; the default matches `site-addr` in Cargo.toml (`cargo leptos end-to-end`, or a
// server started by hand). One definition so the config, the global setup and the helpers
// never disagree.
export const baseURL: string = (process.env.BASE_URL ?? "http://localhost:3000").replace(/\/+$/, "");

// The sandbox's two origins (demo mode), for tests that drive its controls.
export const sandboxURL: string = (process.env.SANDBOX_URL ?? "http://127.0.0.1:3100").replace(/\/+$/, "");
export const flowURL: string = (process.env.FLOW_SANDBOX_URL ?? "http://127.0.0.1:3200").replace(/\/+$/, "");
