import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "../support/session";
import { accountHref, control, expectReady, frame, normal } from "../support/widgets";

const TEMPLATE = "Ask for approval when a ticket is opened";

async function person(browser: Browser, email: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { page, close: () => context.close() };
}

// Power Automate forgets every connection and flow first, so alex starts without a connection
// to Flowhost however often this runs against one server.
test.beforeEach(async () => {
  await normal();
  await control("flow", "reset");
});

test("a flow made from the connector's template runs when a ticket is opened and comments the approver's decision", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, "alex@contoso.example");
  const account = await accountHref(page, "Litware");
  await page.goto(account);
  await expectReady(page, "templates");
  const templates = frame(page, "templates");
  await templates.getByRole("button", { name: new RegExp(TEMPLATE) }).click();
  // The maker approves unless they name someone else.
  await expect(templates.getByLabel("approver")).toHaveValue("alex@contoso.example");

  // The flow needs a connection to Flowhost: a sign-in window, as Power Automate opens one.
  const create = templates.getByRole("button", { name: "Create the flow" });
  await expect(create).toBeDisabled();
  const opened = page.waitForEvent("popup");
  await templates.getByRole("button", { name: "Sign in" }).click();
  const signInWindow = await opened;
  await signInWindow.getByRole("button", { name: /alex@contoso\.example/ }).click();
  await expect(templates.getByText("Connected as alex@contoso.example")).toBeVisible({ timeout: 15_000 });
  await create.click();
  await expect(templates.getByText("Your flow is ready.")).toBeVisible();
  await expectReady(page, "flows");
  const flowRow = frame(page, "flows").getByRole("listitem").filter({ hasText: TEMPLATE });
  const flowName = await flowRow.getAttribute("data-flow");
  expect(flowName).toBeTruthy();

  const adele = await person(browser, "adele@contoso.example");
  try {
    // Saving the flow subscribed its trigger: the tenant admin sees it.
    await adele.page.goto("/settings/flows");
    await expect(adele.page.getByTestId("hooks")).toContainText(flowName!);

    // Adele opens a ticket on the account.
    const title = `Replace the badge reader ${Date.now()}`;
    await adele.page.goto(account);
    await adele.page.getByRole("link", { name: "New ticket" }).click();
    await adele.page.getByLabel("Title").fill(title);
    await adele.page.getByRole("button", { name: "Create ticket" }).click();
    await expect(adele.page.getByRole("heading", { name: title })).toBeVisible();
    const ticket = new URL(adele.page.url()).pathname;

    // The flow ran: the approval waits in the ticket's approvals widget for alex.
    await page.goto(ticket);
    await expectReady(page, "approvalCenter");
    const approval = frame(page, "approvalCenter").getByRole("listitem").filter({ hasText: title });
    await expect(approval).toBeVisible({ timeout: 15_000 });
    await approval.getByRole("button", { name: "Approve" }).click();

    // The flow wrote the decision on the ticket through the API, on alex's connection.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("comment").first()).toContainText("Approved by Alex Wilber", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("comment").first()).toContainText("A flow, on behalf of Alex Wilber");

    // The run's history, action by action.
    await page.goto(account);
    await expectReady(page, "flows");
    await flowRow.getByRole("button", { name: "Run history" }).click();
    const run = flowRow.locator("li.run").first();
    await expect(run).toHaveAttribute("data-status", "Succeeded");
    await expect(run.locator('[data-action="Comment_the_decision"]')).toHaveAttribute("data-status", "Succeeded");

    // Deleting the flow deletes its subscription in Flowhost.
    await flowRow.getByRole("button", { name: "Delete" }).click();
    await expect(flowRow).toHaveCount(0);
    await adele.page.goto("/settings/flows");
    await expect(adele.page.getByTestId("flow-hooks")).not.toContainText(flowName!);
  } finally {
    await adele.close();
  }
});
