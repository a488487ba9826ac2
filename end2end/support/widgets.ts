import { expect, type FrameLocator, type Locator, type Page, test } from "@playwright/test";
import { flowURL, sandboxURL } from "./env";

/** Tells the sandbox's Power Automate (`flow`) or identity provider (`idp`) what to do. */
export async function control(origin: "flow" | "idp", path: string, body: unknown = {}): Promise<unknown> {
  const base = origin === "flow" ? flowURL : sandboxURL;
  const res = await fetch(`${base}/_sandbox/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${origin} ${path}: HTTP ${res.status}`);
  return res.json();
}

/** Which SDK the sandbox's Power Automate serves, and which host its origin stands for. */
export type Sdk = { sdk: "2.2" | "1.1"; host: "maker" | "classic" };

export const CURRENT_SDK: Sdk = { sdk: "2.2", host: "maker" };

/** The SDK the running project tests the widgets under (see playwright.config.ts). */
export function projectSdk(): Sdk {
  const wanted = test.info().project.metadata as Partial<Sdk>;
  return { sdk: wanted.sdk ?? CURRENT_SDK.sdk, host: wanted.host ?? CURRENT_SDK.host };
}

/** Puts the sandbox back to normal: no faults, the usual token lifetimes, and `sdk`. */
export async function normal(sdk: Sdk = CURRENT_SDK): Promise<void> {
  await control("flow", "faults", {});
  await control("flow", "sdk", sdk);
  await control("idp", "lifetimes", { access_token_seconds: 3600, refresh_token_seconds: 90 * 24 * 3600 });
}

export function widget(page: Page, kind: string): Locator {
  return page.getByTestId(`widget-${kind}`);
}

export function frame(page: Page, kind: string): FrameLocator {
  return page.frameLocator(`[data-testid="widget-${kind}"] iframe`);
}

export async function expectReady(page: Page, kind: string): Promise<void> {
  await expect(widget(page, kind)).toHaveAttribute("data-state", "ready", { timeout: 15_000 });
}

/** The href of the `n`th account on the first page of accounts whose name matches `search`. */
export async function accountHref(page: Page, search: string, n = 0): Promise<string> {
  await page.goto(`/accounts?q=${encodeURIComponent(search)}`);
  const href = await page.getByTestId("accounts").getByRole("link").nth(n).getAttribute("href");
  return href!;
}

/** The href of the `n`th ticket of an account page. */
export async function ticketHref(page: Page, account: string, n = 0): Promise<string> {
  await page.goto(account);
  return (await page.getByTestId("tickets").getByRole("link").nth(n).getAttribute("href"))!;
}

/**
 * Signs `email` in to Flowhost's connector from a widget's connection row, as a maker does
 * before making a flow from Flowhost's templates; a row already connected as them is left so.
 */
export async function connectToFlowhost(page: Page, widgetFrame: FrameLocator, email: string): Promise<void> {
  const row = widgetFrame.locator('.connection[data-api="shared_flowhost"]');
  const signIn = row.getByRole("button", { name: "Sign in" });
  const connected = row.getByText(`Connected as ${email}`);
  await expect(signIn.or(connected)).toBeVisible();
  if (await connected.isVisible()) return;
  const opened = page.waitForEvent("popup");
  await signIn.click();
  const window = await opened;
  await window.getByRole("button", { name: email }).click();
  await expect(connected).toBeVisible({ timeout: 15_000 });
}
