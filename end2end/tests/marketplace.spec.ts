import { type Browser, expect, type Page, test } from "@playwright/test";
import { OwnServer } from "../support/server";
import { person as personOn } from "../support/session";
import { expectAccessible, PLAIN } from "../support/axe";

// A purchase admits Northwind, so this runs on a Flowhost of its own: Northwind's admin buys
// on the sandbox's marketplace, lands on Flowhost and confirms; the marketplace's changes then
// arrive by webhook.
let server: OwnServer;

const NORA = "nora@northwind.example";
const NILS = "nils@northwind.example";
const IRIS = "iris@flowhost.example";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  server = await OwnServer.create("marketplace");
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

const person = (browser: Browser, email: string) => personOn(browser, server.baseURL, email);

/** Picks `email` on the identity provider's account picker. */
async function pick(page: Page, email: string): Promise<void> {
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await page.getByRole("button", { name: email }).click();
}

/** The subscription's id, as the ISV's console shows it. */
async function subscriptionId(browser: Browser): Promise<string> {
  const { context, page } = await person(browser, IRIS);
  await page.goto("/admin/subscriptions");
  const row = page.getByTestId("subscriptions").locator("tr[data-subscription]").first();
  await expect(row).toContainText("northwind.example");
  await expect(row).toContainText("Standard");
  const id = (await row.getAttribute("data-subscription"))!;
  await expectAccessible(page, "the console's subscriptions");
  await context.close();
  return id;
}

test("northwind buys the standard plan with a free trial and its people use flowhost until it ends", async ({
  browser,
}) => {
  // Nora buys on the marketplace and is sent to Flowhost's landing page.
  const buyer = await browser.newContext({ baseURL: server.baseURL });
  const page = await buyer.newPage();
  await page.goto(`${server.flowURL}/_sandbox/marketplace`);
  await page.getByLabel("Bought by").selectOption(NORA);
  await page.getByLabel("Plan", { exact: true }).selectOption("standard");
  await page.getByLabel("Seats (per-seat plans)").fill("5");
  await page.getByLabel("Start with the free trial").check();
  await page.getByRole("button", { name: "Buy" }).click();
  await pick(page, NORA);

  await expect(page.getByRole("heading", { name: "Confirm your purchase" })).toBeVisible();
  const facts = page.locator("dl.facts");
  await expect(facts).toContainText("Standard");
  await expect(facts).toContainText("5 people a month");
  await expect(facts).toContainText("Yes, one month");
  await expect(facts).toContainText(NORA);
  await expectAccessible(page, "the landing page", PLAIN);
  await page.getByRole("button", { name: "Confirm and start" }).click();
  await expect(page.getByRole("heading", { name: "Your organisation is set up" })).toBeVisible();

  // Into Flowhost: Northwind's empty desk, Nora its admin.
  await page.getByRole("link", { name: "Open Flowhost" }).click();
  await pick(page, NORA);
  await page.goto("/accounts");
  await expect(page.getByText("No accounts yet.")).toBeVisible();
  await page.goto("/settings");
  const plan = page.getByTestId("subscription");
  await expect(plan.getByTestId("plan-name")).toHaveText("Standard");
  await expect(plan.getByTestId("plan-seats")).toHaveText("1 of 5 used this month");
  await expectAccessible(page, "the settings page with the subscription");

  const nils = await person(browser, NILS);
  await expect(nils.page.getByText("No accounts yet.")).toBeVisible();

  // The customer changes plan on the marketplace; the webhook brings it to Flowhost.
  const id = await subscriptionId(browser);
  await server.control(`marketplace/subscriptions/${id}/changePlan`, { planId: "widgets" });
  await expect(async () => {
    await page.goto("/settings/flows");
    await expect(page.getByTestId("not-in-plan").first()).toContainText("not in your organisation's plan", {
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000 });
  await page.goto("/settings");
  await expect(page.getByTestId("plan-name")).toHaveText("Widgets");

  // Suspended: Northwind's people see why, on every page.
  await server.control(`marketplace/subscriptions/${id}/suspend`);
  await expect(async () => {
    await nils.page.goto("/accounts");
    await expect(
      nils.page.getByRole("heading", { name: "Your organisation's subscription is suspended" }),
    ).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expectAccessible(nils.page, "the suspended page", PLAIN);

  // Unsubscribed: access ends.
  await server.control(`marketplace/subscriptions/${id}/unsubscribe`);
  await expect(async () => {
    await nils.page.goto("/accounts");
    await expect(nils.page.getByRole("heading", { name: "Pick an account" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await nils.page.getByRole("button", { name: NILS }).click();
  await expect(nils.page.getByRole("heading", { name: "Your organisation has not been set up" })).toBeVisible();

  await nils.context.close();
  await buyer.close();
});
