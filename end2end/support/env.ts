// Where the server under test lives. `cargo xtask test` sets BASE_URL to the port it
// picked; the default matches `site-addr` in Cargo.toml (`cargo leptos end-to-end`, or a
// server started by hand). One definition so the config, the global setup and the helpers
// never disagree.
export const baseURL: string = (process.env.BASE_URL ?? "http://localhost:3000").replace(/\/+$/, "");
