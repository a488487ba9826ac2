import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";

/**
 * Signs `email` in the way a person does: Flowhost sends the browser to the identity provider
 * (the sandbox in demo mode), the account is picked there, and the browser comes back to
 * `returnTo`.
 */
export async function signIn(page: Page, email: string, returnTo = "/accounts"): Promise<void> {
  const response = await page.goto(`/auth/login?return_to=${encodeURIComponent(returnTo)}`);
  // The first request of the redirect chain went to Flowhost; the page is now the provider's.
  let first = response!.request();
  while (first.redirectedFrom()) first = first.redirectedFrom()!;
  const flowhost = new URL(first.url()).origin;
  await expect(page.getByRole("heading", { name: /^(Pick an account|Een account kiezen)$/ })).toBeVisible();
  await page.getByRole("button", { name: email }).click();
  await page.waitForURL((url) => url.origin === flowhost);
}

/** A browser context of its own on `baseURL` with `email` signed in, on `/accounts`. */
export async function person(
  browser: Browser,
  baseURL: string,
  email: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, email, "/accounts");
  return { context, page };
}
