// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (no npm packages): starts headless
// Chromium, opens one page, navigates and evaluates JavaScript. Used by the search tests and benchmark.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const CHROMIUM = process.env.CHROMIUM || "chromium";

class Browser {
  static async launch() {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "digest-chromium-"));
    const args = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage",
      // Chromium (156) builds its address-bar popups (chrome://omnibox-popup.top-chrome, a page of web components)
      // in a renderer of their own for about two seconds after start, which a headless page never shows. On a
      // 2-core machine that took a core from the page under test for its first query and the ones after it.
      "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
      `--user-data-dir=${profile}`, "--remote-debugging-pipe", "about:blank",
    ];
    const child = spawn(CHROMIUM, args, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
    const browser = new Browser(child, profile);
    const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
    browser.session = sessionId;
    await browser.send("Page.enable", {}, sessionId);
    return browser;
  }

  constructor(child, profile) {
    this.child = child;
    this.profile = profile;
    this.nextId = 1;
    this.waiting = new Map();
    this.stderr = "";
    let buffer = "";
    child.stderr.on("data", (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    child.stdio[4].on("data", (data) => {
      buffer += data.toString("utf8");
      let end;
      while ((end = buffer.indexOf("\0")) >= 0) {
        this.receive(JSON.parse(buffer.slice(0, end)));
        buffer = buffer.slice(end + 1);
      }
    });
    child.on("exit", (code) => {
      for (const { reject } of this.waiting.values()) reject(new Error(`chromium exited (${code}): ${this.stderr}`));
      this.waiting.clear();
    });
  }

  receive(message) {
    const pending = message.id && this.waiting.get(message.id);
    if (!pending) return;
    this.waiting.delete(message.id);
    if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
    else pending.resolve(message.result);
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, sessionId });
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, method });
      this.child.stdio[3].write(message + "\0");
    });
  }

  async evaluate(expression) {
    const result = await this.send(
      "Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, this.session);
    if (result.exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(result.exceptionDetails)}`);
    return result.result.value;
  }

  async navigate(url) {
    await this.send("Page.navigate", { url }, this.session);
  }

  // Polls `expression` until it is truthy; returns its value.
  async waitFor(expression, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate(expression).catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close() {
    await this.send("Browser.close").catch(() => {});
    await new Promise((r) => (this.child.exitCode === null ? this.child.on("exit", r) : r()));
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}

module.exports = { Browser };
