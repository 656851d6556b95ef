import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { compressHtml } from "../../src/compress/html.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { mulberry32 } from "../helpers/random.ts";

const NAV_LINKS = Array.from(
  { length: 30 },
  (_, i) =>
    `<li class="menu-item"><a href="/docs/section-${i}" class="nav-link">Section ${i}</a></li>`,
).join("\n");

/** A documentation page as a framework would render it: head, nav, sidebar, article, footer. */
const DOCS_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Configuring retries &mdash; Acme HTTP Client</title>
  <link rel="stylesheet" href="/static/css/theme.3f9a1c.css">
  <style>
    body { font-family: system-ui, sans-serif; margin: 0 }
    .sidebar { width: 280px; position: fixed }
    pre { background: #f6f8fa; padding: 16px }
  </style>
  <script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>
  <script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>
</head>
<body class="docs-page has-sidebar">
  <div class="cookie-consent" role="dialog">We use cookies to improve your experience. <button>Accept all</button></div>
  <header class="site-header">
    <a href="/" class="logo"><img src="/static/logo.svg" alt="Acme"></a>
    <nav class="top-nav"><ul>${NAV_LINKS}</ul></nav>
  </header>
  <aside class="sidebar"><ul>${NAV_LINKS}</ul></aside>
  <main id="content">
    <article class="doc">
      <h1 id="configuring-retries">Configuring retries<a class="headerlink" href="#configuring-retries">¶</a></h1>
      <p>The client retries <strong>idempotent</strong> requests automatically. Use the
         <code>retry</code> option of <a href="/docs/api/client#options">createClient()</a> to change how.</p>
      <div class="admonition warning" style="display:none">Hidden legacy note</div>
      <h2 id="options">Options</h2>
      <table class="options-table">
        <thead><tr><th>Name</th><th>Type</th><th>Default</th></tr></thead>
        <tbody>
          <tr><td><code>attempts</code></td><td>number</td><td>3</td></tr>
          <tr><td><code>backoff</code></td><td>"linear" | "exponential"</td><td>"exponential"</td></tr>
          <tr><td><code>retryOn</code></td><td>number[]</td><td>[429, 502, 503]</td></tr>
        </tbody>
      </table>
      <h2 id="example">Example</h2>
      <pre><code class="language-ts"><span class="kw">const</span> client = createClient({
  retry: { attempts: 5, backoff: &quot;exponential&quot; },
});
<span class="kw">if</span> (res.status &gt;= 500 &amp;&amp; res.status &lt; 600) log(res);</code></pre>
      <h2 id="steps">Migrating from v1</h2>
      <ol>
        <li><p>Remove the <code>maxRetries</code> option.</p></li>
        <li><p>Set <code>retry.attempts</code> instead.</p></li>
      </ol>
      <ul>
        <li>Retries honour <a href="https://httpwg.org/specs/rfc9110.html#field.retry-after">Retry-After</a>.</li>
        <li>Non-idempotent requests are never retried.</li>
      </ul>
      <blockquote>Note: a retried request reuses the same idempotency key.</blockquote>
      <p><img src="/static/diagrams/retry-flow.png" alt="Retry flow diagram"></p>
      <script>trackPageSection("retries");</script>
      <div class="share-buttons"><a href="https://twitter.com/share">Share on X</a></div>
    </article>
  </main>
  <footer class="site-footer"><p>&copy; 2026 Acme Inc. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body>
</html>
`;

describe("compressHtml", () => {
  const out = compressHtml(DOCS_PAGE, contextFor(DOCS_PAGE, { lossy: true }))!;

  test("keeps the title, headings, paragraphs, links, code, tables and lists", () => {
    expect(out.lossy).toBe(true);
    expect(out.strategy).toBe("html:main-content");
    const text = out.text;
    expect(text.startsWith("# Configuring retries — Acme HTTP Client\n")).toBe(true);
    expect(text).toContain("# Configuring retries\n");
    expect(text).toContain("## Options");
    expect(text).toContain(
      "The client retries idempotent requests automatically. Use the `retry` option of [createClient()](/docs/api/client#options) to change how.",
    );
    expect(text).toContain("| Name | Type | Default |\n|-|-|-|\n| `attempts` | number | 3 |");
    expect(text).toContain('| `backoff` | "linear" | "exponential" | "exponential" |');
    expect(text).toContain(
      '```ts\nconst client = createClient({\n  retry: { attempts: 5, backoff: "exponential" },\n});\nif (res.status >= 500 && res.status < 600) log(res);\n```',
    );
    expect(text).toContain("1. Remove the `maxRetries` option.\n2. Set `retry.attempts` instead.");
    expect(text).toContain(
      "- Retries honour [Retry-After](https://httpwg.org/specs/rfc9110.html#field.retry-after).",
    );
    expect(text).toContain("Note: a retried request reuses the same idempotency key.");
    expect(text).toContain("[image: Retry flow diagram]");
  });

  test("drops scripts, styles, navigation, sidebars, banners, hidden elements and markup", () => {
    const text = out.text;
    for (const gone of [
      "gtag",
      "font-family",
      "Section 12",
      "cookies",
      "Hidden legacy note",
      "trackPageSection",
      "Share on X",
      "All rights reserved",
      "¶",
      "<span",
      "</",
      "class=",
    ]) {
      expect(text).not.toContain(gone);
    }
  });

  test("ends with a marker that says what was dropped", () => {
    const marker = out.text.split("\n").at(-1)!;
    expect(marker).toStartWith("[headroom: HTML reduced to its readable text (");
    expect(marker).toContain("navigation");
    expect(marker).toContain(`hash=${originalHash(DOCS_PAGE)}`);
    expect(countTokens(out.text)).toBeLessThan(countTokens(DOCS_PAGE) * 0.3);
  });

  test("declines when lossy compression is off", () => {
    expect(compressHtml(DOCS_PAGE, contextFor(DOCS_PAGE, { lossy: false }))).toBeUndefined();
  });

  test("falls back to the whole page when the main-content guess would drop it", () => {
    const body = Array.from(
      { length: 12 },
      (_, i) => `<p>Release note ${i}: fixed a crash in the parser when input ${i} was empty.</p>`,
    ).join("\n");
    const page = `<html><head><title>Changelog</title><style>${".rule { color: red }\n".repeat(60)}</style></head><body><div class="page-wrapper-sidebar">${body}</div><nav><a href="/">Home</a></nav></body></html>`;
    const result = compressHtml(page, contextFor(page, { lossy: true }))!;
    expect(result.strategy).toBe("html:text");
    expect(result.text).toContain(
      "Release note 11: fixed a crash in the parser when input 11 was empty.",
    );
    expect(result.text).toContain("Home");
  });

  test("pages without main or article keep the body but still drop furniture", () => {
    const paragraphs = Array.from(
      { length: 8 },
      (_, i) =>
        `<p>Paragraph ${i} explains the build cache and how to clear it with <code>make clean</code>.</p>`,
    ).join("");
    const page = `<html><body><nav class="navbar">${NAV_LINKS}</nav><div class="content">${paragraphs}</div><footer>Footer text</footer></body></html>`;
    const result = compressHtml(page, contextFor(page, { lossy: true }))!;
    expect(result.strategy).toBe("html:main-content");
    expect(result.text).toContain(
      "Paragraph 7 explains the build cache and how to clear it with `make clean`.",
    );
    expect(result.text).not.toContain("Section 3");
    expect(result.text).not.toContain("Footer text");
  });

  test("decodes entities and handles unclosed and malformed markup", () => {
    const page = `<script>${"x();".repeat(200)}</script><p>Tom &amp; Jerry &lt;3 &#x1F600; &#169; &unknown; <b>bold<p>next para<br>line two<a href="#top">¶</a><div class=x><span>unclosed`;
    const result = compressHtml(page, contextFor(page, { lossy: true }))!;
    expect(result.text).toContain(
      "Tom & Jerry <3 😀 © &unknown; bold\nnext para\nline two\nunclosed\n[headroom:",
    );
  });

  test("declines input that is not HTML or has no text", () => {
    for (const text of ["", "plain text without tags", "<script>only()</script>", "<div></div>"]) {
      expect(compressHtml(text, contextFor(text, { lossy: true }))).toBeUndefined();
    }
  });

  test("is deterministic", () => {
    expect(compressHtml(DOCS_PAGE, contextFor(DOCS_PAGE))).toEqual(
      compressHtml(DOCS_PAGE, contextFor(DOCS_PAGE)),
    );
  });

  test("random and mutated pages never throw, never grow, stay deterministic", () => {
    const rand = mulberry32(777);
    const pieces = [
      "<",
      ">",
      "</",
      "<div>",
      "</div>",
      "<pre>",
      "</pre>",
      "<a href='x'>",
      "</a>",
      '"',
      "'",
      "&",
      "&amp;",
      "<!--",
      "-->",
      "<script>",
      "<table><tr><td>",
      "<li>",
      "\n",
    ];
    for (let round = 0; round < 300; round++) {
      let text = DOCS_PAGE;
      const edits = Math.floor(rand() * 10);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * text.length);
        const kind = rand();
        if (kind < 0.5)
          text = text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at);
        else if (kind < 0.8)
          text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 200));
        else text = text.slice(0, at);
      }
      const ctx = contextFor(text, { lossy: true });
      const first = compressHtml(text, ctx);
      expect(compressHtml(text, ctx)).toEqual(first);
      if (first) {
        expect(first.text.length).toBeLessThan(text.length);
        expect(first.lossy).toBe(true);
        expect(first.text).toContain(`hash=${originalHash(text)}`);
      }
    }
  });
});
