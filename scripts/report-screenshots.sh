#!/usr/bin/env bash
# Renders every built-in template on every example (and the index) to
# Markdown, converts each to GitHub-flavoured HTML with `marked` (from
# .ci/node_modules: `npm ci --prefix .ci`), with its Mermaid diagrams drawn by
# the pinned Mermaid, and takes a screenshot of each in headless Chromium at
# GitHub's column width, for a person to look at. Usage:
#   [HEIGHT=PX] scripts/report-screenshots.sh [OUT]   (default /tmp/pm-screens)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/pm-screens}
pm=${PM:-$root/target/debug/pm}
chromium=${CHROMIUM:-/usr/bin/chromium}
rm -rf "$out" && mkdir -p "$out/md" "$out/html" "$out/png"
for template in $("$pm" render --list-templates); do
  "$pm" render "$root/examples" -o "$out/md/$template" --template "$template" 2>/dev/null
done
"$pm" index "$root/examples" > "$out/md/index.md" 2>/dev/null || true
cat > "$out/convert.mjs" <<'JS'
const { marked } = await import(process.env.MARKED);
import { readFileSync, writeFileSync } from "node:fs";
const [, , input, output] = process.argv;
const body = marked.parse(readFileSync(input, "utf8"), { gfm: true });
// Roughly GitHub's Markdown column: 880 px of text, its table borders.
const css = `body{font-family:-apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;
font-size:16px;line-height:1.5;max-width:880px;margin:24px auto;padding:0 16px;color:#1f2328}
table{border-collapse:collapse;display:block;width:max-content;max-width:100%;overflow:auto}
th,td{border:1px solid #d1d9e0;padding:6px 13px}tr:nth-child(2n){background:#f6f8fa}
code,pre{font-family:ui-monospace,monospace;font-size:85%;background:#f6f8fa}
pre{padding:16px;overflow:auto}h1,h2{border-bottom:1px solid #d1d9e0;padding-bottom:.3em}`;
// Mermaid blocks drawn by the pinned Mermaid, as GitHub draws them.
const diagrams = body.replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, '<pre class="mermaid">$1</pre>');
const mermaid = `<script src="file://${process.env.MERMAID}"></script><script>mermaid.initialize({startOnLoad:true,securityLevel:"strict"})</script>`;
writeFileSync(output, `<!doctype html><meta charset="utf-8"><style>${css}</style>${diagrams}${mermaid}`);
JS
export MARKED="$root/.ci/node_modules/marked/lib/marked.esm.js"
export MERMAID="$root/.ci/node_modules/mermaid/dist/mermaid.min.js"
find "$out/md" -name '*.md' | sort | while read -r md; do
  name=$(realpath --relative-to="$out/md" "$md" | tr / _ | sed 's/\.md$//')
  node "$out/convert.mjs" "$md" "$out/html/$name.html"
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --hide-scrollbars --virtual-time-budget=10000 \
    --screenshot="$out/png/$name.png" --window-size=1200,"${HEIGHT:-2400}" \
    "file://$out/html/$name.html" >/dev/null 2>&1
  echo "$out/png/$name.png"
done
