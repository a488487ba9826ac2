import { expect, test } from "@playwright/test";
import { flowURL } from "../support/env";
import { signIn } from "../support/session";
import { accountHref, connectToFlowhost, control, expectReady, frame, normal, widget } from "../support/widgets";

// What the two generations of the Power Automate SDK change for Flowhost: the flows filter in
// the frame's URL under 1.1, a 1.1 SDK on a maker host that rejects its own widgets, and the
// console's diagnostics page that tells the cases apart.

const ACKNOWLEDGE = "Acknowledge new tickets on the account";
const STEPS = ["script", "generation", "frame", "messages", "token", "ready"];

test.afterEach(() => normal());

test("under SDK 1.1 the flows widget on an account page lists only that account's flows", async ({ page }) => {
  await normal({ sdk: "1.1", host: "classic" });
  await signIn(page, "alex@contoso.example");
  const account = await accountHref(page, "Alpine", 0);
  const other = await accountHref(page, "Alpine", 2);
  await page.goto(account);
  await expectReady(page, "templates");
  await expectReady(page, "flows");
  // SDK 1.1 has no GET_WIDGET_OPTIONS of its own: the filter travels in the frame's URL,
  // base64 and then URI-encoded.
  const src = (await widget(page, "flows").locator("iframe").getAttribute("src"))!;
  expect(src).toContain("&sdkVersion=1.1&");
  const encoded = new URL(src).searchParams.get("encodedFlowsFilter")!;
  const filter = Buffer.from(encoded, "base64").toString("utf8");
  expect(filter).toBe(`operations/any(operation: operation/flowhost.accountId eq '${account.split("/").pop()}')`);

  const templates = frame(page, "templates");
  await templates.getByRole("button", { name: new RegExp(ACKNOWLEDGE) }).click();
  await connectToFlowhost(page, templates, "alex@contoso.example");
  await templates.getByRole("button", { name: "Create the flow" }).click();
  await expect(templates.getByText("Your flow is ready.")).toBeVisible();
  await expect(frame(page, "flows").getByRole("link", { name: ACKNOWLEDGE })).toBeVisible();

  await page.goto(other);
  await expectReady(page, "flows");
  await expect(frame(page, "flows").getByText("You have no flows here yet.")).toBeVisible();
  await expect(frame(page, "flows").getByRole("link", { name: ACKNOWLEDGE })).toHaveCount(0);
});

test("SDK 1.1 on a maker host drops its widgets' messages: the user is told so, and the ISV's staff see why", async ({ page, context }) => {
  await normal({ sdk: "1.1", host: "maker" });
  await signIn(page, "alex@contoso.example");
  await page.goto(await accountHref(page, "Coho", 2));
  const panel = widget(page, "templates");
  await expect(panel).toHaveAttribute("data-state", "rejected", { timeout: 15_000 });
  const message = panel.getByTestId("widget-message");
  await expect(message).toContainText("Power Automate could not be started on this page; your administrator has been told.");
  await expect(message).not.toContainText("third-party cookies");

  await context.clearCookies();
  await signIn(page, "iris@flowhost.example", "/admin/widgets");
  const notice = page.getByTestId("rejected-notice");
  await expect(notice).toContainText(`the SDK 1.1 served by ${flowURL} (FLOW_HOST)`);
  await notice.getByRole("link", { name: "Open the diagnostics" }).click();
  await expect(page.getByTestId("rejections")).toContainText("Contoso");

  // The test widget on the diagnostics page stops where the pages' widgets stopped.
  const steps = page.getByTestId("diagnostic-steps");
  const step = (name: string) => steps.locator(`[data-step="${name}"]`);
  await expect(step("messages")).toHaveAttribute("data-result", "failed", { timeout: 15_000 });
  await expect(step("messages")).toContainText("the SDK dropped");
  await expect(step("messages")).toContainText(`it does not accept widgets from ${flowURL}`);
  await expect(step("script")).toHaveAttribute("data-result", "passed");
  await expect(step("generation")).toContainText("1.1, the original generation");
  await expect(step("token")).toHaveAttribute("data-result", "skipped");
  await expect(step("ready")).toHaveAttribute("data-result", "failed");
  await expect(page.getByTestId("diagnostic-verdict")).toContainText("The test widget did not start");
});

test("the diagnostics page starts a test widget as the staff member and passes every step", async ({ page }) => {
  await signIn(page, "iris@flowhost.example", "/admin/diagnostics");
  const settings = page.getByTestId("flow-settings");
  await expect(settings).toContainText(flowURL);
  await expect(settings).toContainText("https://service.flow.microsoft.com/");
  await expect(settings).toContainText(`${flowURL}/Content/msflowsdk-1.1.js`);
  const steps = page.getByTestId("diagnostic-steps");
  for (const name of STEPS) {
    await expect(steps.locator(`[data-step="${name}"]`)).toHaveAttribute("data-result", "passed", { timeout: 15_000 });
  }
  await expect(steps.locator('[data-step="generation"]')).toContainText("2.2.0, the current generation");
  await expect(page.getByTestId("diagnostic-verdict")).toHaveText(
    "The test widget started: Power Automate works on Flowhost's pages for you.",
  );
});

test("on the diagnostics page a widget that never speaks points at third-party cookies", async ({ page }) => {
  await control("flow", "faults", { pages: "silent" });
  await signIn(page, "iris@flowhost.example", "/admin/diagnostics");
  const messages = page.getByTestId("diagnostic-steps").locator('[data-step="messages"]');
  await expect(messages).toHaveAttribute("data-result", "failed", { timeout: 15_000 });
  await expect(messages).toContainText("third-party cookies");
  await expect(page.getByTestId("diagnostic-verdict")).toContainText("The test widget did not start");
});

test("the sandbox's control page switches the SDK it serves, and Flowhost's widgets follow", async ({ page }) => {
  await page.goto(`${flowURL}/_sandbox/`);
  await page.getByLabel("SDK 1.1").check();
  await page.getByLabel("Classic portal (flow.microsoft.com)").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  await expect(page.getByLabel("SDK 1.1")).toBeChecked();

  await signIn(page, "alex@contoso.example", "/flows");
  await expectReady(page, "flows");
  const frameElement = widget(page, "flows").locator("iframe");
  expect(await frameElement.getAttribute("src")).toContain("&sdkVersion=1.1&");
  // The 1.1 SDK puts its frame in the tab order itself and gives it no role.
  await expect(frameElement).toHaveAttribute("tabindex", "0");
  await expect(frameElement).not.toHaveAttribute("role", /.*/);
});
