import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { BrowserContext } from "@playwright/test";
import { baseURL } from "./env";

// Built by `cargo build -p server --example test_session` (`cargo xtask test` does it and
// passes the absolute path in FLOWHOST_TEST_SESSION_BIN).
const sessionBin =
  process.env.FLOWHOST_TEST_SESSION_BIN ??
  path.resolve(__dirname, "..", "..", "target", "debug", "examples", "test_session");

/**
 * Signs `email` in without going through the identity provider: the `test_session` tool
 * writes a session into the server's database (DATABASE_URL) and prints exactly one line,
 * `<cookie-name>=<cookie-value>`, which is then added to the browser context.
 */
export async function signIn(context: BrowserContext, email: string): Promise<void> {
  let stdout: string;
  try {
    stdout = execFileSync(sessionBin, [email], {
      // The tool finds the server's database through DATABASE_URL (set by `cargo xtask test`).
      env: process.env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
  } catch (err) {
    const e = err as { stderr?: string | Buffer; message?: string };
    const stderr = e.stderr ? e.stderr.toString().trim() : "";
    throw new Error(
      `signIn(${email}): ${sessionBin} failed: ${e.message ?? String(err)}` +
        (stderr ? `\n--- stderr ---\n${stderr}` : ""),
    );
  }

  const lines = stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const eq = lines.length === 1 ? lines[0].indexOf("=") : -1;
  if (eq <= 0) {
    throw new Error(
      `signIn(${email}): expected one line "<cookie-name>=<cookie-value>" from ${sessionBin}, got: ${JSON.stringify(stdout)}`,
    );
  }
  const name = lines[0].slice(0, eq);
  const value = lines[0].slice(eq + 1);

  // A `url` makes Playwright derive `secure` from the scheme (false for http), and
  // Chromium refuses __Host-/__Secure- cookies without Secure. For those, give
  // domain + path + secure instead: Chromium treats http://localhost as a secure origin.
  const securePrefix = name.startsWith("__Host-") || name.startsWith("__Secure-");
  const where = securePrefix
    ? { domain: new URL(baseURL).hostname, path: "/", secure: true }
    : { url: baseURL };
  await context.addCookies([{ name, value, httpOnly: true, sameSite: "Lax", ...where }]);
}
