import { expect, test } from "@playwright/test";
import { signIn } from "../support/session";

test.beforeEach(async ({ page }) => {
  await signIn(page, "alex@contoso.example");
});

test("the accounts page is rendered on the server with the signed-in user", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/accounts");
  await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText("Alex Wilber");
  await expect(page.getByTestId("signed-in-user")).toContainText("Contoso");
  await expect(page.getByTestId("accounts").locator("tbody tr")).toHaveCount(20);
  await expect(page.getByText("Page 1 of 2")).toBeVisible();
  expect(errors).toEqual([]);
});

test("the title counter's island hydrates and follows what is typed", async ({ page }) => {
  await page.goto("/accounts");
  await page.getByTestId("accounts").getByRole("link").first().click();
  await page.getByRole("link", { name: "New ticket" }).click();
  const counter = page.getByTestId("title-count");
  await expect(counter).toHaveText("0/200");
  // Typing before the wasm has attached its handlers changes nothing, so retry until it does.
  await expect(async () => {
    await page.getByLabel("Title").fill("");
    await page.getByLabel("Title").fill("Hello");
    await expect(counter).toHaveText("5/200", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.getByLabel("Title").fill("Hello, world");
  await expect(counter).toHaveText("12/200");
});

test("search narrows the list and paging moves through it", async ({ page }) => {
  await page.goto("/accounts");
  await page.getByLabel("Search accounts by name").fill("alpine");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=alpine/);
  const rows = page.getByTestId("accounts").locator("tbody tr");
  await expect(rows.first()).toContainText("Alpine");
  for (const name of await rows.locator("td:first-child").allInnerTexts()) {
    expect(name.toLowerCase()).toContain("alpine");
  }
  await page.goto("/accounts");
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page.getByText("Page 2 of 2")).toBeVisible();
  await expect(rows).toHaveCount(10);
});
