// Browser test: serve the repository on 127.0.0.1, open the demo page in Debian's Chromium
// (headless, through playwright-core), and check what it renders for the example and for a
// broken spec, with no console errors.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { read, root } from "./helpers.mjs";

const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".yaml": "text/yaml", ".json": "application/json" };

const server = createServer((req, res) => {
  const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
  if (!path.startsWith(root) || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const url = `http://127.0.0.1:${server.address().port}/cnarch-wasm/demo/index.html`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n${e.stack}`);
  }
}
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector("#summary:not([hidden])", { timeout: 30000 });

  await check("the example architecture renders its documents", async () => {
    assert.equal(await page.textContent("#status"), "valid: 11 documents");
    const summary = await page.textContent("#summary");
    for (const text of ["Microservice", "user-service", "ServerlessFunction", "user-processor", "ObservabilityStack"]) {
      assert.ok(summary.includes(text), `summary lacks ${text}: ${summary}`);
    }
    assert.match(await page.textContent("#version"), /^\d+\.\d+\.\d+$/);
  });

  await check("a broken spec shows its violations", async () => {
    await page.fill("#spec", read("examples/broken/microservice.yaml"));
    await page.click("#validate");
    await page.waitForSelector("#violations:not([hidden])");
    assert.equal(await page.textContent("#status"), "invalid: 12 violations");
    const table = await page.textContent("#violations");
    assert.ok(table.includes("scaling.maxReplicas") && table.includes("max_below_min"), table);
    assert.ok(await page.isHidden("#summary"));
  });

  await check("malformed YAML shows a parse error with its position", async () => {
    await page.fill("#spec", "kind: [unclosed\n");
    await page.click("#validate");
    assert.match(await page.textContent("#status"), /^ParseError: .*\(line \d+, column \d+\)$/);
  });

  await check("the cnarch/eventsourcing module loads in the browser and round-trips a store", async () => {
    const got = await page.evaluate(async () => {
      const { EventStore } = await import("/cnarch-wasm/pkg/web/eventsourcing-index.js");
      const s = new EventStore();
      s.append("order-1", [{ id: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", type: "OrderPlaced", data: { total: 10 } }], "noStream", 5);
      const back = EventStore.fromBytes(s.toBytes()).readStream("order-1");
      return [back.length, back[0].data.total, back[0].created];
    });
    assert.deepEqual(got, [1, 10, 5]);
  });

  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });

  await check("no console errors", async () => assert.deepEqual(problems, []));
} finally {
  await browser.close();
  server.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
