import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OwnServer } from "../support/server";
import { signIn } from "../support/session";
import { connectToFlowhost, expectReady, frame } from "../support/widgets";

// Installed flows act on every new ticket, so these tests run on a Flowhost of their own, whose
// catalog is a folder of their own (FLOW_CATALOG) that a test raises to a new version.
let server: OwnServer;
let catalog: string;

const OWNER = "Ask the account owner to approve new tickets";
const ADELE = "adele@contoso.example";

test.beforeAll(async () => {
  catalog = fs.mkdtempSync(path.join(os.tmpdir(), "flowhost-catalog-"));
  fs.cpSync(path.resolve(__dirname, "..", "..", "flows"), catalog, { recursive: true });
  server = await OwnServer.create("prebuilt", { FLOW_CATALOG: catalog });
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
  fs.rmSync(catalog, { recursive: true, force: true });
});

async function person(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  await signIn(page, email, "/accounts");
  return { context, page };
}

/** Opens a ticket titled `title` on the first account; its page's path. */
async function openTicket(page: Page, title: string): Promise<string> {
  await page.goto("/accounts");
  await page.getByTestId("accounts").getByRole("link").first().click();
  await page.getByRole("link", { name: "New ticket" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** Approves the request about `title` in the approvals center. */
async function approve(page: Page, title: string): Promise<void> {
  await page.goto("/approvals");
  await expectReady(page, "approvalCenter");
  const approvals = frame(page, "approvalCenter");
  await expect(async () => {
    await page.reload();
    await expectReady(page, "approvalCenter");
    await expect(approvals.getByText(title)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await approvals.getByRole("button", { name: "Approve" }).first().click();
}

async function expectComment(page: Page, ticket: string, text: string): Promise<void> {
  await expect(async () => {
    await page.goto(ticket);
    await expect(page.getByTestId("comment").first()).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

/** Raises the catalog's owner approval flow to version 2, which comments differently. */
function publishVersion2(): void {
  const folder = path.join(catalog, "owner-approves-new-tickets");
  const meta = path.join(folder, "flow.toml");
  fs.writeFileSync(meta, fs.readFileSync(meta, "utf8").replace("version = 1", "version = 2"));
  const definition = path.join(folder, "definition.json");
  const text = fs.readFileSync(definition, "utf8").replace("'Rejected')} by", "'Rejected')} (version 2) by");
  fs.writeFileSync(definition, text);
}

test("adele installs the owner approval, a ticket is approved through it, it is upgraded, then uninstalled", async ({ browser }) => {
  test.setTimeout(150_000);
  const adele = await person(browser, ADELE);
  const page = adele.page;
  try {
    // Her connection to Flowhost, signed in from a template as a maker does.
    await page.goto("/accounts");
    await page.getByTestId("accounts").getByRole("link").first().click();
    await expectReady(page, "templates");
    const templates = frame(page, "templates");
    await templates.getByRole("button", { name: /Acknowledge new tickets on the account/ }).click();
    await connectToFlowhost(page, templates, ADELE);

    await page.goto("/settings/flows");
    const owner = page.getByRole("article", { name: OWNER });
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Not installed.");
    await expect(owner.getByLabel("fallbackApprover")).toHaveValue(ADELE);
    await owner.getByLabel("Connection to Flowhost").selectOption({ label: ADELE });
    await owner.getByRole("button", { name: "Install" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${OWNER} is installed and on.` })).toBeVisible();
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Version 1, on.");

    // A new ticket asks the owner; demo owners are names, so the fallback approver, adele.
    const first = `Replace the lobby screen ${Date.now()}`;
    const ticket = await openTicket(page, first);
    await approve(page, first);
    await expectComment(page, ticket, "Approved by Adele Vance");

    // The catalog gets version 2: the page offers it, and the upgrade puts it in place.
    publishVersion2();
    await page.goto("/settings/flows");
    await owner.getByRole("button", { name: "Upgrade to version 2" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${OWNER} was upgraded` })).toBeVisible();
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Version 2, on.");
    const second = `Order toner ${Date.now()}`;
    const upgraded = await openTicket(page, second);
    await approve(page, second);
    await expectComment(page, upgraded, "Approved (version 2) by Adele Vance");

    // Uninstalled: a new ticket asks nobody.
    await page.goto("/settings/flows");
    await owner.getByRole("button", { name: "Uninstall" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${OWNER} was uninstalled.` })).toBeVisible();
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Not installed.");
    const third = `Nobody approves this ${Date.now()}`;
    const untouched = await openTicket(page, third);
    await page.waitForTimeout(3_000);
    await page.goto("/approvals");
    await expectReady(page, "approvalCenter");
    await expect(frame(page, "approvalCenter").getByText(third)).toHaveCount(0);
    await page.goto(untouched);
    await expect(page.getByTestId("comment")).toHaveCount(0);
  } finally {
    await adele.context.close();
  }
});
