import { expect, test } from "@playwright/test";
import { OwnServer } from "../support/server";
import { signIn } from "../support/session";

test("an anonymous visitor signs in and comes back to the page they asked for", async ({ page }) => {
  await page.goto("/accounts?q=coho");
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await page.getByRole("button", { name: "alex@contoso.example" }).click();
  await expect(page).toHaveURL(/\/accounts\?q=coho$/);
  await expect(page.getByTestId("signed-in-user")).toContainText("Alex Wilber");
});

test("alex sees Contoso's accounts and bianca Fabrikam's, never each other's", async ({ page, context }) => {
  await signIn(page, "bianca@fabrikam.example");
  await expect(page.getByTestId("signed-in-user")).toContainText("Fabrikam");
  const fabrikam = await page.getByTestId("accounts").getByRole("link").first().getAttribute("href");

  await context.clearCookies();
  await signIn(page, "alex@contoso.example");
  await expect(page.getByTestId("signed-in-user")).toContainText("Contoso");
  const contoso = await page.getByTestId("accounts").getByRole("link").first().getAttribute("href");
  expect(contoso).not.toEqual(fabrikam);
  const response = await page.goto(fabrikam!);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("nora's organisation is not set up", async ({ page }) => {
  await page.goto("/auth/login");
  await page.getByRole("button", { name: "nora@northwind.example" }).click();
  await expect(page.getByRole("heading", { name: "Your organisation has not been set up" })).toBeVisible();
  const me = await page.request.get("/auth/me");
  expect(me.status()).toBe(401);
});

test("tom's organisation has not consented: the page links to admin consent", async ({ page }) => {
  await page.goto("/auth/login");
  await page.getByRole("button", { name: "tom@tailspin.example" }).click();
  await expect(page.getByRole("heading", { name: "Your organisation has not approved Flowhost yet" })).toBeVisible();
  const consent = page.getByRole("link", { name: "Administrator: grant consent" });
  await expect(consent).toHaveAttribute("href", /\/organizations\/v2\.0\/adminconsent\?client_id=/);
});

test("signing out ends the session; the back button shows nothing private", async ({ page }) => {
  await signIn(page, "alex@contoso.example");
  await expect(page.getByTestId("accounts")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  expect((await page.request.get("/auth/me")).status()).toBe(401);

  await page.goBack();
  await expect(page.getByTestId("accounts")).toHaveCount(0);
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
});

test("the session survives a server restart", async ({ browser }) => {
  const server = await OwnServer.create("restart");
  await server.start();
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  try {
    await signIn(page, "adele@contoso.example");
    await expect(page.getByTestId("signed-in-user")).toContainText("Adele Vance");
    await server.stop();
    await server.start();
    await page.reload();
    await expect(page.getByTestId("signed-in-user")).toContainText("Adele Vance");
    await expect(page.getByTestId("accounts")).toBeVisible();
  } finally {
    await context.close();
    await server.stop();
  }
});
