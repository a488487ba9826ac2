import { defineConfig, devices } from "@playwright/test";
import { baseURL } from "./support/env";

export default defineConfig({
  testDir: "./tests",
  // The tests share one server and one database, so they run one at a time, in order.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  // `cargo leptos end-to-end` starts the server and this command at the same moment.
  globalSetup: "./global-setup.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's chromium: Playwright's own browser download is never used (no network).
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"] },
    },
    {
      // The widget tests again, with the sandbox serving the original SDK 1.1 from a classic
      // host (flow.microsoft.com), as a host whose FLOW_HOST serves that generation sees them.
      name: "chromium, SDK 1.1",
      testMatch: /widgets\.spec\.ts/,
      use: { ...devices["Desktop Chrome"] },
      metadata: { sdk: "1.1", host: "classic" },
    },
  ],
});
