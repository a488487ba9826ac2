import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OwnServer } from "../support/server";
import { signIn } from "../support/session";
import { expectAccessible } from "../support/axe";
import { expectReady, frame } from "../support/widgets";

// Installed flows act on every new ticket, so these tests run on a Flowhost of their own, whose
// catalog is a folder of their own (FLOW_CATALOG) that a test raises to a new version.
let server: OwnServer;
let catalog: string;

const OWNER = "Ask the account owner to approve new tickets";
const ADELE = "adele@contoso.example";
const IRIS = "iris@flowhost.example";
const ownerId = "f10a0057a0c1400080000000000b0002";

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

async function person(
  browser: Browser,
  email: string,
  landing = "/accounts",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  await signIn(page, email, landing);
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

/** Raises the catalog's owner approval flow from `from` to the next version, which comments
 * with that version. */
function publishNext(from: number): void {
  const folder = path.join(catalog, "owner-approves-new-tickets");
  const meta = path.join(folder, "flow.toml");
  fs.writeFileSync(meta, fs.readFileSync(meta, "utf8").replace(`version = ${from}`, `version = ${from + 1}`));
  const definition = path.join(folder, "definition.json");
  const said = from === 1 ? "'Rejected')} by" : `'Rejected')} (version ${from}) by`;
  const text = fs.readFileSync(definition, "utf8").replace(said, `'Rejected')} (version ${from + 1}) by`);
  fs.writeFileSync(definition, text);
}

/** Makes adele's connection to Flowhost in Power Automate, from the link on the settings page:
 * the portal signs her in, and "New connection" opens the connector's sign-in window. */
async function makeConnection(page: Page, article: ReturnType<Page["getByRole"]>): Promise<void> {
  const opened = page.context().waitForEvent("page");
  await article.getByTestId("make-connection").click();
  const portal = await opened;
  await portal.getByRole("button", { name: ADELE }).click();
  await expect(portal.getByText(`Signed in as ${ADELE}`)).toBeVisible();
  const popup = portal.waitForEvent("popup");
  await portal.getByRole("button", { name: "New connection: Flowhost" }).click();
  const signIn = await popup;
  await signIn.getByRole("button", { name: ADELE }).click();
  await expect(portal.getByText(`Connected as ${ADELE}`)).toBeVisible({ timeout: 15_000 });
  await portal.close();
}

test("adele makes her connection, installs the owner approval, a ticket is approved through it, it is upgraded and rolled out, then uninstalled", async ({ browser }) => {
  test.setTimeout(240_000);
  const adele = await person(browser, ADELE);
  const page = adele.page;
  try {
    // Her connection to Flowhost, made in Power Automate from the settings page.
    await page.goto("/settings/flows");
    const owner = page.getByRole("article", { name: OWNER });
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Not installed.");
    await makeConnection(page, owner);
    await page.reload();
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
    publishNext(1);
    await page.goto("/settings/flows");
    await owner.getByRole("button", { name: "Upgrade to version 2" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${OWNER} was upgraded` })).toBeVisible();
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Version 2, on.");
    const second = `Order toner ${Date.now()}`;
    const upgraded = await openTicket(page, second);
    await approve(page, second);
    await expectComment(page, upgraded, "Approved (version 2) by Adele Vance");

    // Adele allows roll-outs; iris rolls version 3 out from the console, and it is in place.
    await page.goto("/settings/flows");
    await page.getByRole("button", { name: "Allow roll-outs" }).click();
    await expect(page.getByTestId("rollout-leave-state")).toContainText("Roll-outs are allowed, since");
    await expectAccessible(page, "the settings page with roll-outs allowed");
    publishNext(2);
    const iris = await person(browser, IRIS, "/admin/flows");
    try {
      // Dataverse does not answer the first call: the console shows the roll-out under way,
      // then its failure, and the old version goes on running.
      await server.control("dataverse-faults", { hang: [1] });
      await iris.page.goto("/admin/flows");
      await iris.page.getByRole("button", { name: `Roll out version 3 of ${OWNER}` }).click();
      await expect(iris.page.getByRole("status").filter({ hasText: "Rolling version 3" })).toBeVisible();
      const progress = iris.page.getByTestId("rollout-progress").first();
      await expect(progress).toContainText("0 of 1 organisations done");
      await expect(progress).toContainText("1 of 1 organisations done: 0 upgraded, 1 failed, 0 skipped.", {
        timeout: 30_000,
      });
      await expect(iris.page.getByTestId(`rollout-of-${ownerId}`).first()).toContainText("timed out");
      await server.control("dataverse-faults", {});

      await iris.page.goto("/admin/flows");
      await iris.page.getByRole("button", { name: `Roll out version 3 of ${OWNER}` }).click();
      await expect(iris.page.getByTestId("rollout-progress").first()).toContainText(
        "1 of 1 organisations done: 1 upgraded, 0 failed, 0 skipped.",
        { timeout: 20_000 },
      );
      await expect(iris.page.getByTestId(`rollout-of-${ownerId}`).first()).toContainText("Now on version 3.");
      await expectAccessible(iris.page, "the console's roll-outs");
    } finally {
      await server.control("dataverse-faults", {});
      await iris.context.close();
    }
    await page.goto("/settings/flows");
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Version 3, on.");
    const third = `Order paper ${Date.now()}`;
    const rolled = await openTicket(page, third);
    await approve(page, third);
    await expectComment(page, rolled, "Approved (version 3) by Adele Vance");

    // Uninstalled: a new ticket asks nobody.
    await page.goto("/settings/flows");
    await owner.getByRole("button", { name: "Uninstall" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${OWNER} was uninstalled.` })).toBeVisible();
    await expect(owner.getByTestId("prebuilt-status")).toContainText("Not installed.");
    const last = `Nobody approves this ${Date.now()}`;
    const untouched = await openTicket(page, last);
    await page.waitForTimeout(3_000);
    await page.goto("/approvals");
    await expectReady(page, "approvalCenter");
    await expect(frame(page, "approvalCenter").getByText(last)).toHaveCount(0);
    await page.goto(untouched);
    await expect(page.getByTestId("comment")).toHaveCount(0);
  } finally {
    await adele.context.close();
  }
});
