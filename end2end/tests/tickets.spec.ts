import { expect, test } from "@playwright/test";
import { signIn } from "../support/session";

test.beforeEach(async ({ page }) => {
  await signIn(page, "alex@contoso.example");
});

async function openNewTicketForm(page: import("@playwright/test").Page) {
  await page.goto("/accounts?q=coho");
  await page.getByTestId("accounts").getByRole("link").first().click();
  await page.getByRole("link", { name: "New ticket" }).click();
  await expect(page.getByRole("heading", { name: "New ticket" })).toBeVisible();
}

test("a ticket is created, then its status and priority are changed", async ({ page }) => {
  const title = `Printer on fire ${Date.now()}`;
  await openNewTicketForm(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("Smoke from tray 2.\nSecond line.");
  await page.getByLabel("Priority").selectOption("high");
  await page.getByRole("button", { name: "Create ticket" }).click();

  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("created.");
  await expect(page.getByTestId("ticket-status")).toHaveText("Open");
  await expect(page.getByTestId("ticket-priority")).toHaveText("High");
  await expect(page.getByText("Second line.")).toBeVisible();

  await page.getByLabel("Status").selectOption("pending");
  await page.getByLabel("Priority").selectOption("urgent");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText("Changes saved.");
  await expect(page.getByTestId("ticket-status")).toHaveText("Pending");
  await expect(page.getByTestId("ticket-priority")).toHaveText("Urgent");

  // The account's list shows it too.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").last().click();
  await expect(page.getByTestId("tickets")).toContainText(title);
});

test("refused input stays in the form with each error next to its field", async ({ page }) => {
  await openNewTicketForm(page);
  const description = "Details that must not be lost";
  await page.getByLabel("Title").fill("x".repeat(201));
  await page.getByLabel("Description").fill(description);
  await page.getByLabel("Requester").fill("");
  await page.getByRole("button", { name: "Create ticket" }).click();

  await expect(page.locator("#title-error")).toHaveText("Title must be at most 200 characters (it has 201).");
  await expect(page.locator("#requester-error")).toHaveText("Requester is required.");
  await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Description")).toHaveValue(description);
  await expect(page.getByLabel("Title")).toHaveValue("x".repeat(201));

  await page.getByLabel("Title").fill("Now it fits");
  await page.getByLabel("Requester").fill("pat@coho.example");
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page.getByRole("heading", { name: "Now it fits" })).toBeVisible();
});

test("another organisation's record is a designed 404", async ({ page, context }) => {
  await page.goto("/accounts");
  const href = await page.getByTestId("accounts").getByRole("link").first().getAttribute("href");
  await context.clearCookies();
  await signIn(page, "bianca@fabrikam.example");
  const response = await page.goto(href!);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText("Fabrikam");
});
