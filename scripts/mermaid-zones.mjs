#!/usr/bin/env node
// Renders every ```mermaid block of the given reports in headless Chromium
// under three browser zones (TZ=UTC, America/New_York, Asia/Tokyo) and fails
// unless each diagram reads the same to every reader, in the document's zone:
//   - the SVG's text (title, axis, labels) is identical in the three zones,
//     and so are the bars' positions and lengths;
//   - the clock times of the start and end of impact, as pm gives them in the
//     document's zone (`pm export`: summary.start.local, summary.end.local),
//     appear in that text;
//   - every clock time in that text is one of the document's (start, end or
//     a timeline entry, in the document's zone): no browser-zone times.
//
// Usage: node scripts/mermaid-zones.mjs --export EXPORT.json [--screenshots DIR] PATH...
//   EXPORT.json is `pm export FILES...` of the reports' sources; a report
//   `NAME.md` is checked against the source file named `NAME.yaml`.
//
// Needs .ci/node_modules (`npm ci --prefix .ci`) and /usr/bin/chromium (or
// $CHROMIUM). Exit 0: all agree; 1: a diagram differs or misses a time; 2:
// could not run.

import { createRequire } from "node:module";
import { readFileSync, mkdirSync } from "node:fs";
import { join, dirname, basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownFiles, diagrams } from "./mermaid-blocks.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, ".ci", "package.json"));
const ZONES = ["UTC", "America/New_York", "Asia/Tokyo"];

function usage(message) {
  console.error(`mermaid-zones: ${message}`);
  console.error("usage: node scripts/mermaid-zones.mjs --export EXPORT.json [--screenshots DIR] PATH...");
  process.exit(2);
}

const args = process.argv.slice(2);
let exportFile = null;
let screenshots = null;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--export") exportFile = args[++i] ?? usage("--export needs a file");
  else if (args[i] === "--screenshots") screenshots = args[++i] ?? usage("--screenshots needs a folder");
  else paths.push(args[i]);
}
if (exportFile === null) usage("--export is required (the output of `pm export` on the sources)");
if (paths.length === 0) usage("no files or folders given");

// The document's clock times ("HH:MM" in its zone), by source file stem.
let incidents;
try {
  incidents = JSON.parse(readFileSync(exportFile, "utf8"));
} catch (e) {
  usage(`cannot read ${exportFile}: ${e.message}`);
}
const clock = (t) => (t && typeof t.local === "string" ? t.local.slice(11, 16) : null);
const expected = new Map();
for (const incident of incidents) {
  const times = [incident.summary?.start, incident.summary?.end, ...(incident.timeline ?? []).map((e) => e.at)];
  expected.set(basename(incident.file).replace(/\.ya?ml$/, ""), {
    start: clock(incident.summary?.start),
    end: clock(incident.summary?.end),
    all: new Set(times.map(clock).filter(Boolean)),
  });
}

const all = paths.flatMap(markdownFiles).flatMap(diagrams).filter((d) => d.code !== null);
if (all.length === 0) {
  console.error("mermaid-zones: no ```mermaid blocks found: nothing was checked");
  process.exit(1);
}

const { chromium } = require("playwright-core");
const mermaidPath = require.resolve("mermaid/dist/mermaid.min.js");

// What a reader in `zone` sees of each diagram: its text and its bars.
async function renderIn(zone) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    timeout: 60_000,
    env: { ...process.env, TZ: zone },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    // GitHub's Markdown column, which the diagram scales down to fit.
    const page = await browser.newPage({ viewport: { width: 880, height: 720 } });
    page.setDefaultTimeout(30_000);
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    if (browserZone !== zone) throw new Error(`Chromium runs in ${browserZone}, not ${zone}: TZ was not applied`);
    await page.addScriptTag({ path: mermaidPath });
    await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
    const seen = [];
    for (const [index, diagram] of all.entries()) {
      const result = await page.evaluate(
        async ({ code, id }) => {
          try {
            const { svg } = await window.mermaid.render(id, code);
            const out = document.getElementById("out");
            out.innerHTML = svg;
            const texts = [...out.querySelectorAll("svg text")]
              .map((t) => t.textContent.replace(/\s+/g, " ").trim())
              .filter((t) => t !== "");
            const bars = [...out.querySelectorAll("rect.task")].map((r) =>
              ["x", "width"].map((a) => Number(r.getAttribute(a)).toFixed(2)).join("+"),
            );
            return { texts, bars };
          } catch (e) {
            return { error: String((e && e.message) || e) };
          }
        },
        { code: diagram.code, id: `diagram${index}` },
      );
      seen.push(result);
      if (screenshots && !result.error) {
        const name = `${zone.replace("/", "_")}-${basename(dirname(diagram.file))}-${basename(diagram.file, ".md")}-${diagram.line}.png`;
        await page.locator("#out svg").screenshot({ path: join(screenshots, name) });
      }
    }
    return seen;
  } finally {
    await browser.close();
  }
}

if (screenshots) mkdirSync(screenshots, { recursive: true });
const byZone = {};
try {
  for (const zone of ZONES) byZone[zone] = await renderIn(zone);
} catch (e) {
  console.error(`mermaid-zones: could not run Chromium: ${e.message}`);
  process.exit(2);
}

let failed = 0;
for (const [index, diagram] of all.entries()) {
  const where = `${diagram.file}:${diagram.line}`;
  const problems = [];
  const first = byZone[ZONES[0]][index];
  for (const zone of ZONES) {
    if (byZone[zone][index].error) problems.push(`${zone}: Mermaid failed: ${byZone[zone][index].error}`);
  }
  if (problems.length === 0) {
    for (const zone of ZONES.slice(1)) {
      const other = byZone[zone][index];
      const a = JSON.stringify(first.texts);
      const b = JSON.stringify(other.texts);
      if (a !== b) problems.push(`text differs: ${ZONES[0]} ${a} but ${zone} ${b}`);
      if (JSON.stringify(first.bars) !== JSON.stringify(other.bars)) {
        problems.push(`bars differ: ${ZONES[0]} ${first.bars.join(" ")} but ${zone} ${other.bars.join(" ")}`);
      }
    }
    const stem = basename(diagram.file, ".md");
    const times = expected.get(stem);
    if (!times) {
      problems.push(`no source named ${stem}.yaml in ${exportFile}`);
    } else {
      const text = first.texts.join(" | ");
      for (const [what, at] of [["start", times.start], ["end", times.end]]) {
        if (at && !text.includes(at)) problems.push(`the ${what} of impact, ${at} in the document's zone, is not in the diagram's text: ${text}`);
      }
      // Clock times, not offsets such as +05:30.
      const foreign = [...new Set(text.match(/(?<![+\-\d:])\d{2}:\d{2}(?![\d:])/g) ?? [])].filter((t) => !times.all.has(t));
      if (foreign.length > 0) problems.push(`clock times that are none of the document's: ${foreign.join(", ")} (in: ${text})`);
    }
  }
  if (problems.length > 0) {
    failed++;
    console.log(`FAIL ${where}:\n  ${problems.join("\n  ")}`);
  } else {
    console.log(`ok   ${where}: same text and bars in ${ZONES.join(", ")}`);
  }
}
console.log(`${all.length} diagrams checked in ${ZONES.length} zones, ${failed} differ or miss the document's times`);
process.exit(failed === 0 ? 0 : 1);
