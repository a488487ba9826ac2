import { expect, test } from "@playwright/test";
import { signIn } from "../support/session";

test.use({ javaScriptEnabled: false });

test.beforeEach(async ({ page }) => {
  await signIn(page, "alex@contoso.example");
});

test("without JavaScript a ticket is still created and edited", async ({ page }) => {
  const title = `Filed without JavaScript ${Date.now()}`;
  await page.goto("/accounts?q=litware");
  await page.getByTestId("accounts").getByRole("link").first().click();
  await page.getByRole("link", { name: "New ticket" }).click();

  await page.getByLabel("Title").fill("");
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page.locator("#title-error")).toHaveText("Title is required.");

  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await page.getByLabel("Status").selectOption("resolved");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("ticket-status")).toHaveText("Resolved");
});
