import { type Browser, type BrowserContext, expect, type Locator, type Page, test } from "@playwright/test";
import { expectAccessible, type Landmark, PLAIN } from "../support/axe";
import { baseURL, flowURL, sandboxURL } from "../support/env";
import { accountHref, control, expectReady, frame, widget } from "../support/widgets";

// Every page and state the other specs visit, checked with axe-core in English and in Dutch.
// Locators name ids, test ids and roles, never words, so one walk serves both languages.

// A walk visits up to eight pages in each language and runs axe on each.
test.describe.configure({ timeout: 60_000 });

type Lang = "en" | "nl";

const LANGS: { lang: Lang; locale: string }[] = [
  { lang: "en", locale: "en-US" },
  { lang: "nl", locale: "nl-NL" },
];

/** What each widget's frame is called, as Flowhost titles it. */
const FRAME_TITLES: Record<Lang, Record<string, string>> = {
  en: {
    templates: "Power Automate: flow templates",
    flows: "Power Automate: my flows",
    flowsRuntime: "Power Automate: run a flow",
    approvalCenter: "Power Automate: approvals",
  },
  nl: {
    templates: "Power Automate: stroomsjablonen",
    flows: "Power Automate: mijn stromen",
    flowsRuntime: "Power Automate: een stroom uitvoeren",
    approvalCenter: "Power Automate: goedkeuringen",
  },
};

/** The first tab stop of every page. */
const SKIP: Record<Lang, string> = { en: "Skip to content", nl: "Naar de inhoud" };

async function browse(browser: Browser, locale: string): Promise<BrowserContext> {
  return browser.newContext({ locale, extraHTTPHeaders: { "Accept-Language": locale } });
}

/** Goes to the identity provider's account picker and picks `email` there. */
async function pick(page: Page, email: string, returnTo = "/accounts"): Promise<void> {
  await page.goto(`/auth/login?return_to=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: email }).click();
  await page.waitForURL((url) => url.origin === new URL(baseURL).origin);
}

/** Waits for each widget of the page to be ready and checks its frame's title. */
async function widgetsReady(page: Page, lang: Lang, kinds: string[]): Promise<void> {
  for (const kind of kinds) {
    await expectReady(page, kind);
    await expect(widget(page, kind).locator("iframe")).toHaveAttribute("title", FRAME_TITLES[lang][kind]);
  }
}

function submit(form: Locator): Locator {
  return form.locator('button[type="submit"]').first();
}

/** A walk through some pages in one language, signed in as `email` (or not signed in). */
type Walk = (page: Page, lang: Lang, check: (label: string, landmarks?: Landmark[]) => Promise<void>) => Promise<void>;

/** Runs `walk` in one language, in a browser of its own, signed in as `email` (or not). */
async function walkIn(browser: Browser, { lang, locale }: (typeof LANGS)[number], email: string | null, walk: Walk): Promise<void> {
  const context = await browse(browser, locale);
  try {
    const page = await context.newPage();
    if (email) {
      await pick(page, email);
      await expect(page.getByTestId("signed-in-user")).toBeVisible();
    }
    await walk(page, lang, (label, landmarks) => expectAccessible(page, `${label} [${lang}]`, landmarks));
  } finally {
    await context.close();
  }
}

/** Runs `walk` in English and in Dutch at once, each in a browser of its own. */
async function inBothLanguages(browser: Browser, email: string | null, walk: Walk): Promise<void> {
  await Promise.all(LANGS.map((language) => walkIn(browser, language, email, walk)));
}

/** As `inBothLanguages`, one language after the other: for states made with the sandbox's
 * faults, which every browser shares. */
async function inEachLanguage(browser: Browser, email: string | null, walk: Walk): Promise<void> {
  for (const language of LANGS) await walkIn(browser, language, email, walk);
}

test("signed out: the sign-in page, the refused sign-ins and admin consent", async ({ browser }) => {
  await inBothLanguages(browser, null, async (page, _lang, check) => {
    // Flowhost's pages send a visitor who is not signed in to the identity provider.
    await page.goto("/");
    await expect(page.getByRole("button", { name: "alex@contoso.example" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(sandboxURL).origin);
    await check("the identity provider's account picker", ["main"]);

    await page.goto(`${flowURL}/_sandbox/`);
    await check("the sandbox's Power Automate controls", ["main"]);

    for (const email of ["nora@northwind.example", "tom@tailspin.example"]) {
      await pick(page, email);
      await expect(page.locator(".error-page")).toBeVisible();
      await check(`sign-in refused for ${email}`, PLAIN);
    }
    // Tom's page links to the identity provider's admin consent page, in the same language.
    await page.locator('.error-page a[href*="/adminconsent?"]').click();
    await expect(page.locator('form button[name="admin"]').first()).toBeVisible();
    await check("the identity provider's admin consent", ["main"]);
  });
});

test("a user's records: accounts, an account and a ticket with their widgets, refused ticket forms and their focus", async ({ browser }) => {
  await inBothLanguages(browser, "alex@contoso.example", async (page, lang, check) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.locator(".skip-link")).toHaveText(SKIP[lang]);
    await check("home");

    await page.goto("/accounts");
    await expect(page.getByTestId("accounts")).toBeVisible();
    await check("accounts");
    const account = (await page.getByTestId("accounts").getByRole("link").first().getAttribute("href"))!;

    await page.goto("/accounts?q=no%20such%20account");
    await expect(page.locator(".empty")).toBeVisible();
    await check("accounts, empty search");

    await page.goto(account);
    await widgetsReady(page, lang, ["templates", "flows"]);
    await check("account with its widgets");
    const ticket = (await page.getByTestId("tickets").getByRole("link").first().getAttribute("href"))!;

    await page.goto(ticket);
    await widgetsReady(page, lang, ["flowsRuntime", "approvalCenter"]);
    await check("ticket with its widgets");

    // A status the form does not offer: the edit is refused with an error at the field.
    await page.locator("#status option").first().evaluate((o: HTMLOptionElement) => (o.value = "lost"));
    await page.locator("#status").selectOption("lost");
    await submit(page.locator("form.record-form")).click();
    await expect(page.locator("#status-error")).toBeVisible();
    await widgetsReady(page, lang, ["flowsRuntime", "approvalCenter"]);
    await check("ticket edit refused");
    await expectFocusOnRefused(page, "status");

    // An empty comment: refused at its field, which takes the focus.
    await submit(page.locator("form.comment-form")).click();
    await expect(page.locator("#text-error")).toBeVisible();
    await check("ticket comment refused");
    await expectFocusOnRefused(page, "text");

    const form = page.locator("form.record-form");
    await page.goto(`${account}/tickets/new`);
    await form.locator("#title").fill("");
    await form.locator("#requester").fill("");
    await submit(form).click();
    await expect(page.locator("#title-error")).toBeVisible();
    await check("new ticket refused");
    await expectFocusOnRefused(page, "title");

    await form.locator("#title").fill("A title that fits");
    await submit(form).click();
    await expectFocusOnRefused(page, "requester");
  });
});

test("a user's other pages: flows, approvals, a missing record, a refused page, signed out", async ({ browser }) => {
  await inBothLanguages(browser, "alex@contoso.example", async (page, lang, check) => {
    await page.goto("/flows");
    await widgetsReady(page, lang, ["flows"]);
    await check("my flows");

    await page.goto("/approvals");
    await widgetsReady(page, lang, ["approvalCenter"]);
    await check("approvals");

    expect((await page.goto("/accounts/999999"))!.status()).toBe(404);
    await check("a record that does not exist");

    expect((await page.goto("/admin/widgets"))!.status()).toBe(403);
    await check("the console refused to a user");

    await page.locator("form.sign-out button").click();
    await expect(page.locator(".error-page")).toBeVisible();
    await check("signed out", PLAIN);
  });
});

test("an organisation's administrator: settings, and Power Automate settings accepted and refused", async ({ browser }) => {
  await inBothLanguages(browser, "adele@contoso.example", async (page, _lang, check) => {
    await page.goto("/settings");
    await expect(page.getByTestId("users")).toBeVisible();
    await check("settings");

    await page.goto("/settings/flows");
    await expect(page.getByTestId("switches")).toBeVisible();
    await check("Power Automate settings");
    // A pre-built flow installed without the value it needs is refused.
    const contact = "f10a0057a0c1400080000000000b0001-escalationContact";
    await page.locator('article[data-flow="f10a0057a0c1400080000000000b0001"] button[value="install"]').click();
    await expect(page.locator(`[id="${contact}-error"]`)).toBeVisible();
    await check("Power Automate settings refused");
    await expectFocusOnRefused(page, contact);
  });
});

test("ISV staff: the console, a placement, refused ones, the preview, history and import, and the refused forms' focus", async ({ browser }) => {
  await inBothLanguages(browser, "iris@flowhost.example", async (page, _lang, check) => {
    await page.goto("/admin/widgets");
    await expect(page.getByTestId("placements")).toBeVisible();
    await check("console");

    await page.goto("/admin/widgets/account-templates");
    await expect(page.getByTestId("placement-form")).toBeVisible();
    await check("console, a placement");

    await page.goto("/admin/widgets/new");
    const form = page.getByTestId("placement-form");
    await form.locator("#key").fill("Not a key!");
    await form.locator('button[name="intent"][value="save"]').click();
    await expect(page.locator("#key-error")).toBeVisible();
    await check("console, new placement refused");
    await expectFocusOnRefused(page, "key");

    await page.goto("/admin/widgets/account-flows");
    await form.locator("#flowsFilter").fill("operations/any(o: o/flowhost.accountId = '1')");
    await form.locator('button[name="intent"][value="save"]').click();
    await expect(page.locator("#flowsFilter-error")).toBeVisible();
    await check("console, a filter refused");
    await expectFocusOnRefused(page, "flowsFilter");

    await page.goto("/admin/widgets/account-templates");
    await form.locator('button[name="intent"][value="preview"]').click();
    await expect(page.getByTestId("preview").getByTestId("widget-templates")).toHaveAttribute("data-state", "ready", {
      timeout: 15_000,
    });
    await check("console preview with its widget");
    await form.locator("#preview_account").fill("twelve");
    await form.locator('button[name="intent"][value="preview"]').click();
    await expect(page.locator("#preview-error")).toBeVisible();
    await check("console preview refused");

    await page.goto("/admin/widgets/history");
    await expect(page.getByTestId("history")).toBeVisible();
    await check("console history");

    await page.goto("/admin/diagnostics");
    await expect(page.getByTestId("diagnostic-steps").locator('[data-step="ready"]')).toHaveAttribute("data-result", "passed", {
      timeout: 15_000,
    });
    await check("console diagnostics with its test widget");

    await page.goto("/admin/flows");
    await expect(page.getByTestId("deployment-summary")).toBeVisible();
    await check("console pre-built flows");

    await page.goto("/admin/widgets/import");
    await check("console import");
    await page.locator("#document").fill("{}");
    await submit(page.locator("form.record-form")).click();
    await expect(page.getByTestId("import-problems")).toBeVisible();
    await check("console import refused");
    await expectFocusOnRefused(page, "document");
  });
});

test("the widgets' message when Power Automate cannot be reached, and a closed widget", async ({ browser }) => {
  await inEachLanguage(browser, "alex@contoso.example", async (page, lang, check) => {
    const account = await accountHref(page, "Wingtip");
    const message = widget(page, "templates").getByTestId("widget-message");
    try {
      await control("flow", "faults", { script: "fail" });
      await page.goto(account);
      await expect(message.getByRole("button")).toBeVisible({ timeout: 10_000 });
      await check("account, Power Automate could not be reached");
    } finally {
      await control("flow", "faults", {});
    }

    await page.goto(account);
    await page.goto((await page.getByTestId("tickets").getByRole("link").first().getAttribute("href"))!);
    await widgetsReady(page, lang, ["flowsRuntime"]);
    await frame(page, "flowsRuntime").locator("button.close").click();
    await expect(widget(page, "flowsRuntime")).toHaveAttribute("data-state", "closed");
    await check("ticket, the runtime widget closed");
  });
});

test("a form too large to take: the server's refusal page", async ({ browser }) => {
  await inBothLanguages(browser, "alex@contoso.example", async (page, _lang, check) => {
    await page.goto(`${await accountHref(page, "Blue", 2)}/tickets/new`);
    await page.locator("#description").evaluate((area: HTMLTextAreaElement) => (area.value = "x".repeat(2_000_000)));
    await submit(page.locator("form.record-form")).click();
    await expect(page.locator(".error-page")).toBeVisible();
    await check("413, too much to send", PLAIN);
  });
});

/**
 * The focus is on `id`, the first refused field of its form, which names its error: it is
 * `aria-invalid` and described by the error message. With JavaScript, the wasm's start is
 * waited for first: hydrating the page's islands must not take the focus away.
 */
async function expectFocusOnRefused(page: Page, id: string, javaScript = true): Promise<void> {
  if (javaScript) await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  const field = page.locator(`[id="${id}"]`);
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  const refused = page.locator('form [aria-invalid="true"]');
  expect(await refused.first().getAttribute("id"), "the first refused field").toBe(id);
  const error = (await page.locator(`[id="${id}-error"]`).innerText()).trim();
  expect(error).not.toBe("");
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const described = await Promise.all(ids.map((ref) => page.locator(`[id="${ref}"]`).innerText()));
  expect(described.join(" "), `the description of #${id}`).toContain(error);
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a refused new ticket puts the focus on its first refused field", async ({ page }) => {
    await pick(page, "alex@contoso.example");
    const account = await accountHref(page, "Proseware", 2);
    const form = page.locator("form.record-form");
    await page.goto(`${account}/tickets/new`);
    await form.locator("#title").fill("x".repeat(201));
    await form.locator("#requester").fill("");
    await submit(form).click();
    await expectFocusOnRefused(page, "title", false);

    await form.locator("#title").fill("A title that fits");
    await submit(form).click();
    await expectFocusOnRefused(page, "requester", false);
  });

  test("a refused placement in the console puts the focus on its first refused field", async ({ page }) => {
    await pick(page, "iris@flowhost.example");
    await page.goto("/admin/widgets/new");
    const form = page.getByTestId("placement-form");
    await form.locator("#key").fill("Not a key!");
    await form.locator('button[name="intent"][value="save"]').click();
    await expectFocusOnRefused(page, "key", false);
  });
});
