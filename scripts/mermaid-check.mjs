#!/usr/bin/env node
// Renders every ```mermaid block of the given Markdown files (or folders of
// them) with the real Mermaid library in headless Chromium, and fails on any
// Mermaid error. CI runs it on the reports rendered from examples/.
//
// Usage: node scripts/mermaid-check.mjs [--screenshots DIR] PATH...
//
// Needs the packages pinned in .ci/package.json (`npm ci --prefix .ci`) and a
// Chromium: /usr/bin/chromium (Debian's `chromium`), or $CHROMIUM. No browser
// is downloaded.

import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join, dirname, basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownFiles, diagrams } from "./mermaid-blocks.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, ".ci", "package.json"));

function usage(message) {
  console.error(`mermaid-check: ${message}`);
  console.error("usage: node scripts/mermaid-check.mjs [--screenshots DIR] PATH...");
  process.exit(2);
}

const args = process.argv.slice(2);
let screenshots = null;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--screenshots") {
    screenshots = args[++i] ?? usage("--screenshots needs a folder");
  } else {
    paths.push(args[i]);
  }
}
if (paths.length === 0) usage("no files or folders given");

// Mermaid's gantt parser accepts some mistakes silently (a `:` inside a
// task name, `after` an id never defined), so those are checked here.
function ganttProblems(code) {
  const problems = [];
  const ids = new Set();
  const keyword = /^(gantt|title|dateFormat|axisFormat|tickInterval|todayMarker|excludes|includes|weekday|section|displayMode|inclusiveEndDates|topAxis|accTitle|accDescr|%%)/;
  code.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || keyword.test(line)) return;
    const colon = line.indexOf(":");
    if (colon < 0) {
      problems.push(`line ${index + 1}: a task needs \`:\` between its name and data: ${line}`);
      return;
    }
    const data = line.slice(colon + 1).split(",").map((d) => d.trim());
    for (const item of data) {
      const after = item.match(/^(?:after|until)\s+(.+)$/);
      if (after) {
        for (const id of after[1].split(/\s+/)) {
          if (!ids.has(id)) problems.push(`line ${index + 1}: \`${item}\` names no earlier task`);
        }
      } else if (!/^([A-Za-z][\w-]*|[\d][\d\-:/. T]*|\d+(\.\d+)?(ms|[smhdwMy]))$/.test(item)) {
        problems.push(`line ${index + 1}: task data \`${item}\` is not an id, a date, a duration or \`after\` (a \`:\` in the task name?)`);
      }
    }
    const id = data.find((d, i) => i < data.length - 1 && /^[A-Za-z][\w-]*$/.test(d) && !["milestone", "done", "active", "crit"].includes(d));
    if (id) ids.add(id);
  });
  return problems;
}

const all = paths.flatMap(markdownFiles).flatMap(diagrams);
if (all.length === 0) {
  console.error("mermaid-check: no ```mermaid blocks found: nothing was checked");
  process.exit(1);
}

const { chromium } = require("playwright-core");
const mermaidPath = require.resolve("mermaid/dist/mermaid.min.js");
const mermaidVersion = require("mermaid/package.json").version;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  timeout: 60_000,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

let failed = 0;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: mermaidPath });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
  if (screenshots) mkdirSync(screenshots, { recursive: true });

  for (const [index, diagram] of all.entries()) {
    const where = `${diagram.file}:${diagram.line}`;
    if (diagram.code === null) {
      console.log(`FAIL ${where}: the mermaid block is never closed`);
      failed++;
      continue;
    }
    const result = await page.evaluate(
      async ({ code, id }) => {
        try {
          const type = await window.mermaid.parse(code);
          const { svg } = await window.mermaid.render(id, code);
          const out = document.getElementById("out");
          out.innerHTML = svg;
          const rects = [...out.querySelectorAll("rect.task")];
          const bars = rects.length;
          const badBars = rects.filter((r) => {
            const x = Number(r.getAttribute("x"));
            const w = Number(r.getAttribute("width"));
            return !Number.isFinite(x) || !Number.isFinite(w) || (w <= 0 && !r.classList.contains("milestone"));
          }).length;
          const errorSvg = /Syntax error in text/.test(svg);
          return { ok: !errorSvg, type: type && type.diagramType, bars, badBars, message: errorSvg ? "Mermaid drew its error picture" : "" };
        } catch (e) {
          return { ok: false, message: String((e && e.message) || e) };
        }
      },
      { code: diagram.code, id: `diagram${index}` },
    );
    if (result.ok && result.type === "gantt") {
      const problems = ganttProblems(diagram.code);
      if (result.bars === 0) problems.push("the gantt chart has no bars");
      if (result.badBars > 0) problems.push(`${result.badBars} bars have no width or position`);
      if (problems.length > 0) {
        result.ok = false;
        result.message = problems.join("; ");
      }
    }
    if (!result.ok) {
      console.log(`FAIL ${where}: ${result.message}`);
      failed++;
      continue;
    }
    console.log(`ok   ${where}: ${result.type}, ${result.bars} bars`);
    if (screenshots) {
      const name = `${basename(dirname(diagram.file))}-${basename(diagram.file, ".md")}-${diagram.line}.png`;
      await page.locator("#out svg").screenshot({ path: join(screenshots, name) });
    }
  }
} finally {
  await browser.close();
}

console.log(`mermaid ${mermaidVersion}: ${all.length} diagrams checked, ${failed} with errors`);
process.exit(failed === 0 ? 0 : 1);
