// Measures, in Debian's chromium against a running Flowhost in demo mode:
//  - the time from navigating to an account page until its templates widget fires
//    WIDGET_READY (the page marks `flowhost:widget-ready:templates`), over LOADS loads;
//  - the latency of the token server function with a warm cache, over CALLS calls.
//
//   node bench/widgets.cjs http://localhost:3900        (bench/widgets.sh starts the server)
const { chromium } = require("../end2end/node_modules/playwright-core");

const base = (process.argv[2] || "http://localhost:3000").replace(/\/+$/, "");
const LOADS = Number(process.env.LOADS || 20);
const CALLS = Number(process.env.CALLS || 1000);

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, median: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

const fmt = (s, unit) =>
  `median ${s.median.toFixed(2)} ${unit}, p95 ${s.p95.toFixed(2)} ${unit}, p99 ${s.p99.toFixed(2)} ${unit}, max ${s.max.toFixed(2)} ${unit} (n=${s.n})`;

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage();
  let tokenUrl = null;
  page.on("request", (r) => { if (r.url().includes("/api/get_flow_token")) tokenUrl = r.url(); });
  await page.goto(`${base}/auth/login?return_to=/accounts`);
  await page.getByRole("button", { name: "alex@contoso.example" }).click();
  await page.waitForURL((u) => u.pathname === "/accounts");
  const account = await page.getByTestId("accounts").getByRole("link").first().getAttribute("href");

  const ready = [];
  for (let i = 0; i <= LOADS; i++) {
    await page.goto(`${base}${account}`);
    await page.locator('[data-testid="widget-templates"][data-state="ready"]').waitFor({ timeout: 20_000 });
    const at = await page.evaluate(() => performance.getEntriesByName("flowhost:widget-ready:templates")[0].startTime);
    if (i > 0) ready.push(at); // the first load warms the caches
  }
  console.log(`navigation → WIDGET_READY (templates): ${fmt(stats(ready), "ms")}`);

  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const call = () => fetch(tokenUrl, {
    method: "POST",
    headers: { cookie, origin: base, "content-type": "application/x-www-form-urlencoded" },
    body: "resource=https%3A%2F%2Fservice.flow.microsoft.com%2F",
  }).then((r) => r.json());
  const first = await call();
  if (!first.Token) throw new Error(`no token: ${JSON.stringify(first)}`);
  const latency = [];
  for (let i = 0; i < CALLS; i++) {
    const started = process.hrtime.bigint();
    const answer = await call();
    latency.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!answer.Token) throw new Error("a call got no token");
  }
  console.log(`token server function, warm cache:      ${fmt(stats(latency), "ms")}`);
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
