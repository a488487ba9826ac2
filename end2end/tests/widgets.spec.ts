import { expect, test } from "@playwright/test";
import { flowURL } from "../support/env";
import { signIn } from "../support/session";
import { accountHref, connectToFlowhost, control, expectReady, frame, normal, projectSdk, ticketHref, widget } from "../support/widgets";

const ACKNOWLEDGE = "Acknowledge new tickets on the account";

// Run under both SDK generations (two projects); records that a test changes differ between
// the two, since they share one server.
const sdk = () => projectSdk().sdk;
const nth = () => (sdk() === "1.1" ? 1 : 0);
/** Where the templates widget lives: 1.1 builds its path without the trailing slash. */
const templatesPath = (locale: string) => `/${locale}/widgets/templates${sdk() === "1.1" ? "" : "/"}?widgetId=`;

test.beforeEach(async ({ page }) => {
  await normal(projectSdk());
  await signIn(page, "alex@contoso.example");
});

test.afterAll(() => normal());

test("the account page's templates widget becomes ready in a cross-origin frame", async ({ page }) => {
  const account = await accountHref(page, "Proseware");
  const response = await page.goto(account);
  const csp = response!.headers()["content-security-policy"];
  expect(csp).toContain(`frame-src ${flowURL};`);
  expect(csp).toContain(`script-src 'self'`);
  await expectReady(page, "templates");
  const src = await widget(page, "templates").locator("iframe").getAttribute("src");
  expect(new URL(src!).origin).toBe(flowURL);
  expect(src).toContain(templatesPath("en-us"));
  expect(src).toContain(`&sdkVersion=${sdk() === "1.1" ? "1.1" : "2.2.0"}&`);
  expect(src).toContain("&q=flowhost%20account&");
  await expect(frame(page, "templates").getByRole("button", { name: new RegExp(ACKNOWLEDGE) })).toBeVisible();
});

test("a flow made from a template is linked to its account and shown only there", async ({ page }) => {
  const [account, other] = sdk() === "1.1"
    ? [await accountHref(page, "Northwind", 0), await accountHref(page, "Northwind", 2)]
    : [await accountHref(page, "Wingtip", 0), await accountHref(page, "Wingtip", 1)];
  const id = account.split("/").pop()!;
  await page.goto(account);
  await expectReady(page, "templates");
  await expectReady(page, "flows");
  const templates = frame(page, "templates");
  await templates.getByRole("button", { name: new RegExp(ACKNOWLEDGE) }).click();
  // The account's id and name came as design-time parameters.
  await expect(templates.getByLabel("flowhost.accountId")).toHaveValue(id);
  await connectToFlowhost(page, templates, "alex@contoso.example");
  // The button says what Flowhost told the widget with GET_STRINGS.
  await templates.getByRole("button", { name: "Create the flow" }).click();
  await expect(templates.getByText("Your flow is ready.")).toBeVisible();

  await expect(page.getByTestId("linked-flows")).toContainText(ACKNOWLEDGE);
  await expect(page.getByTestId("timeline")).toContainText(`Alex Wilber created the flow “${ACKNOWLEDGE}”`);
  await expect(frame(page, "flows").getByRole("link", { name: ACKNOWLEDGE })).toBeVisible();
  const flowLink = await page.getByTestId("linked-flows").getByRole("link").first().getAttribute("href");
  expect(new URL(flowLink!).origin).toBe(flowURL);

  await page.goto(other);
  await expectReady(page, "flows");
  await expect(page.getByTestId("linked-flows")).toHaveCount(0);
  await expect(frame(page, "flows").getByText("You have no flows here yet.")).toBeVisible();
  await expect(frame(page, "flows").getByRole("link", { name: ACKNOWLEDGE })).toHaveCount(0);
});

test("a flow run on a ticket raises an approval, waits for it, and comments the decision on the ticket", async ({ page }) => {
  test.setTimeout(90_000);
  const account = await accountHref(page, "Lucerne");
  const ticket = await ticketHref(page, account, nth());
  await page.goto(ticket);
  const title = (await page.getByRole("heading", { level: 1 }).innerText()).replace(/^#\d+\s*/, "");
  await expectReady(page, "flowsRuntime");
  await expect(page.getByTestId("approvals-waiting")).toHaveText("0");

  await page.getByTestId("widget-action").click();
  const runtime = frame(page, "flowsRuntime");
  // No flow from the template yet: the widget makes one first, on a connection to Flowhost.
  await connectToFlowhost(page, runtime, "alex@contoso.example");
  await runtime.getByRole("button", { name: "Create the flow" }).click();
  await runtime.getByRole("button", { name: "Run the flow" }).click();
  await expect(runtime.getByRole("status").filter({ hasText: "Running…" })).toBeVisible();

  // The run read the ticket through the connector and waits for alex's answer.
  const approvals = frame(page, "approvalCenter");
  await expect(approvals.getByText(`Approve: ${title}`)).toBeVisible({ timeout: 15_000 });
  // Approvals are not confirmed with the Flow service yet: the widget's report is shown as
  // such and the counts leave it out.
  await expect(page.getByTestId("timeline")).toContainText(`Approval “Approve: ${title}” is waiting (reported by the approvals widget)`);
  await expect(page.getByTestId("approvals-waiting")).toHaveText("0");
  await approvals.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("timeline")).toContainText(`Approval “Approve: ${title}” approved by Alex Wilber (reported by the approvals widget)`);

  // The answer let the run finish: the decision is commented on the ticket.
  await expect(runtime.getByText("Your flow ran successfully.")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("timeline")).toContainText("Alex Wilber ran “Request approval for a ticket”: succeeded");
  await expect(page.getByTestId("linked-flows")).toContainText("Request approval for a ticket");
  await expect(page.getByTestId("approvals-waiting")).toHaveText("0");
  await expect(page.getByTestId("approvals-decided")).toHaveText("0");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("comment").first()).toContainText("Approved by Alex Wilber", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  await page.goto("/approvals");
  await expectReady(page, "approvalCenter");
  await expect(frame(page, "approvalCenter").getByText(`Approve: ${title}`).first()).toBeVisible();
});

test("the user closes the runtime widget and opens it again", async ({ page }) => {
  const account = await accountHref(page, "Lucerne", 1);
  await page.goto(await ticketHref(page, account));
  await expectReady(page, "flowsRuntime");
  await frame(page, "flowsRuntime").getByRole("button", { name: "Close" }).click();
  const panel = widget(page, "flowsRuntime");
  await expect(panel).toHaveAttribute("data-state", "closed");
  await expect(panel.locator("iframe")).toHaveCount(0);
  await expect(panel.getByTestId("widget-action")).toBeDisabled();
  await panel.getByRole("button", { name: "Open again" }).click();
  await expectReady(page, "flowsRuntime");
});

test.describe("in Dutch", () => {
  test.use({ locale: "nl-NL" });

  test("a Dutch browser gets the widgets, and Flowhost's words in them, in Dutch", async ({ page }) => {
    await page.goto(await accountHref(page, "Margie", 1));
    await expectReady(page, "templates");
    expect(await widget(page, "templates").locator("iframe").getAttribute("src")).toContain(templatesPath("nl-nl"));
    const templates = frame(page, "templates");
    await templates.getByRole("button", { name: new RegExp(ACKNOWLEDGE) }).click();
    await expect(templates.getByRole("heading", { name: "Dit record automatiseren" })).toBeVisible();
    await expect(templates.getByRole("button", { name: "De stroom maken" })).toBeVisible();
  });
});

test("a message from another origin posing as the widget is dropped", async ({ page }) => {
  const account = await accountHref(page, "Coho", 1);
  // The real widget takes its time, so only the forged message could make it ready.
  await control("flow", "faults", { ready_delay_ms: 6000 });
  await page.goto(account);
  const panel = widget(page, "flows");
  await expect(panel.locator("iframe")).toHaveCount(1);
  const id = await panel.locator("iframe").getAttribute("id");
  // The SDK's own check is a plain suffix test: this origin passes it.
  await page.evaluate((signature) => {
    const data = { signature, id: "F0RGED00-0000-4000-8000-000000000000", method: "WIDGET_READY", params: [{ data: {} }] };
    window.dispatchEvent(new MessageEvent("message", { data, origin: "https://evilpowerautomate.com" }));
  }, id);
  await page.waitForTimeout(1_000);
  await expect(panel).toHaveAttribute("data-state", "loading");
  await expectReady(page, "flows");
});

test("bianca of Fabrikam sees none of Contoso's flows or approvals", async ({ page, context }) => {
  const account = await accountHref(page, "Margie");
  const ticket = await ticketHref(page, account);
  // Alex's widgets have their tokens and his page is left before his cookies go, so no answer to
  // one of his requests still under way can set his session's cookie again after Bianca signs in.
  await expectReady(page, "templates");
  await expectReady(page, "flows");
  await page.goto("about:blank");
  await context.clearCookies();
  await signIn(page, "bianca@fabrikam.example");
  await page.goto("/flows");
  await expectReady(page, "flows");
  await expect(frame(page, "flows").getByText("You have no flows here yet.")).toBeVisible();
  await page.goto("/approvals");
  await expectReady(page, "approvalCenter");
  await expect(frame(page, "approvalCenter").getByText("No approvals here.")).toBeVisible();
  expect((await page.goto(ticket))!.status()).toBe(404);
});

test("no token reaches the page's HTML, storage or any URL", async ({ page }) => {
  const urls: string[] = [];
  const tokens: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  page.on("response", async (r) => {
    if (r.url().includes("/api/get_flow_token")) {
      const body = await r.json().catch(() => null);
      if (body?.Token?.token) tokens.push(body.Token.token);
    }
  });
  await page.goto(await accountHref(page, "Alpine", 1));
  await expectReady(page, "templates");
  await expectReady(page, "flows");
  expect(tokens.length).toBeGreaterThan(0);
  const html = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  const cookies = JSON.stringify(await page.context().cookies());
  for (const token of tokens) {
    expect(html).not.toContain(token);
    expect(storage).not.toContain(token);
    expect(cookies).not.toContain(token);
    for (const url of urls) expect(url).not.toContain(token.slice(0, 40));
  }
  // The first answer went into the HTML of no page: it came from the server function only.
  expect(html).not.toContain("refresh_token");
});

test("a widget closed and opened again leaves no frame or listener of its first run behind", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  const listeners = async () => {
    const { result } = await cdp.send("Runtime.evaluate", { expression: "window" });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId! });
    return listeners.filter((l) => l.type === "message").length;
  };
  await page.goto(await ticketHref(page, await accountHref(page, "Blue")));
  await expectReady(page, "flowsRuntime");
  await expectReady(page, "approvalCenter");
  const running = await listeners();
  const panel = widget(page, "flowsRuntime");
  await frame(page, "flowsRuntime").locator("button.close").click();
  await expect(panel).toHaveAttribute("data-state", "closed");
  await expect(page.locator("iframe")).toHaveCount(1);
  expect(await listeners()).toBeLessThan(running);
  for (let run = 0; run < 2; run++) {
    await panel.getByRole("button", { name: "Open again" }).click();
    await expectReady(page, "flowsRuntime");
    await expect(page.locator("iframe")).toHaveCount(2);
    expect(await listeners()).toBe(running);
    if (run === 0) {
      await frame(page, "flowsRuntime").locator("button.close").click();
      await expect(panel).toHaveAttribute("data-state", "closed");
    }
  }
});

test.describe("when things go wrong", () => {
  test("the SDK script fails to load: a message with a retry, and the page keeps working", async ({ page }) => {
    const account = await accountHref(page, "Adventure");
    await control("flow", "faults", { script: "fail" });
    await page.goto(account);
    const message = widget(page, "templates").getByTestId("widget-message");
    await expect(message).toContainText("Power Automate could not be reached", { timeout: 10_000 });
    await expect(page.getByTestId("tickets")).toBeVisible();
    await control("flow", "faults", {});
    await message.getByRole("button", { name: "Try again" }).click();
    await expectReady(page, "templates");
  });

  test("the Flow host does not answer: the message comes within ten seconds", async ({ page }) => {
    const account = await accountHref(page, "Adventure", 1);
    await control("flow", "faults", { script: "hang" });
    const started = Date.now();
    await page.goto(account);
    await expect(widget(page, "flows").getByTestId("widget-message")).toContainText("could not be reached", { timeout: 12_000 });
    expect(Date.now() - started).toBeLessThan(12_000);
    await expect(page.getByRole("link", { name: "New ticket" })).toBeVisible();
  });

  test("a widget that never starts points at third-party cookies", async ({ page }) => {
    const account = await accountHref(page, "Adventure", 2);
    await control("flow", "faults", { pages: "silent" });
    await page.goto(account);
    await expect(widget(page, "templates").getByTestId("widget-message")).toContainText("third-party cookies", {
      timeout: 15_000,
    });
  });

  test("a slow widget is waited for, not reported", async ({ page }) => {
    const account = await accountHref(page, "Litware", 1);
    await control("flow", "faults", { ready_delay_ms: 3000 });
    await page.goto(account);
    await expectReady(page, "templates");
    await expect(widget(page, "templates").getByTestId("widget-message")).toHaveCount(0);
  });

  test("a refused token: the widget says Authentication failed", async ({ page }) => {
    const account = await accountHref(page, "Proseware", 1);
    await control("flow", "faults", { reject_tokens: true });
    await page.goto(account);
    await expect(frame(page, "templates").getByText("Authentication failed.")).toBeVisible({ timeout: 15_000 });
    await expect(widget(page, "templates").getByTestId("widget-message")).toContainText("did not accept your sign-in", {
      timeout: 15_000,
    });
    await expect(widget(page, "templates").getByRole("link", { name: "Reconnect to Power Automate" })).toBeVisible();
  });

  test("a token the service calls expired is asked for again, and the widget carries on", async ({ page }) => {
    const account = await accountHref(page, "Litware", 2);
    let asked = 0;
    page.on("response", (r) => {
      if (r.url().includes("/api/get_flow_token")) asked += 1;
    });
    await page.goto(account);
    await expectReady(page, "templates");
    const before = asked;
    await control("flow", "expire-token");
    await frame(page, "templates").getByRole("searchbox").fill("reopen");
    await expect(frame(page, "templates").getByRole("button", { name: /Reopen a resolved ticket/ })).toBeVisible();
    await expect(frame(page, "templates").getByRole("button", { name: new RegExp(ACKNOWLEDGE) })).toHaveCount(0);
    expect(asked).toBeGreaterThan(before);
  });

  test("an expired refresh token asks to reconnect, and reconnecting comes back to the record", async ({ page, context }) => {
    // Adele: no Power Automate token of hers is cached yet.
    const account = await accountHref(page, "Northwind", 1);
    await context.clearCookies();
    await control("idp", "lifetimes", { refresh_token_seconds: 1 });
    await signIn(page, "adele@contoso.example");
    await control("idp", "lifetimes", { refresh_token_seconds: 90 * 24 * 3600 });
    await page.waitForTimeout(1_500);
    await page.goto(account);
    const message = widget(page, "templates").getByTestId("widget-message");
    await expect(message).toContainText("Your connection to Power Automate has expired");
    await message.getByRole("link", { name: "Reconnect to Power Automate" }).click();
    await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
    await page.getByRole("button", { name: "adele@contoso.example" }).click();
    await expect(page).toHaveURL(new RegExp(`${account}$`));
    await expectReady(page, "templates");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the record page renders and says the widgets need JavaScript", async ({ page }) => {
    const account = await accountHref(page, "Blue", 1);
    await page.goto(account);
    await expect(page.getByTestId("tickets")).toBeVisible();
    await expect(widget(page, "templates")).toContainText("need JavaScript");
    await expect(page.locator("iframe")).toHaveCount(0);
  });
});
