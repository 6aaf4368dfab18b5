/* Verbatim source viewer, served at /view/articles/{id}: fetches /articles/{id} and shows the whole
 * cleaned text. Every character of `text` is rendered exactly once, in order, as text nodes, so
 * #article-text's textContent equals the article's text. #span-START-END marks text[START:END].
 * A PDF source (pdf_url) gets an "Open the PDF" link, at the page of the marked span when the
 * detail says where its pages start (a `pages` list of {page, span}).
 */
"use strict";

(function () {
  const V = window.Verbatim;
  const el = V.el;

  const status = document.getElementById("status");
  const articleNode = document.getElementById("article");
  const titleNode = document.getElementById("article-title");
  const metaNode = document.getElementById("article-meta");
  const sourceNode = document.getElementById("article-source");
  const pdfNode = document.getElementById("article-pdf");
  const textNode = document.getElementById("article-text");
  const refList = document.getElementById("reference-list");
  const refEmpty = document.getElementById("references-empty");

  let article = null;

  function setStatus(message, isError) {
    status.textContent = message;
    status.classList.toggle("error-text", Boolean(isError));
    status.hidden = !message;
  }

  /** {start, end} from #span-START-END, or null when there is no such hash. */
  function hashSpan() {
    const m = /^#span-(\d+)-(\d+)$/.exec(window.location.hash);
    return m ? { start: Number(m[1]), end: Number(m[2]) } : null;
  }

  // ------------------------------------------------------------ blocks of the text

  /**
   * Splits [start, end) into paragraph pieces: a piece runs from a line's first character through
   * the newlines (and blank lines) after it. Leading newlines stay in the first piece.
   */
  function pieces(text, start, end) {
    const out = [];
    let from = start;
    for (let i = start + 1; i < end; i++) {
      if (text[i - 1] === "\n" && /\S/.test(text[i])) {
        out.push([from, i]);
        from = i;
      }
    }
    if (from < end) out.push([from, end]);
    return out;
  }

  /**
   * Blocks that cover [0, text.length) exactly: {tag: "h2"|"p", start, end, heading?}.
   * A section whose text starts with its heading line gets that line as an <h2>; a section with a
   * heading that is not in the text (a reference list without a heading line) gets an empty <h2>
   * whose label is shown by CSS from data-heading, so no character is added to the text.
   */
  function blocks(text, sections) {
    const out = [];
    const addBody = (s, e) => {
      for (const [a, b] of pieces(text, s, e)) {
        const line = text.slice(a, b).trimStart();
        const last = out[out.length - 1];
        if (!line && last && last.end === a && last.label === undefined) {
          last.end = b; // whitespace only: it belongs to the block before it
          continue;
        }
        out.push({ tag: "p", start: a, end: b, bullet: /^[-•*–]\s/.test(line) });
      }
    };
    const list = (Array.isArray(sections) ? sections : [])
      .map((s) => ({ heading: typeof s.heading === "string" ? s.heading : null, span: V.validSpan(s.span, text.length) }))
      .filter((s) => s.span)
      .sort((x, y) => x.span.start - y.span.start);

    let cursor = 0;
    for (const section of list) {
      let start = Math.max(section.span.start, cursor);
      const end = section.span.end;
      if (end <= start) continue;
      if (start > cursor) addBody(cursor, start);
      if (section.heading !== null && section.heading.trim()) {
        if (start === section.span.start && text.startsWith(section.heading, start)) {
          let headEnd = start + section.heading.length;
          while (headEnd < end && /\s/.test(text[headEnd])) headEnd++;
          out.push({ tag: "h2", start, end: headEnd });
          start = headEnd;
        } else {
          out.push({ tag: "h2", start, end: start, label: section.heading.trim() });
        }
      }
      if (start < end) addBody(start, end);
      cursor = end;
    }
    if (cursor < text.length) addBody(cursor, text.length);
    return out;
  }

  /** Renders the text; text[mark.start:mark.end] is wrapped in one <mark class="quoted"> per block. */
  function renderText(text, sections, mark) {
    V.clear(textNode);
    let first = null;
    for (const block of blocks(text, sections)) {
      const node = el(block.tag, { class: block.tag === "h2" ? "section-heading" : block.bullet ? "bullet" : null });
      if (block.label !== undefined) {
        node.classList.add("synthetic");
        node.dataset.heading = block.label;
        node.setAttribute("aria-label", block.label);
      }
      const { start, end } = block;
      if (mark && mark.start < end && mark.end > start) {
        const ms = Math.max(start, mark.start);
        const me = Math.min(end, mark.end);
        if (ms > start) node.append(document.createTextNode(text.slice(start, ms)));
        const m = el("mark", { class: "quoted" }, text.slice(ms, me));
        if (!first) {
          first = m;
          m.id = "quoted";
          m.tabIndex = -1;
        }
        node.append(m);
        if (me < end) node.append(document.createTextNode(text.slice(me, end)));
      } else if (end > start) {
        node.append(document.createTextNode(text.slice(start, end)));
      }
      textNode.append(node);
    }
    return first;
  }

  // ------------------------------------------------------------ the original PDF

  /** The detail's page ranges, [{page, start, end}], when it gives them; else []. */
  function pageRanges(data) {
    const list = Array.isArray(data.pages) ? data.pages : [];
    const out = [];
    for (const p of list) {
      if (!p || typeof p !== "object") continue;
      const page = Number.isInteger(p.page) ? p.page : Number.isInteger(p.number) ? p.number : null;
      const span = V.validSpan(p.span || p, V.str(data.text).length);
      if (page && page > 0 && span) out.push({ page, start: span.start, end: span.end });
    }
    return out;
  }

  /** The page on which text[span.start] stands, or null. */
  function pageOf(span) {
    if (!span) return null;
    const hit = pageRanges(article).find((p) => span.start >= p.start && span.start < p.end);
    return hit ? hit.page : null;
  }

  function renderPdfLink(span) {
    if (!pdfNode) return;
    V.clear(pdfNode);
    const isPdf = V.str(article.pdf_url) !== "";
    pdfNode.hidden = !isPdf;
    if (!isPdf) return;
    const page = pageOf(span);
    const href = V.pdfHref(article.pdf_url, article.id, page);
    if (!href) {
      pdfNode.hidden = true;
      return;
    }
    pdfNode.append(el("a", { class: "pdf-link", href }, page ? "Open the PDF at page " + page : "Open the PDF"));
  }

  function showMark(scroll) {
    const text = article.text;
    const requested = hashSpan();
    const span = requested ? V.validSpan(requested, text.length) : null;
    renderPdfLink(span);
    const first = renderText(text, article.sections, span);
    if (requested && !span) {
      setStatus("The quoted range in this link is not in this article; showing the whole article.", true);
    } else if (first) {
      setStatus("The quoted passage is highlighted below.", false);
    } else {
      setStatus("", false);
    }
    if (first && scroll) {
      window.requestAnimationFrame(() => {
        first.scrollIntoView({ block: "center" });
        first.focus({ preventScroll: true });
      });
    }
  }

  // ------------------------------------------------------------ header and references

  function renderHeader(data) {
    const title = V.str(data.title) || V.str(data.id) || "Untitled article";
    titleNode.textContent = title;
    document.title = title + " — Verbatim";
    const meta = [];
    if (V.str(data.author)) meta.push("By " + V.str(data.author));
    if (V.str(data.publisher)) meta.push(V.str(data.publisher));
    if (V.str(data.date)) meta.push(V.str(data.date));
    metaNode.textContent = meta.join(" · ");
    metaNode.hidden = !meta.length;
    V.clear(sourceNode);
    const url = V.safeUrl(data.url);
    if (url) sourceNode.append("Original: ", V.externalLink(url, url, "source-link"));
    // A paper's own DOI, unless the original URL is already that DOI.
    const doiHref = V.doiUrl(data.doi);
    const sameAsUrl = doiHref && url && url.toLowerCase() === doiHref.toLowerCase();
    if (doiHref && !sameAsUrl) sourceNode.append(url ? " · " : "", V.externalLink(doiHref, "doi:" + V.bareDoi(data.doi), "doi-link"));
    sourceNode.hidden = !sourceNode.firstChild;
  }

  function renderReferences(data) {
    V.clear(refList);
    const refs = Array.isArray(data.references) ? data.references.filter((r) => r && typeof r === "object") : [];
    refEmpty.hidden = refs.length > 0;
    refList.hidden = refs.length === 0;
    for (const ref of refs) {
      const textLength = V.str(data.text).length;
      const places = (Array.isArray(ref.cited_at) ? ref.cited_at : []).map((s) => V.validSpan(s, textLength)).filter(Boolean);
      const links = V.referenceLinks(ref);
      const span = V.validSpan(ref.span, V.str(data.text).length);
      const item = el(
        "li",
        { class: "reference", dataset: { refId: V.str(ref.ref_id) } },
        el("p", { class: "reference-text" }, V.numberLabel(ref.number) + V.str(ref.text)),
        el(
          "p",
          { class: "reference-meta" },
          links.map((a) => [a, " "]),
          places.length
            ? el(
                "span",
                { class: "cited-at" },
                "cited at: ",
                places.map((p, i) => [i ? ", " : "", el("a", { class: "cited-link", href: "#span-" + p.start + "-" + p.end }, "marker " + (i + 1))])
              )
            : el("span", { class: "cited-count" }, "not cited in the text"),
          span ? [" · ", el("a", { class: "entry-link", href: "#span-" + span.start + "-" + span.end }, "show entry in the text")] : null,
          V.str(ref.work_id) ? [" · ", el("a", { class: "work-link", href: V.workViewHref(ref.work_id) }, "All citing articles")] : null
        )
      );
      refList.append(item);
    }
  }

  // ------------------------------------------------------------ load

  async function main() {
    const id = V.pathId("articles");
    if (!id) {
      setStatus("No article with that id.", true);
      return;
    }
    let data;
    try {
      data = await V.fetchJSON("/articles/" + encodeURIComponent(id));
    } catch (err) {
      if (err instanceof V.ApiError && err.status === 404) setStatus("No article with that id.", true);
      else setStatus(V.errorMessage(err), true);
      return;
    }
    if (!data || typeof data !== "object" || typeof data.text !== "string") {
      setStatus(V.SERVER_PREFIX + "the article had no text.", true);
      return;
    }
    article = data;
    renderHeader(data);
    renderReferences(data);
    articleNode.hidden = false;
    showMark(true);
  }

  // Another #span-… (for example "show entry in the text") marks that range instead.
  window.addEventListener("hashchange", () => {
    if (article && hashSpan()) showMark(true);
  });

  main();
})();
