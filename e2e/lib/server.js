// Starts the real insyn binary (`insyn demo`) on a free loopback port with its own
// throwaway SQLite database, and stops it again. One server per test file: files run
// in separate processes, and journeys that change data never meet the other files.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

/** Path to the insyn binary: $INSYN_BIN, or target/debug/insyn of this checkout. */
export function insynBinary() {
  if (process.env.INSYN_BIN) return path.resolve(process.env.INSYN_BIN);
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, 'target');
  return path.join(target, 'debug', 'insyn');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`insyn exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`insyn did not become healthy at ${url}`);
}

/**
 * Start `insyn demo --systems 60` and wait until /healthz answers.
 * Returns { url, org, stop() }. Retries on another port if the chosen one was taken.
 */
export async function startServer({ systems = 60 } = {}) {
  const bin = insynBinary();
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await mkdtemp(path.join(tmpdir(), 'insyn-e2e-db-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      bin,
      ['demo', '--systems', String(systems), '--addr', `127.0.0.1:${port}`,
        '--database-url', `sqlite://${path.join(dir, 'insyn.db')}`],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' } },
    );
    let stdout = '';
    let log = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stdout.on('data', (chunk) => { log = (log + chunk).slice(-8000); });
    child.stderr.on('data', (chunk) => { log = (log + chunk).slice(-8000); });
    const spawnError = new Promise((_, reject) => child.once('error', reject));
    let stopping = false;
    child.once('exit', (code, signal) => {
      // A server that goes away in the middle of the tests: say why, with its last output.
      if (!stopping) console.error(`insyn at ${url} exited during the tests (code ${code}, signal ${signal})\n${log}`);
    });
    const stop = async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await Promise.race([waitHealthy(url, child, Date.now() + 30_000), spawnError]);
      return { url, org: 'exempelstad', stop, log: () => log, logins: demoLogins(stdout) };
    } catch (err) {
      lastError = new Error(`${err.message} (binary ${bin})\n--- insyn output ---\n${log}`);
      await stop();
      if (err.code === 'ENOENT') break;
    }
  }
  throw lastError;
}

/**
 * The sign-ins that `insyn demo` prints, by role: administrator, security_coordinator,
 * editor, reader, "system owner". Lines look like
 * `  editor                 redaktor@exempelstad.se / demo-redaktor-2026`.
 */
export function demoLogins(stdout) {
  const logins = {};
  for (const line of stdout.split('\n')) {
    const m = /^\s+(\S.*?)\s{2,}(\S+@\S+) \/ (\S+)/.exec(line);
    if (m) logins[m[1]] = { email: m[2], password: m[3] };
  }
  return logins;
}

/** GET a JSON document from the API as the page's signed-in user (the context's cookies). */
export async function api(page, pathAndQuery) {
  const res = await page.request.get(pathAndQuery);
  if (!res.ok()) throw new Error(`GET ${pathAndQuery}: ${res.status()}`);
  return res.json();
}
