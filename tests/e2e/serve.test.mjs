// End-to-end test of `repool serve` in headless Chromium: load the page, edit a cell, and
// check that the pooled estimate and the forest plot change; a bad value is marked in its
// cell; switching a study off shows the pool with all studies beside it; a refusal of the
// server is shown in the page's language.
//
// Needs: REPOOL_BIN (the repool binary; default target/debug/repool), Debian's chromium
// (CHROMIUM, default /usr/bin/chromium) and playwright-core (npm ci in this folder).
// Screenshots go to SCREENSHOTS (default target/e2e).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = process.env.REPOOL_BIN || path.join(root, "target", "debug", "repool");
const shots = process.env.SCREENSHOTS || path.join(root, "target", "e2e");

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    child.on("error", reject);
    const timer = setTimeout(() => reject(new Error("repool serve printed no URL")), 20000);
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const url = line.split(/\s+/).find((w) => w.startsWith("http://"));
      url ? resolve({ child, url }) : reject(new Error("no URL in: " + line));
    });
  });
}

test("the classroom page recomputes as a cell is edited", { timeout: 120000 }, async () => {
  mkdirSync(shots, { recursive: true });
  const { child, url } = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const external = [];
    page.on("request", (r) => { if (!r.url().startsWith(url)) external.push(r.url()); });
    await page.goto(url);
    // The 13 BCG trials, REML: RR 0.489 [0.344; 0.696] (metafor: exp(-0.7145)).
    await page.waitForFunction(() => document.querySelector("#summary").dataset.estimate);
    const before = await page.textContent("#summary");
    assert.match(before, /^RR 0\.489 \[95% CI 0\.344; 0\.696\], k = 13$/);
    const svgBefore = await page.innerHTML("#forest");
    assert.ok(svgBefore.includes("<svg") && svgBefore.includes("Aronson"));
    assert.match(await page.textContent("#explain"), /τ² = 0\.3132/);
    await page.screenshot({ path: path.join(shots, "serve-before.png"), fullPage: true });

    // Edit: Aronson's treatment events 4 -> 40.
    const cell = page.locator('#tbody tr:first-child input[data-col="events_t"]');
    await cell.fill("40");
    await page.waitForFunction((b) => document.querySelector("#summary").textContent !== b, before);
    const after = await page.textContent("#summary");
    assert.notEqual(after, before);
    assert.match(after, /k = 13$/);
    const svgAfter = await page.innerHTML("#forest");
    assert.notEqual(svgAfter, svgBefore, "the forest plot changes");
    assert.ok(svgAfter.includes(">40<"), "the plot shows the new count");
    await page.screenshot({ path: path.join(shots, "serve-after.png"), fullPage: true });

    // A bad value is marked in its own cell, with the message.
    await cell.fill("4x");
    await page.waitForSelector('#tbody tr:first-child input[data-col="events_t"].bad');
    assert.match(await page.textContent("#errors"), /row 1, events_t: .*'4x'/);
    await cell.fill("4");
    await page.waitForFunction(() => document.querySelectorAll("input.bad").length === 0);
    await page.waitForFunction((b) => document.querySelector("#summary").textContent === b, before);

    // Switching the largest trial (TPT Madras, row 8) off.
    await page.locator("#tbody tr:nth-child(8) input.on").uncheck();
    await page.waitForFunction(() => /k = 12$/.test(document.querySelector("#summary").textContent));
    assert.match(await page.textContent("#withall"), /With all studies: 0\.4894/);
    await page.screenshot({ path: path.join(shots, "serve-study-off.png"), fullPage: true });

    // Decimal commas, pasted from a spreadsheet: a new effects table.
    await page.selectOption("#kind", "effects");
    const first = page.locator('#tbody tr:first-child input[data-col="yi"]');
    await first.focus();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData("text", "0,10\t0,01\n0,50\t0,02\n0,30\t0,04");
      document.activeElement.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    // The switch kept the 13 study names: rows 4 to 13 now lack data, and say so.
    await page.waitForFunction(() => /row 4, yi/.test(document.querySelector("#errors").textContent));
    for (let i = 0; i < 10; i++) await page.click("#remove");
    await page.waitForFunction(() => /^GEN /.test(document.querySelector("#summary").textContent));
    assert.match(await page.textContent("#summary"), /k = 3$/);
    // Downloads: the table as CSV (decimal points), the plot as SVG and PNG.
    const csvDl = page.waitForEvent("download");
    await page.click("#dl-csv");
    const csvText = readFileSync(await (await csvDl).path(), "utf8");
    assert.equal(csvText, "study,yi,vi\nAronson,0.10,0.01\nFerguson & Simes,0.50,0.02\nRosenthal et al,0.30,0.04\n");
    const svgDl = page.waitForEvent("download");
    await page.click("#dl-svg");
    assert.match(readFileSync(await (await svgDl).path(), "utf8"), /^<svg/);
    const pngDl = page.waitForEvent("download");
    await page.click("#dl-png");
    assert.deepEqual([...readFileSync(await (await pngDl).path()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    // A refusal of the server (JSON) is shown in the page's language: a table over 256 KiB.
    await page.selectOption("#lang", "fr");
    await page.locator('#tbody tr:first-child input[data-col="study"]').fill("A".repeat(300000));
    await page.waitForFunction(() => /la requête dépasse 256 Kio/.test(document.querySelector("#errors").textContent));
    assert.deepEqual(external, [], "the page loads nothing from elsewhere");
  } finally {
    await browser.close();
    child.kill();
  }
});
