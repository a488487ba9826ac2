import { expect, type Frame, type Page } from "@playwright/test";

/** The element that has the keyboard focus, followed into the frames it is in. */
export interface Focused {
  /** The titles of the frames the focus is in, outermost first; empty on the page itself. */
  frames: string[];
  tag: string;
  id: string;
  /** What it says: its aria-label, its text, or a field's value. */
  text: string;
  href: string | null;
  /** A button's or field's `type`, `name` and `value` attributes, and its form's `action`. */
  type: string | null;
  name: string | null;
  value: string | null;
  form: string | null;
  /** The nearest `data-testid` around it. */
  within: string | null;
  inMain: boolean;
  /** How its focus shows: an outline or a box-shadow ring, or null when it does not. */
  indicator: string | null;
  /** Where it is in its document, to tell one element from another. */
  path: string;
}

type Described = Omit<Focused, "frames">;

/** Runs in the page: the focused element of this document, or null when it is a frame's. */
function describeActive(): (Described & { frame: string | null }) | null {
  const el = document.activeElement as HTMLElement | null;
  if (!el) return null;
  const style = getComputedStyle(el);
  const transparent = (color: string) => color === "transparent" || /rgba\(.*,\s*0\)$/.test(color);
  let indicator: string | null = null;
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && !transparent(style.outlineColor)) {
    indicator = `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
  } else if (style.boxShadow !== "none") {
    indicator = `box-shadow ${style.boxShadow}`;
  }
  const path: string[] = [];
  for (let node: Element | null = el; node && node.parentElement; node = node.parentElement) {
    path.unshift(`${node.tagName.toLowerCase()}:${Array.prototype.indexOf.call(node.parentElement.children, node)}`);
  }
  const field = el as HTMLInputElement;
  const text =
    el.getAttribute("aria-label") ||
    (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA" ? field.value : el.innerText || "");
  return {
    frame: el.tagName === "IFRAME" ? el.getAttribute("title") || el.getAttribute("src") || "" : null,
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: text.trim().replace(/\s+/g, " "),
    href: el.getAttribute("href"),
    type: el.getAttribute("type"),
    name: el.getAttribute("name"),
    value: el.getAttribute("value"),
    form: el.closest("form")?.getAttribute("action") ?? null,
    within: el.closest("[data-testid]")?.getAttribute("data-testid") ?? null,
    inMain: !!el.closest("main"),
    indicator,
    path: path.join(">"),
  };
}

/** The element with the keyboard focus, inside frames too. */
export async function focused(page: Page): Promise<Focused> {
  const frames: string[] = [];
  let frame: Frame = page.mainFrame();
  for (;;) {
    const active = await frame.evaluate(describeActive);
    if (!active) throw new Error(`nothing has the focus in ${frame.url()}`);
    const { frame: title, ...element } = active;
    if (title !== null) {
      const handle = await frame.evaluateHandle(() => document.activeElement);
      const inner = await handle.asElement()?.contentFrame();
      await handle.dispose();
      const innerActive = inner ? await inner.evaluate(describeActive) : null;
      // The frame's document itself has the focus: the frame element shows it.
      if (inner && innerActive && innerActive.tag !== "body" && innerActive.tag !== "html") {
        frames.push(title);
        frame = inner;
        continue;
      }
    }
    return { frames, ...element };
  }
}

export function explain(f: Focused): string {
  const where = f.frames.length ? ` in frame "${f.frames.join(" > ")}"` : "";
  return `<${f.tag}${f.id ? ` id="${f.id}"` : ""}> "${f.text.slice(0, 60)}"${where}`;
}

function same(a: Focused, b: Focused): boolean {
  return a.frames.join("|") === b.frames.join("|") && a.path === b.path;
}

/**
 * Presses `key` (Tab or Shift+Tab), waits for the focus to move, and checks that where it
 * landed shows it: an outline or a ring.
 */
export async function move(page: Page, key: "Tab" | "Shift+Tab"): Promise<Focused> {
  const before = await focused(page);
  await page.keyboard.press(key);
  // Focus crosses into and out of another origin's frame asynchronously.
  let after = await focused(page);
  const deadline = Date.now() + 3_000;
  while (same(before, after) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    after = await focused(page);
  }
  expect(same(before, after), `${key} left the focus on ${explain(after)}`).toBe(false);
  expectIndicator(after);
  return after;
}

export function expectIndicator(f: Focused): void {
  expect(f.indicator, `${explain(f)} has the focus but shows no focus indicator`).not.toBeNull();
}

/** Presses Tab (or Shift+Tab) until the focus is on what `wanted` accepts; at most `max` times. */
export async function tabTo(
  page: Page,
  wanted: (f: Focused) => boolean,
  what: string,
  { back = false, max = 60 }: { back?: boolean; max?: number } = {},
): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    const f = await move(page, back ? "Shift+Tab" : "Tab");
    if (wanted(f)) return f;
    seen.push(explain(f));
  }
  throw new Error(`${back ? "Shift+Tab" : "Tab"} did not reach ${what} in ${max} presses; it went through:\n${seen.join("\n")}`);
}

/** Waits until the element with the focus is one `wanted` accepts (after a page load). */
export async function expectFocus(page: Page, wanted: (f: Focused) => boolean, what: string): Promise<Focused> {
  let last: Focused | undefined;
  await expect
    .poll(async () => {
      last = await focused(page);
      return wanted(last);
    }, { message: `the focus should be on ${what}` })
    .toBe(true);
  return last!;
}
