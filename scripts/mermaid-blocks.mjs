// The ```mermaid blocks of Markdown files, for the Mermaid checks
// (mermaid-check.mjs, mermaid-zones.mjs).

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// The Markdown files of a path: itself, or those under a folder, sorted.
export function markdownFiles(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      return statSync(child).isDirectory() || name.endsWith(".md") ? markdownFiles(child) : [];
    });
}

// Fenced ```mermaid blocks with the line each starts on; `code` is null for
// a block never closed.
export function diagrams(file) {
  const lines = readFileSync(file, "utf8").split("\n");
  const found = [];
  let open = null;
  lines.forEach((line, index) => {
    const fence = line.match(/^\s{0,3}(`{3,}|~{3,})\s*(\S*)/);
    if (open === null && fence && fence[2] === "mermaid") {
      open = { fence: fence[1], line: index + 1, body: [] };
    } else if (open !== null && fence && fence[1].startsWith(open.fence) && fence[2] === "") {
      found.push({ file, line: open.line, code: open.body.join("\n") });
      open = null;
    } else if (open !== null) {
      open.body.push(line);
    }
  });
  if (open !== null) found.push({ file, line: open.line, code: null });
  return found;
}
