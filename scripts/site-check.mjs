#!/usr/bin/env node
// Opens every page of a site written by `pm site` in headless Chromium, from
// file:// as a reader would, and fails on any console error, page error,
// failed request or request that leaves the site; on a link or script that
// does not resolve; on a page in quirks mode; on a timeline whose text
// changes with the browser's zone. Then it uses the index page: the search
// must find the incident named by --expect from the word --search, a filter
// must hide rows, a header must sort. Screenshots at phone (390 px) and
// desktop (1280 px) width go to --screenshots.
//
// Usage: node scripts/site-check.mjs [--search WORD --expect TITLE]
//          [--screenshots DIR] SITE_DIR
//
// Needs playwright-core from .ci/package.json (`npm ci --prefix .ci`) and a
// Chromium: /usr/bin/chromium, or $CHROMIUM. No browser is downloaded.

import { createRequire } from "node:module";
import { existsSync, readdirSync, statSync, mkdirSync } from "node:fs";
import { join, dirname, resolve, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, ".ci", "package.json"));

function usage(message) {
  console.error(`site-check: ${message}`);
  console.error("usage: node scripts/site-check.mjs [--search WORD --expect TITLE] [--screenshots DIR] SITE_DIR");
  process.exit(2);
}

const args = process.argv.slice(2);
let screenshots = null;
let search = null;
let expect = null;
let site = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--screenshots") screenshots = args[++i] ?? usage("--screenshots needs a folder");
  else if (args[i] === "--search") search = args[++i] ?? usage("--search needs a word");
  else if (args[i] === "--expect") expect = args[++i] ?? usage("--expect needs a title");
  else if (site === null) site = resolve(args[i]);
  else usage(`unexpected argument ${args[i]}`);
}
if (site === null) usage("no site folder given");
if ((search === null) !== (expect === null)) usage("--search and --expect go together");
if (!existsSync(join(site, "index.html"))) usage(`${site} has no index.html`);

function pages(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return pages(path);
      return name.endsWith(".html") ? [path] : [];
    });
}

const { chromium } = require("playwright-core");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  timeout: 60_000,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

let failures = 0;
function fail(where, message) {
  failures += 1;
  console.log(`FAIL ${where}: ${message}`);
}

// A page opened in a fresh context (zone `timezoneId`), with every problem
// the browser reports collected.
async function open(path, { timezoneId = "UTC", width = 1280 } = {}) {
  const context = await browser.newContext({ timezoneId, viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file://")) problems.push(`request off the site: ${request.url()}`);
  });
  await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
  return { context, page, problems };
}

const all = pages(site);
const timelines = new Map();
let links = 0;
for (const path of all) {
  const name = relative(site, path).split(sep).join("/");
  const { context, page, problems } = await open(path);
  const mode = await page.evaluate(() => document.compatMode);
  if (mode !== "CSS1Compat") fail(name, `rendered in ${mode}, not standards mode`);
  const targets = await page.evaluate(() =>
    [...document.querySelectorAll("[href], [src]")].map((el) => el.href || el.src)
  );
  for (const target of targets) {
    const url = new URL(target);
    if (url.protocol === "http:" || url.protocol === "https:") continue;
    if (url.protocol !== "file:") {
      fail(name, `link to ${target} is neither internal nor http(s)`);
      continue;
    }
    const file = fileURLToPath(url);
    if (!existsSync(file) || !statSync(file).isFile()) {
      fail(name, `link to ${relative(site, file)} does not resolve`);
      continue;
    }
    if (!relative(site, file).split(sep).every((part) => part !== "..")) {
      fail(name, `link to ${file} leaves the site`);
    }
    if (url.hash && file === path) {
      const id = decodeURIComponent(url.hash.slice(1));
      const found = await page.evaluate((id) => document.getElementById(id) !== null, id);
      if (!found) fail(name, `no element #${id} for ${target}`);
    }
    links += 1;
  }
  // Both drawings of the timeline: the wide one and the phone's.
  const svg = await page.evaluate(() => {
    const charts = [...document.querySelectorAll("svg.timeline")];
    return charts.length ? charts.map((chart) => chart.textContent).join("\n") : null;
  });
  if (svg !== null) timelines.set(path, svg);
  // Wait a moment for late script errors.
  await page.waitForTimeout(50);
  for (const problem of problems) fail(name, problem);
  if (problems.length === 0) console.log(`ok   ${name}`);
  await context.close();
}
console.log(`${all.length} pages loaded, ${links} internal links resolved`);

// The timeline is pm's text: the browser's zone must not change it.
for (const [path, text] of timelines) {
  for (const timezoneId of ["America/New_York", "Asia/Tokyo"]) {
    const { context, page } = await open(path, { timezoneId });
    const other = await page.evaluate(() => [...document.querySelectorAll("svg.timeline")].map((chart) => chart.textContent).join("\n"));
    if (other !== text) fail(relative(site, path), `the timeline's text differs under TZ=${timezoneId}`);
    await context.close();
  }
}
console.log(`${timelines.size} timelines identical under UTC, America/New_York and Asia/Tokyo`);

// The index page in use.
{
  const { context, page, problems } = await open(join(site, "index.html"));
  const rows = await page.locator("#incidents tbody tr").count();
  if (search !== null) {
    await page.fill("#search-box", search);
    const found = await page.locator("#search-results li a").allTextContents();
    if (!found.includes(expect)) fail("index.html", `searching "${search}" found ${JSON.stringify(found)}, not "${expect}"`);
    else {
      console.log(`ok   search "${search}" finds "${expect}" (${found.length} result${found.length === 1 ? "" : "s"})`);
      await page.locator("#search-results li a", { hasText: expect }).first().click();
      await page.waitForLoadState("load");
      const heading = await page.locator("h1").textContent();
      if (heading !== expect) fail("index.html", `the search result opens "${heading}"`);
      await page.goBack();
    }
  }
  if (rows > 1) {
    // A filter keeps exactly the rows of its value.
    const severity = await page.locator("#incidents tbody tr").first().getAttribute("data-severity");
    await page.selectOption("#filter-severity", severity);
    const shown = await page.locator("#incidents tbody tr:not([hidden])").count();
    const want = await page.locator(`#incidents tbody tr[data-severity="${severity}"]`).count();
    if (shown !== want) fail("index.html", `severity ${severity} shows ${shown} rows, not ${want}`);
    else console.log(`ok   filter severity=${severity}: ${shown} of ${rows} rows`);
    await page.selectOption("#filter-severity", "");
    // Sorting by date turns newest-first into oldest-first.
    const first = await page.locator("#incidents tbody tr th a").first().textContent();
    await page.click("#incidents thead th:first-child button");
    const sort = await page.getAttribute("#incidents thead th:first-child", "aria-sort");
    const last = await page.locator("#incidents tbody tr th a").last().textContent();
    if (sort !== "ascending" || last !== first) fail("index.html", `sorting by date: aria-sort=${sort}, last row "${last}"`);
    else console.log("ok   sort by date, ascending");
  }
  for (const problem of problems) fail("index.html (in use)", problem);
  await context.close();
}

if (screenshots) {
  mkdirSync(screenshots, { recursive: true });
  const shown = ["index.html", "follow-ups.html", "figures.html", ...all.map((p) => relative(site, p).split(sep).join("/")).filter((n) => n.startsWith("incidents/"))];
  for (const name of shown) {
    for (const width of [390, 1280]) {
      const { context, page } = await open(join(site, name), { width });
      const file = join(screenshots, `${name.replaceAll("/", "-").replace(/\.html$/, "")}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // Nothing may stick out sideways but what scrolls in its own box.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      if (wide) fail(name, `wider than the ${width} px window`);
      // One drawing of the timeline is shown, the phone's at 390 px, and it
      // fits the window without scrolling sideways.
      const charts = await page.evaluate(() => [...document.querySelectorAll("svg.timeline")].map((chart) => {
        const box = chart.getBoundingClientRect();
        return { shown: box.width > 0, right: box.right, narrow: chart.closest(".narrow") !== null };
      }));
      const shown = charts.filter((chart) => chart.shown);
      if (charts.length > 0 && shown.length !== 1) fail(name, `${shown.length} timelines shown at ${width} px, not 1`);
      for (const chart of shown) {
        if (chart.narrow !== (width < 700)) fail(name, `the ${chart.narrow ? "phone's" : "wide"} timeline is shown at ${width} px`);
        if (width < 700 && chart.right > width) fail(name, `the timeline runs past the ${width} px window`);
      }
      await context.close();
    }
  }
  console.log(`screenshots in ${screenshots}`);
}

await browser.close();
if (failures > 0) {
  console.log(`site-check: ${failures} problem${failures === 1 ? "" : "s"}`);
  process.exit(1);
}
console.log("site-check: ok");
