import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import type { NodeResult, Result } from "axe-core";

/** The WCAG 2.1 A and AA rules. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Impacts that fail a page. */
const FAILING = new Set(["serious", "critical"]);

/** A node's selector; inside a frame, the frame's selector first (`iframe >>> button`). */
function target(node: NodeResult): string {
  return node.target.map((part) => (Array.isArray(part) ? part.join(" >>> ") : String(part))).join(" >>> ");
}

function describe(violation: Result): string {
  const targets = violation.nodes.map((node) => `    ${target(node)}`).join("\n");
  return `  ${violation.id} (${violation.impact}): ${violation.help}\n${targets}`;
}

/** The landmarks a page must have, each once (navigation at least once). */
export type Landmark = "banner" | "navigation" | "main" | "contentinfo";

/** Flowhost's own pages: header, navigation, main and footer. */
export const APP: Landmark[] = ["banner", "navigation", "main", "contentinfo"];
/** The pages the server answers outside the app (sign-in outcomes, refusals): header and main. */
export const PLAIN: Landmark[] = ["banner", "main"];

/** Runs in the page: its landmarks and the levels of its visible headings, in order. */
function outline(): { landmarks: Record<Landmark, number>; headings: number[] } {
  // A header or footer inside sectioning content is not the page's banner or contentinfo.
  const top = (el: Element) => !el.parentElement?.closest("article, aside, main, nav, section");
  const count = (selector: string, filter: (el: Element) => boolean = () => true) =>
    Array.from(document.querySelectorAll(selector)).filter(filter).length;
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
    .filter((h) => (h as HTMLElement).offsetParent !== null || getComputedStyle(h).position === "fixed")
    .map((h) => Number(h.tagName[1]));
  return {
    landmarks: {
      banner: count("header, [role=banner]", top),
      navigation: count("nav, [role=navigation]"),
      main: count("main, [role=main]"),
      contentinfo: count("footer, [role=contentinfo]", top),
    },
    headings,
  };
}

/** One `<h1>`, no heading level skipped, and each of `landmarks` (only once, but navigation). */
async function expectStructure(page: Page, label: string, landmarks: Landmark[]): Promise<void> {
  const found = await page.evaluate(outline);
  const problems: string[] = [];
  const h1 = found.headings.filter((level) => level === 1).length;
  if (h1 !== 1) problems.push(`${h1} <h1> elements`);
  found.headings.forEach((level, i) => {
    const previous = i === 0 ? 0 : found.headings[i - 1];
    if (level > previous + 1) problems.push(`<h${level}> follows <h${previous || "-"}>`);
  });
  for (const landmark of landmarks) {
    const n = found.landmarks[landmark];
    if (n === 0 || (n > 1 && landmark !== "navigation")) problems.push(`${n} ${landmark} landmarks`);
  }
  expect.soft(problems, `${label} (${page.url()}): headings and landmarks`).toEqual([]);
}

/**
 * Runs axe-core on the page as it is now, the widget frames of the Power Automate host
 * included, and fails (softly, so one run lists every page's problems) on each serious or
 * critical violation of WCAG 2.1 A/AA, naming the rule, its impact, the elements and the help.
 * It also checks the page's outline: one `<h1>`, no skipped heading level, and `landmarks`.
 */
export async function expectAccessible(page: Page, label: string, landmarks: Landmark[] = APP): Promise<void> {
  await expectStructure(page, label, landmarks);
  // A page with frames is analysed frame by frame (axe's runPartial, which reaches into the
  // widgets' other origin) and put together in a blank page; a page without frames is analysed
  // in one pass, with the same result. Only violations come back: the report reads nothing else.
  const framed = page.frames().length > 1;
  const results = await new AxeBuilder({ page })
    .setLegacyMode(!framed)
    .options({ resultTypes: ["violations"] })
    .withTags(TAGS)
    .analyze();
  const failing = results.violations.filter((v) => FAILING.has(v.impact ?? ""));
  const report = failing.map(describe).join("\n");
  expect.soft(report, `${label} (${page.url()}) has accessibility violations:\n${report}`).toBe("");
}
