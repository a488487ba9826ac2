import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

// Set by `cargo xtask test`: the built binary and a scratch directory for this run.
const bin = process.env.FLOWHOST_BIN ?? path.resolve(__dirname, "..", "..", "target", "debug", "flowhost");
const scratch = process.env.E2E_DIR ?? path.resolve(__dirname, "..", "..", "target", "e2e");
const root = path.resolve(__dirname, "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A Flowhost of a test's own, in demo mode, that the test can stop and start again. */
export class OwnServer {
  private child?: ChildProcess;

  private constructor(
    readonly baseURL: string,
    /** Its sandbox's Power Automate. */
    readonly flowURL: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly port: number,
    private readonly log: string,
  ) {}

  /** A server of its own named `name`, with `extra` settings. */
  static async create(name: string, extra: Record<string, string> = {}): Promise<OwnServer> {
    const port = await freePort();
    const sandboxPort = await freePort();
    const flowPort = await freePort();
    const db = path.join(scratch, `${name}.db`);
    for (const file of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(file, { force: true });
    const env = {
      ...process.env,
      DATABASE_URL: `sqlite://${db}?mode=rwc`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      PUBLIC_URL: `http://localhost:${port}`,
      SANDBOX_ADDR: `127.0.0.1:${sandboxPort}`,
      SANDBOX_FLOW_ADDR: `127.0.0.1:${flowPort}`,
      RUST_LOG: "warn",
      ...extra,
    };
    return new OwnServer(
      `http://localhost:${port}`,
      `http://127.0.0.1:${flowPort}`,
      env,
      port,
      path.join(scratch, `${name}.log`),
    );
  }

  async start(): Promise<void> {
    const out = fs.openSync(this.log, "a");
    this.child = spawn(bin, [], { cwd: root, env: this.env, stdio: ["ignore", out, out] });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`flowhost exited; see ${this.log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/readyz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`flowhost did not become ready; see ${this.log}`);
  }

  /** Tells its sandbox's Power Automate what to do (`/_sandbox/{path}`). */
  async control(path: string, body: unknown = {}): Promise<void> {
    const res = await fetch(`${this.flowURL}/_sandbox/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`control ${path}: HTTP ${res.status}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }
}
