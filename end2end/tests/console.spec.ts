import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { OwnServer } from "../support/server";
import { signIn } from "../support/session";

// The console changes what every page shows, so these tests run on a Flowhost of their own.
let server: OwnServer;

test.beforeAll(async () => {
  server = await OwnServer.create("console");
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

const ENVIRONMENT = "6f2c1a9e-3b7d-4c8e-9a1f-0d2e3c4b5a60";

/** A person of their own browser, signed in on the console's server. */
async function person(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  await signIn(page, email, "/accounts");
  return { context, page };
}

async function firstAccount(page: Page): Promise<string> {
  await page.goto("/accounts");
  return (await page.getByTestId("accounts").getByRole("link").first().getAttribute("href"))!;
}

async function firstTicket(page: Page, account: string): Promise<string> {
  await page.goto(account);
  return (await page.getByTestId("tickets").getByRole("link").first().getAttribute("href"))!;
}

async function frameSrc(page: Page, kind: string): Promise<string> {
  const frame = page.getByTestId(`widget-${kind}`).locator("iframe");
  await expect(frame).toHaveCount(1, { timeout: 15_000 });
  return (await frame.getAttribute("src"))!;
}

test("iris changes a search term and adds a ticket placement; alex sees both, then the restored page", async ({ browser }) => {
  const iris = await person(browser, "iris@flowhost.example");
  const alex = await person(browser, "alex@contoso.example");
  try {
    const account = await firstAccount(alex.page);
    const ticket = await firstTicket(alex.page, account);
    await alex.page.goto(account);
    expect(await frameSrc(alex.page, "templates")).toContain("&q=flowhost%20account&");

    await iris.page.goto("/admin/widgets");
    await iris.page.getByTestId("placements").locator('tr[data-key="account-templates"]').getByRole("link", { name: "Edit" }).click();
    await iris.page.getByLabel("Search term").fill("flowhost digest");
    await iris.page.getByRole("button", { name: "Save" }).click();
    await expect(iris.page.getByRole("status")).toHaveText("Saved as version 2.");

    await iris.page.goto("/admin/widgets/new?widget=flows&page=ticket");
    await iris.page.getByLabel("Key").fill("ticket-flows");
    await iris.page.getByLabel("Title").fill("Flows on ticket #{ticket.id}");
    await iris.page.getByLabel("Flows filter (OData)").fill("operations/any(operation: operation/flowhost.ticketId eq '{ticket.id}')");
    await iris.page.getByRole("button", { name: "Save" }).click();
    await expect(iris.page.getByRole("status")).toHaveText("Saved as version 3.");

    await alex.page.goto(account);
    expect(await frameSrc(alex.page, "templates")).toContain("&q=flowhost%20digest&");
    await alex.page.goto(ticket);
    const ticketId = ticket.split("/").pop();
    await expect(alex.page.getByTestId("widget-flows").getByRole("heading")).toHaveText(`Flows on ticket #${ticketId}`);

    await iris.page.goto("/admin/widgets/history");
    await expect(iris.page.getByTestId("history")).toContainText("Added ticket-flows");
    await iris.page.getByRole("button", { name: "Restore version 1" }).click();
    await expect(iris.page.getByRole("status")).toHaveText("Version 1 restored as version 4.");

    await alex.page.goto(account);
    expect(await frameSrc(alex.page, "templates")).toContain("&q=flowhost%20account&");
    await alex.page.goto(ticket);
    await expect(alex.page.getByTestId("widget-flowsRuntime")).toHaveCount(1);
    await expect(alex.page.getByTestId("widget-flows")).toHaveCount(0);
  } finally {
    await iris.context.close();
    await alex.context.close();
  }
});

test("adele sets Contoso's environment and turns a widget off; Contoso follows, Fabrikam does not", async ({ browser }) => {
  const adele = await person(browser, "adele@contoso.example");
  const alex = await person(browser, "alex@contoso.example");
  const bianca = await person(browser, "bianca@fabrikam.example");
  try {
    await adele.page.goto("/settings");
    await adele.page.getByRole("link", { name: "Power Automate" }).click();
    await adele.page.getByLabel("Environment").selectOption(ENVIRONMENT);
    await adele.page.getByRole("checkbox", { name: "Show Automate {account.name}" }).uncheck();
    await adele.page.getByRole("button", { name: "Save" }).click();
    await expect(adele.page.getByRole("status")).toContainText("Saved.");
    await expect(adele.page.getByLabel("Environment")).toHaveValue(ENVIRONMENT);
    await expect(adele.page.getByRole("checkbox", { name: "Show Automate {account.name}" })).not.toBeChecked();

    await alex.page.goto(await firstAccount(alex.page));
    expect(await frameSrc(alex.page, "flows")).toContain(`/manage/environments/${ENVIRONMENT}/flows`);
    await expect(alex.page.getByTestId("widget-templates")).toHaveCount(0);

    await bianca.page.goto(await firstAccount(bianca.page));
    expect(await frameSrc(bianca.page, "templates")).not.toContain("environment");
    await expect(bianca.page.getByTestId("widget-flows")).toHaveCount(1);
  } finally {
    await adele.context.close();
    await alex.context.close();
    await bianca.context.close();
  }
});

test("the console is for ISV staff only; bianca cannot change Contoso's settings", async ({ browser }) => {
  for (const email of ["alex@contoso.example", "adele@contoso.example"]) {
    const { context, page } = await person(browser, email);
    const response = await page.goto("/admin/widgets");
    expect(response!.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Console" })).toHaveCount(0);
    await context.close();
  }
  const bianca = await person(browser, "bianca@fabrikam.example");
  try {
    expect((await bianca.page.goto("/settings/flows"))!.status()).toBe(403);
    const posted = await bianca.page.request.post("/settings/flows", {
      headers: { origin: server.baseURL },
      form: { csrf_token: "x", environment: "" },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    const edit = await bianca.page.request.post("/admin/widgets/account-templates", {
      headers: { origin: server.baseURL },
      form: { csrf_token: "x", intent: "delete" },
      maxRedirects: 0,
    });
    expect(edit.status()).toBe(403);
  } finally {
    await bianca.context.close();
  }
});

test("an invalid filter, an unknown placeholder and a page size out of range are refused next to their field", async ({ browser }) => {
  const iris = await person(browser, "iris@flowhost.example");
  try {
    const page = iris.page;
    const version = async () => (await page.goto("/admin/widgets"), await page.getByTestId("config-version").innerText());
    const before = await version();

    await page.goto("/admin/widgets/account-flows");
    const filter = "operations/any(o: o/flowhost.accountId = '{account.id}')";
    await page.getByLabel("Flows filter (OData)").fill(filter);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#flowsFilter-error")).toContainText("'=' is not allowed here at character 40");
    await expect(page.getByLabel("Flows filter (OData)")).toHaveValue(filter);

    await page.goto("/admin/widgets/account-templates");
    await page.getByLabel("Search term").fill("{account.owner}");
    await page.getByLabel("Templates shown (page size)").fill("500");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#searchTerm-error")).toContainText("{account.owner} is not a placeholder");
    await expect(page.locator("#pageSize-error")).toHaveText("A number of templates from 1 to 50.");
    await expect(page.getByLabel("Search term")).toHaveValue("{account.owner}");
    await expect(page.getByLabel("Templates shown (page size)")).toHaveValue("500");

    expect(await version()).toBe(before);
  } finally {
    await iris.context.close();
  }
});

test("of two people editing one placement, the second save is refused and keeps its input", async ({ browser }) => {
  const first = await person(browser, "iris@flowhost.example");
  const second = await person(browser, "iris@flowhost.example");
  try {
    await first.page.goto("/admin/widgets/approvals");
    await second.page.goto("/admin/widgets/approvals");
    await first.page.getByLabel("Title").fill("Approvals (first)");
    await first.page.getByRole("button", { name: "Save" }).click();
    await expect(first.page.getByRole("status")).toContainText("Saved as version");

    await second.page.getByLabel("Title").fill("Approvals (second)");
    await second.page.getByRole("button", { name: "Save" }).click();
    await expect(second.page.getByRole("status")).toContainText("Someone else saved a change first");
    await expect(second.page.getByLabel("Title")).toHaveValue("Approvals (second)");

    await first.page.goto("/admin/widgets");
    await expect(first.page.getByTestId("placements").locator('tr[data-key="approvals"]')).toContainText("Approvals (first)");
  } finally {
    await first.context.close();
    await second.context.close();
  }
});

test("an import with one bad placement changes nothing", async ({ browser }) => {
  const iris = await person(browser, "iris@flowhost.example");
  try {
    const page = iris.page;
    await page.goto("/admin/widgets");
    const before = await page.getByTestId("config-version").innerText();
    const exported = await (await page.request.get("/admin/widgets/export")).text();
    const bad = exported.replace('"title": "My flows"', '"title": "Everything"').replace('"pageSize": 6', '"pageSize": 0');
    expect(bad).not.toBe(exported);
    await page.goto("/admin/widgets/import");
    await page.getByLabel("Exported file").fill(bad);
    await page.getByRole("button", { name: "Check it" }).click();
    await expect(page.getByRole("status")).toHaveText("Nothing was imported: the file has 1 problem.");
    await expect(page.getByTestId("import-problems")).toHaveText("account-templates: pageSize: A number of templates from 1 to 50.");
    await expect(page.getByTestId("import-changes")).toHaveCount(0);
    await page.goto("/admin/widgets");
    await expect(page.getByTestId("config-version")).toHaveText(before);
    await expect(page.getByTestId("placements")).not.toContainText("Everything");
  } finally {
    await iris.context.close();
  }
});

test("the preview shows the resolved options and the widget before anything is saved", async ({ browser }) => {
  const iris = await person(browser, "iris@flowhost.example");
  try {
    const page = iris.page;
    await page.goto("/admin/widgets");
    const before = await page.getByTestId("config-version").innerText();
    await page.goto("/admin/widgets/account-templates");
    await page.getByLabel("Search term").fill("flowhost weekly");
    await page.getByLabel("Organisation").selectOption({ label: "Contoso" });
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByTestId("preview");
    await expect(preview).toContainText("For Contoso");
    await expect(page.getByTestId("preview-options")).toContainText('"searchTerm": "flowhost%20weekly"');
    await expect(page.getByTestId("preview-options")).toContainText('"parameters.flowhost.accountId"');
    await expect(preview.getByTestId("widget-templates")).toHaveAttribute("data-state", "ready", { timeout: 15_000 });
    await expect(page.getByLabel("Search term")).toHaveValue("flowhost weekly");
    await page.goto("/admin/widgets");
    await expect(page.getByTestId("config-version")).toHaveText(before);
    // The preview showed one of Contoso's accounts: it is in the audit, for staff and for Contoso.
    await page.goto("/admin/widgets/history");
    await expect(page.getByTestId("staff-previews")).toContainText("Iris Novak (iris@flowhost.example) previewed Contoso's account #");
    const adele = await person(browser, "adele@contoso.example");
    try {
      await adele.page.goto("/settings/flows");
      await expect(adele.page.getByTestId("staff-previews")).toContainText("Iris Novak (iris@flowhost.example) of Flowhost previewed account #");
    } finally {
      await adele.context.close();
    }
  } finally {
    await iris.context.close();
  }
});
