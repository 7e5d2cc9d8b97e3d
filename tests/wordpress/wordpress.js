// A real WordPress for the plugin's end-to-end test: Debian's `wordpress` package (6.1) with
// a private MariaDB (its own data directory, a Unix socket, no TCP port) and PHP's built-in
// server on loopback, all under one temporary directory, fresh each run. The plugin in
// integrations/wordpress/shoppable is symlinked into the site's plugins, as a site owner
// would unzip it (activated by the test, through the admin).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, symlinkSync, readdirSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo } from "../e2e/support.js";

const WORDPRESS = "/usr/share/wordpress";
const here = import.meta.dirname;

/** A free TCP port on loopback (the backend must know the blog's origin before it starts). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
    probe.on("error", reject);
  });
}

function waitFor(check, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  return new Promise((done, fail) => {
    const poll = async () => {
      try {
        if (await check()) return done();
      } catch { /* not yet */ }
      if (Date.now() > deadline) return fail(new Error(`${what} did not start in ${timeout / 1000} s`));
      setTimeout(poll, 200);
    };
    poll();
  });
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
}

/**
 * Starts MariaDB and WordPress on `port`; resolves to { url, adminPassword, dir, php(args), stop }.
 */
export async function startWordPress({ port }) {
  if (!existsSync("/etc/wordpress/config-shoppable-e2e.php")) {
    throw new Error("/etc/wordpress/config-shoppable-e2e.php is missing: run scripts/setup.sh");
  }
  const dir = mkdtempSync(join(tmpdir(), "shoppable-wordpress-"));
  const children = [];
  // A test run that dies leaves no database or PHP server behind.
  const killAll = () => children.forEach((child) => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ } });
  process.once("exit", killAll);
  const stop = async () => {
    process.off("exit", killAll);
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      // PHP's server forks workers: the whole process group goes.
      process.kill(-child.pid, "SIGTERM");
      await new Promise((done) => child.once("exit", done));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // MariaDB: a data directory of its own, reachable only through its socket.
    const data = join(dir, "mysql");
    const socket = join(dir, "mysqld.sock");
    const asRoot = process.getuid?.() === 0 ? ["--user=root"] : [];
    run("mariadb-install-db", ["--no-defaults", `--datadir=${data}`, "--auth-root-authentication-method=normal", "--skip-test-db", ...asRoot]);
    const mysqld = spawn("mariadbd", ["--no-defaults", `--datadir=${data}`, `--socket=${socket}`, "--skip-networking",
      `--pid-file=${join(dir, "mysqld.pid")}`, "--skip-log-bin", "--innodb-buffer-pool-size=32M", ...asRoot],
    { stdio: ["ignore", "ignore", "pipe"], detached: true });
    children.push(mysqld);
    let mysqlLog = "";
    mysqld.stderr.on("data", (chunk) => { mysqlLog += chunk; });
    await waitFor(() => { run("mariadb-admin", ["--no-defaults", `--socket=${socket}`, "-uroot", "ping"]); return true; }, `MariaDB (${mysqlLog})`);
    run("mariadb", ["--no-defaults", `--socket=${socket}`, "-uroot", "-e", "CREATE DATABASE wordpress"]);

    // The site's files: WordPress's own, and a content directory of the run (plugins,
    // uploads), under one document root for PHP's server.
    const url = `http://127.0.0.1:${port}`;
    const content = join(dir, "wp-content");
    mkdirSync(join(content, "plugins"), { recursive: true });
    mkdirSync(join(content, "themes"));
    mkdirSync(join(content, "uploads"));
    symlinkSync(join(repo, "integrations/wordpress/shoppable"), join(content, "plugins/shoppable"));
    symlinkSync(join(WORDPRESS, "wp-content/themes/twentytwentythree"), join(content, "themes/twentytwentythree"));
    symlinkSync(join(WORDPRESS, "wp-content/languages"), join(content, "languages"));
    const root = join(dir, "www");
    mkdirSync(root);
    for (const entry of readdirSync(WORDPRESS)) {
      if (entry !== "wp-content") symlinkSync(join(WORDPRESS, entry), join(root, entry));
    }
    symlinkSync(content, join(root, "wp-content"));
    const salt = () => randomBytes(32).toString("hex");
    const settings = join(dir, "settings.php");
    writeFileSync(settings, `<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost:${socket}' );
define( 'WP_HOME', '${url}' );
define( 'WP_SITEURL', '${url}' );
define( 'WP_CONTENT_DIR', '${content}' );
define( 'WP_CONTENT_URL', '${url}/wp-content' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true ); // no request leaves loopback (updates, feeds)
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', '${join(dir, "debug.log")}' );
${["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"]
    .map((name) => `define( '${name}', '${salt()}' );`).join("\n")}
`);
    const env = { ...process.env, SHOPPABLE_WP_SETTINGS: settings };
    const adminPassword = `pw-${salt().slice(0, 16)}`;
    const php = (args) => run("php", args, { env, cwd: here });
    php([join(here, "install.php"), url, adminPassword]);

    const server = spawn("php", ["-S", `127.0.0.1:${port}`, "-t", root, join(here, "router.php")],
      { env: { ...env, PHP_CLI_SERVER_WORKERS: "4" }, stdio: ["ignore", "ignore", "pipe"], detached: true });
    children.push(server);
    let phpLog = "";
    server.stderr.on("data", (chunk) => { phpLog = (phpLog + chunk).slice(-4000); });
    await waitFor(async () => (await fetch(`${url}/wp-login.php`)).ok, `WordPress (${phpLog})`);
    return { url, adminPassword, dir, php, log: () => phpLog, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
