import { type Browser, expect, test } from "@playwright/test";
import { OwnServer } from "../support/server";
import { person as personOn } from "../support/session";
import { expectAccessible } from "../support/axe";

// Ordering seats changes the sandbox's licences, so this runs on a Flowhost of its own:
// Contoso's admin sees who its licences leave out, one of those people sees why on a record
// page, and the ISV orders Power Automate Premium seats for Contoso through Partner Center.
let server: OwnServer;

const ADELE = "adele@contoso.example";
const MEGAN = "megan@contoso.example";
const IRIS = "iris@flowhost.example";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  server = await OwnServer.create("licences");
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

const person = (browser: Browser, email: string) => personOn(browser, server.baseURL, email);

test("contoso's coverage, a person it leaves out, and premium seats ordered through CSP", async ({ browser }) => {
  test.setTimeout(120_000);

  // Adele, Contoso's admin, reads its licences.
  const adele = await person(browser, ADELE);
  await adele.page.goto("/settings/flows");
  await adele.page.getByRole("button", { name: "Read the licences again now" }).click();
  await expect(adele.page.getByText("The licences were read again.")).toBeVisible();
  await expect(adele.page.getByTestId("licence-summary")).toHaveText(
    "18 of 40 people with a licence can run flows that use Flowhost.",
  );
  const skus = adele.page.getByTestId("licence-skus");
  await expect(skus.getByRole("row", { name: /Office 365 E3/ })).toContainText(
    "includes Power Automate, but not custom connectors",
  );
  await expect(skus.getByRole("row", { name: /Power Automate Premium/ })).toContainText("18 of 18 assigned");
  const people = adele.page.getByTestId("people-without-cover");
  await expect(people).toContainText("Megan Bowen (megan@contoso.example)");
  await expect(people).not.toContainText("alex@contoso.example");
  await expectAccessible(adele.page, "the organisation's licences");

  // Megan sees on a record page that flows using Flowhost will not run for her.
  const megan = await person(browser, MEGAN);
  await megan.page.goto("/accounts");
  await megan.page.getByTestId("accounts").getByRole("link").first().click();
  const note = megan.page.getByTestId("licence-note");
  await expect(note).toContainText("Flows that use Flowhost will not run for you");
  await expect(note).toContainText("Ask Adele Vance");
  await expect(megan.page.locator(".flow-widget").first()).toBeVisible();
  await expectAccessible(megan.page, "a record page with the licence note");
  const record = megan.page.url();

  // Iris, the ISV's admin, sees every organisation's coverage and orders five seats.
  const iris = await person(browser, IRIS);
  await iris.page.goto("/admin/licences");
  const contoso = iris.page.getByTestId("coverage").getByRole("row", { name: /Contoso/ });
  await expect(contoso).toContainText("18 of 40 people");
  await expectAccessible(iris.page, "the console's licences");
  await contoso.getByRole("link").click();
  await expect(iris.page.getByRole("heading", { level: 1 })).toContainText("Licences of");
  await iris.page.getByRole("button", { name: "Link to this customer" }).click();
  await expect(iris.page.getByText("The organisation is linked to its Partner Center customer.")).toBeVisible();
  await expect(iris.page.getByTestId("csp-subscriptions")).toContainText("Office 365 E3");
  const offer = iris.page.locator("#order-offer option", { hasText: "Power Automate Premium" });
  await iris.page.locator("#order-offer").selectOption((await offer.getAttribute("value"))!);
  await iris.page.getByLabel("Seats", { exact: true }).fill("5");
  await iris.page.getByRole("button", { name: "Order", exact: true }).click();
  await expect(iris.page.getByText("Partner Center took the order")).toBeVisible();
  await expectAccessible(iris.page, "an organisation's licences and orders in the console");
  const order = iris.page.getByTestId("csp-orders").getByRole("row", { name: /5 seats of Power Automate Premium/ });
  await expect(order).toContainText("Iris Novak");
  await expect(async () => {
    await iris.page.reload();
    await expect(order).toHaveAttribute("data-status", "completed", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(iris.page.getByTestId("licence-summary")).toHaveText(
    "19 of 40 people with a licence can run flows that use Flowhost.",
  );

  // The order completed and the licences were read again: Megan's note is gone.
  await expect(async () => {
    await megan.page.goto(record);
    await expect(megan.page.locator(".flow-widget").first()).toBeVisible({ timeout: 1_000 });
    await expect(megan.page.getByTestId("licence-note")).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  for (const p of [adele, megan, iris]) await p.context.close();
});
