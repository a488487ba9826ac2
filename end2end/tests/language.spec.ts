import { expect, test } from "@playwright/test";
import { expectAccessible } from "../support/axe";
import { signIn } from "../support/session";
import { accountHref, expectReady, widget } from "../support/widgets";

test.beforeEach(async ({ page }) => {
  await signIn(page, "alex@contoso.example");
});

test("the switch turns Flowhost Dutch, remembers it, and the islands' hydration keeps every word", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(m.text());
  });
  await page.goto("/accounts?q=coho");
  await page.getByRole("button", { name: "Nederlands" }).click();
  await expect(page).toHaveURL(/\/accounts\?q=coho$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
  const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
  await expect(nav.getByRole("link", { name: "Mijn stromen" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Nederlands" })).toHaveAttribute("aria-pressed", "true");

  // Another page, loaded anew, is Dutch too; once the wasm has hydrated its islands, still Dutch.
  await page.goto(await accountHref(page, "Coho"));
  await expectReady(page, "flows");
  await expect(nav.getByRole("link", { name: "Mijn stromen" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Afmelden" })).toBeVisible();
  expect(errors.filter((e) => /hydrat/i.test(e))).toEqual([]);
  await expectAccessible(page, "an account in the language the switch chose");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "My flows" })).toBeVisible();
});

test("the widgets follow the chosen language, not only the browser's", async ({ page }) => {
  await page.goto("/accounts");
  await page.getByRole("button", { name: "Nederlands" }).click();
  await page.goto(await accountHref(page, "Margie", 1));
  await expectReady(page, "templates");
  expect(await widget(page, "templates").locator("iframe").getAttribute("src")).toContain("/nl-nl/widgets/templates/");
  await page.getByRole("button", { name: "English" }).click();
  await expectReady(page, "templates");
  expect(await widget(page, "templates").locator("iframe").getAttribute("src")).toContain("/en-us/widgets/templates/");
});
