/**
 * Writes a ReportSpec as one self-contained HTML page: uPlot's script and stylesheet (read from
 * node_modules at generation time), the report's stylesheet and script, and the chart data, all
 * inlined. A Content-Security-Policy forbids every network fetch, so the page works from disk.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { escapeHtml } from "./format.js";
import type { ChartSpec, ReportSpec, SectionSpec, TableSpec } from "./spec.js";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * A file beside this module's source. The build compiles only the TypeScript into dist/, so when
 * this runs from dist/report/html/ the stylesheet and script are read from src/report/html/.
 */
function asset(name: string): string {
  const beside = join(here, name);
  return existsSync(beside) ? beside : join(here, "..", "..", "..", "src", "report", "html", name);
}

let assets: { uplotJs: string; uplotCss: string; css: string; js: string; version: string } | null = null;

/** uPlot and the report's own script and stylesheet, read once. */
function loadAssets() {
  if (!assets) {
    const pkg = JSON.parse(readFileSync(require.resolve("uplot/package.json"), "utf8")) as { version: string };
    assets = {
      uplotJs: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
      uplotCss: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
      css: readFileSync(asset("report.css"), "utf8"),
      js: readFileSync(asset("client.js"), "utf8"),
      version: pkg.version,
    };
  }
  return assets;
}

/** JSON that is safe inside a <script> element: no `<` can close it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v))
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Guards inlined library code against a stray closing tag. */
const inlineScript = (code: string) => code.replace(/<\/(script)/gi, "<\\/$1");

/** A `mean ± half-width` cell keeps its columns narrow: the half-width goes on a second, smaller line. */
function cell(text: string): string {
  const pm = text.indexOf(" ± ");
  if (pm < 0) return escapeHtml(text);
  return `${escapeHtml(text.slice(0, pm))}<span class="pm">± ${escapeHtml(text.slice(pm + 3))}</span>`;
}

function table(t: TableSpec): string {
  const cls = (i: number) => (t.numeric.includes(i) ? ' class="num"' : "");
  const head = t.head.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join("");
  const rows = t.rows
    .map((r) => {
      const verdict = t.head.indexOf("Verdict");
      const rowClass = verdict >= 0 && (r[verdict] === "better" || r[verdict] === "worse") ? ` class="${r[verdict]}"` : "";
      return `<tr${rowClass}>${r.map((c, i) => `<td${cls(i)}>${cell(c)}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<div class="table-wrap"><table class="figures"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>\n<p class="table-caption">${escapeHtml(t.caption)}</p>`;
}

function chart(c: ChartSpec): string {
  return `<figure class="chart${c.wide ? " wide" : ""}" id="${escapeHtml(c.id)}"><h3>${escapeHtml(c.title)}</h3><div class="plot" id="plot-${escapeHtml(c.id)}"></div><figcaption>${escapeHtml(c.caption)}</figcaption></figure>`;
}

function section(s: SectionSpec, shownGroup: string | undefined): string {
  const group = s.group ? ` data-group="${escapeHtml(s.group)}"${s.group === shownGroup ? "" : " hidden"}` : "";
  return [
    `<section id="${escapeHtml(s.id)}"${group}>`,
    `<h2>${escapeHtml(s.title)}</h2>`,
    s.intro ? `<p class="intro">${escapeHtml(s.intro)}</p>` : "",
    ...s.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    ...s.tables.map(table),
    s.charts.length ? `<div class="charts">\n${s.charts.map(chart).join("\n")}\n</div>` : "",
    "</section>",
  ]
    .filter(Boolean)
    .join("\n");
}

export function renderHtml(spec: ReportSpec, generator: string): string {
  const a = loadAssets();
  // Each chart carries its section's group, so the page draws a sweep point's charts when shown.
  const charts = spec.sections.flatMap((s) => s.charts.map((c) => (s.group ? { ...c, group: s.group } : c)));
  const shownGroup = spec.groups?.[0]?.id;
  const firstGrouped = spec.sections.findIndex((s) => s.group);
  const selector = spec.groups?.length
    ? `<div class="point-select" id="points"><label>Charts over time for <select id="svcsim-point">${spec.groups
        .map((g) => `<option value="${escapeHtml(g.id)}">${escapeHtml(g.label)}</option>`)
        .join("")}</select></label></div>`
    : "";
  const body = spec.sections.map((s, i) => (i === firstGrouped ? selector + "\n" : "") + section(s, shownGroup)).join("\n");
  const facts = spec.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${k === "Command" ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</dd>`).join("\n");
  const toc = spec.sections
    .filter((s) => !s.group)
    .map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`)
    .concat(spec.groups?.length ? ['<a href="#points">Charts over time</a>'] : [])
    .join(" ");
  const files = spec.files.map((f) => `<a href="${escapeHtml(encodeURI(f))}">${escapeHtml(f)}</a>`).join(" ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(generator)}">
<title>${escapeHtml(spec.title)}</title>
<style>
${a.uplotCss}
${a.css}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(spec.title)}</h1>
${spec.subtitle ? `<p class="subtitle">${escapeHtml(spec.subtitle)}</p>` : ""}
<dl class="facts">
${facts}
</dl>
<nav class="toc">${toc}</nav>
<nav class="files">Files in this folder: ${files}</nav>
</header>
<main>
${body}
</main>
<footer>Written by ${escapeHtml(generator)} from the reports in this folder; <code>svcsim report &lt;folder&gt;</code> writes it again. Charts drawn with uPlot ${escapeHtml(a.version)} (MIT licence), inlined: this page needs no network. Drag across a time chart to zoom, double-click to reset.</footer>
<script type="application/json" id="svcsim-charts">${scriptJson(charts)}</script>
<script>${inlineScript(a.uplotJs)}</script>
<script>${inlineScript(a.js)}</script>
</body>
</html>
`;
}
