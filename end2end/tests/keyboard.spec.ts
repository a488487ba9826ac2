import { expect, type Page, test } from "@playwright/test";
import { baseURL, sandboxURL } from "../support/env";
import { explain, expectFocus, expectIndicator, type Focused, focused, move, tabTo } from "../support/keyboard";
import { expectReady } from "../support/widgets";

// Everything here is done with the keyboard alone: Tab, Shift+Tab, Enter, Space, the arrow
// keys and typing. Every place the focus lands must show it.

const TEMPLATES = "Power Automate: flow templates";
const FLOWS = "Power Automate: my flows";
const RUNTIME = "Power Automate: run a flow";
const APPROVALS = "Power Automate: approvals";

const inFrame = (title: string) => (f: Focused) => f.frames[0] === title;
const onMain = (f: Focused) => f.tag === "main" && f.frames.length === 0;

/** Waits for the page's wasm to start, so that its islands (the widgets) are being hydrated. */
async function hydrated(page: Page): Promise<void> {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}

/** Follows the focused link (Enter) to `path`: a new page, which starts with the focus at its
 * top, so that the next Tab reaches the skip link first. */
async function follow(page: Page, path: string | RegExp): Promise<void> {
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(path);
  await expectFocus(page, (f) => f.tag === "body" && f.frames.length === 0, "the top of the new page");
  const first = await move(page, "Tab");
  expect(first.href, `the first Tab went to ${explain(first)}`).toBe("#content");
}

/** Tabs into the widget titled `first`, on into `second` next to it, and back out of both by
 * Shift+Tab: no widget's frame keeps the focus. */
async function passWidgets(page: Page, first: string, second: string): Promise<void> {
  await tabTo(page, inFrame(first), `the widget "${first}"`);
  const afterFirst = await tabTo(page, (f) => !inFrame(first)(f), `past the widget "${first}"`);
  expect(afterFirst.frames, explain(afterFirst)).toEqual([second]);
  const beforeSecond = await tabTo(page, (f) => !inFrame(second)(f), `back out of the widget "${second}"`, { back: true });
  expect(beforeSecond.frames, explain(beforeSecond)).toEqual([first]);
  const beforeFirst = await tabTo(page, (f) => !inFrame(first)(f), `back out of the widget "${first}"`, { back: true });
  expect(beforeFirst.frames, explain(beforeFirst)).toEqual([]);
}

/** Opens the home page, which sends a visitor who is not signed in to the identity provider's
 * account picker, and picks `email` there. */
async function signInByKeyboard(page: Page, email: string): Promise<void> {
  await page.goto("/");
  await page.waitForURL((url) => url.origin === new URL(sandboxURL).origin);
  await expect(page.getByRole("button", { name: email })).toBeVisible();
  await tabTo(page, (f) => f.tag === "button" && f.text.includes(email), `the button of ${email}`);
  await page.keyboard.press("Space");
  await page.waitForURL((url) => url.origin === new URL(baseURL).origin);
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
  await hydrated(page);
}

/** Chooses the next option of the focused `<select>` with an arrow key; returns its value. */
async function nextOption(page: Page, key: "ArrowDown" | "ArrowUp"): Promise<string> {
  const before = (await focused(page)).text;
  await page.keyboard.press(key);
  const after = await expectFocus(page, (f) => f.tag === "select" && f.text !== before, `another option than ${before}`);
  expectIndicator(after);
  return after.text;
}

test("the first tab stop skips the header and lands before the page's content", async ({ page }) => {
  await signInByKeyboard(page, "alex@contoso.example");
  await expect(page).toHaveURL(`${baseURL}/`);
  const skip = await move(page, "Tab");
  expect(skip.href, explain(skip)).toBe("#content");
  expect(skip.text).toBe("Skip to content");
  const box = (await page.locator(".skip-link").boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.height).toBeGreaterThan(10);
  await page.keyboard.press("Enter");
  expectIndicator(await expectFocus(page, onMain, "the page's content"));
  const next = await move(page, "Tab");
  expect(next.inMain, `after the skip link, Tab went to ${explain(next)}`).toBe(true);
  expect(next.href).toBe("/accounts");
});

test("a person signs in, finds an account, passes its widgets, changes a ticket and passes its widgets by keyboard alone", async ({ page }) => {
  await signInByKeyboard(page, "alex@contoso.example");

  await tabTo(page, (f) => !f.inMain && f.href === "/accounts", "the header's Accounts link");
  await follow(page, `${baseURL}/accounts`);
  await expect(page.getByTestId("accounts")).toBeVisible();
  await tabTo(page, (f) => f.id === "q", "the search box");
  await page.keyboard.type("Wingtip");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]q=Wingtip/);
  await hydrated(page);
  const account = (await page.getByTestId("accounts").getByRole("link").nth(2).getAttribute("href"))!;
  await tabTo(page, (f) => f.href === account, `the link to ${account}`);
  await follow(page, new RegExp(`${account}$`));
  await expectReady(page, "templates");
  await expectReady(page, "flows");

  await passWidgets(page, TEMPLATES, FLOWS);

  const ticket = await tabTo(page, (f) => f.within === "tickets" && f.tag === "a", "a ticket", { back: true });
  const form = ticket.href!;
  await follow(page, new RegExp(`${form}$`));

  // Change the status, save, and put it back the same way.
  const status = await tabTo(page, (f) => f.id === "status", "the status field");
  const original = status.text;
  const forward = original === "closed" ? "ArrowUp" : "ArrowDown";
  const changed = await nextOption(page, forward);
  const label = (await page.locator(`#status option[value="${changed}"]`).textContent())!;
  await tabTo(page, (f) => f.tag === "button" && f.type === "submit" && f.form === form, "the save button");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("ticket-status")).toHaveText(label);
  await hydrated(page);

  await tabTo(page, (f) => f.id === "status", "the status field");
  expect(await nextOption(page, forward === "ArrowDown" ? "ArrowUp" : "ArrowDown")).toBe(original);
  const originalLabel = (await page.locator(`#status option[value="${original}"]`).textContent())!;
  await tabTo(page, (f) => f.tag === "button" && f.type === "submit" && f.form === form, "the save button");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("ticket-status")).toHaveText(originalLabel);

  await expectReady(page, "flowsRuntime");
  await expectReady(page, "approvalCenter");
  await passWidgets(page, RUNTIME, APPROVALS);
});

test("ISV staff use the console's forms by keyboard alone; a refused placement gets the focus back", async ({ page }) => {
  await signInByKeyboard(page, "iris@flowhost.example");

  await tabTo(page, (f) => !f.inMain && f.href === "/admin/widgets", "the header's Console link");
  await follow(page, `${baseURL}/admin/widgets`);
  await expect(page.getByTestId("placements")).toBeVisible();

  // As one organisation sees it: choose it, then show.
  await tabTo(page, (f) => f.id === "tenant", "the organisation field");
  await nextOption(page, "ArrowDown");
  await tabTo(page, (f) => f.tag === "button" && f.form === "/admin/widgets", "the show button");
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(/[?&]tenant=/);
  await expect(page.getByTestId("override-state").first()).toBeVisible();
  await hydrated(page);

  // A new placement with a key that is not one: refused, and the focus is on the key.
  await tabTo(page, (f) => f.href === "/admin/widgets/new", "the Add a placement link");
  await follow(page, `${baseURL}/admin/widgets/new`);
  await expect(page.getByTestId("placement-form")).toBeVisible();
  await tabTo(page, (f) => f.id === "key", "the key field");
  await page.keyboard.type("Not a key!");
  await tabTo(page, (f) => f.tag === "button" && f.name === "intent" && f.value === "save", "the save button");
  await page.keyboard.press("Enter");
  await expect(page.locator("#key-error")).toBeVisible();
  const key = await expectFocus(page, (f) => f.id === "key", "the refused key field");
  expectIndicator(key);
  expect(key.text).toBe("Not a key!");
});
