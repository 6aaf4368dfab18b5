/* Verbatim work page, served at /view/works/{id}: fetches /works/{id} (WorkDetail) and shows the cited
 * work (title, authors, year, journal, DOI), the paper itself when it is in the corpus, each article's
 * reference-list entry for it, and every sentence that cites it, grouped by article, each with the
 * primary evidence from the paper. All API text is rendered as text nodes (see common.js).
 */
"use strict";

(function () {
  const V = window.Verbatim;
  const el = V.el;

  const status = document.getElementById("status");
  const workNode = document.getElementById("work");
  const titleNode = document.getElementById("work-title");
  const authorsNode = document.getElementById("work-authors");
  const metaNode = document.getElementById("work-meta");
  const countsNode = document.getElementById("work-counts");
  const sourceSection = document.getElementById("work-source");
  const sourceBody = document.getElementById("source-body");
  const entryList = document.getElementById("entry-list");
  const entriesEmpty = document.getElementById("entries-empty");
  const groupsNode = document.getElementById("citing-groups");
  const citingEmpty = document.getElementById("citing-empty");

  function setStatus(message, isError) {
    status.textContent = message;
    status.classList.toggle("error-text", Boolean(isError));
    status.hidden = !message;
  }

  function articleTitle(article) {
    return V.str(article && article.title) || V.str(article && article.id) || "Untitled article";
  }

  function renderHeader(data) {
    const title = V.str(data.title) || "Untitled work";
    titleNode.textContent = title;
    document.title = title + " — Verbatim";
    const authors = V.authorList(data.authors);
    authorsNode.textContent = authors;
    authorsNode.hidden = !authors;

    V.clear(metaNode);
    const facts = [];
    if (Number.isInteger(data.year)) facts.push(el("span", { class: "work-year" }, String(data.year)));
    if (V.str(data.journal)) facts.push(el("span", { class: "work-journal" }, V.str(data.journal)));
    const doiHref = V.safeUrl(data.doi_url) && /^https:\/\/(?:dx\.)?doi\.org\//i.test(data.doi_url) ? V.safeUrl(data.doi_url) : V.doiUrl(data.doi);
    if (doiHref) facts.push(V.externalLink(doiHref, "doi:" + (V.bareDoi(data.doi) || V.bareDoi(data.doi_url) || data.doi), "doi-link"));
    facts.forEach((node, i) => V.append(metaNode, i ? " · " : null, node));
    metaNode.hidden = !facts.length;

    const counts = [];
    if (Number.isInteger(data.cited_by_articles)) counts.push("Cited by " + V.plural(data.cited_by_articles, "article"));
    if (Number.isInteger(data.citing_sentences)) counts.push("in " + V.plural(data.citing_sentences, "sentence"));
    countsNode.textContent = counts.join(", ") + (counts.length ? "." : "");
    countsNode.hidden = !counts.length;
  }

  function renderSource(source) {
    V.clear(sourceBody);
    if (!source || typeof source !== "object" || !V.str(source.id)) {
      sourceSection.hidden = true;
      return;
    }
    const kind = source.format === "pdf" ? "PDF" : source.format === "jats" ? "JATS XML" : V.str(source.format);
    const how = source.matched_by === "doi" ? "matched by its DOI" : source.matched_by === "title" ? "matched by its title" : "";
    const pdf = V.str(source.pdf_url) ? V.pdfHref(source.pdf_url, source.id, null) : null;
    V.append(
      sourceBody,
      el(
        "p",
        { class: "source-line" },
        "The cited paper is in the corpus",
        kind || how ? " (" + [kind, how].filter(Boolean).join(", ") + ")" : "",
        ": ",
        el("a", { class: "source-view-link", href: V.articleViewHref(source.id) }, V.str(source.title) || V.str(source.id))
      ),
      pdf ? el("p", { class: "source-pdf" }, el("a", { class: "pdf-link", href: pdf }, "Open the PDF")) : null
    );
    sourceSection.hidden = false;
  }

  function renderEntries(entries) {
    V.clear(entryList);
    const list = Array.isArray(entries) ? entries.filter((e) => e && typeof e === "object") : [];
    entriesEmpty.hidden = list.length > 0;
    entryList.hidden = !list.length;
    for (const entry of list) {
      const article = entry.article && typeof entry.article === "object" ? entry.article : {};
      entryList.append(
        el(
          "li",
          { class: "entry", dataset: { articleId: V.str(article.id) } },
          el("p", { class: "entry-article" }, articleTitle(article)),
          el(
            "p",
            { class: "entry-text" },
            el("a", { class: "entry-link", href: V.articleViewHref(article.id, entry.span) }, V.numberLabel(entry.number) + V.str(entry.text))
          )
        )
      );
    }
  }

  /** The citing sentences, grouped by article in the order the API gives them. */
  function renderCiting(citing) {
    V.clear(groupsNode);
    const list = Array.isArray(citing) ? citing.filter((c) => c && typeof c === "object" && V.str(c.sentence)) : [];
    citingEmpty.hidden = list.length > 0;
    const groups = new Map();
    for (const c of list) {
      const article = c.article && typeof c.article === "object" ? c.article : {};
      const key = V.str(article.id);
      if (!groups.has(key)) groups.set(key, { article, items: [] });
      groups.get(key).items.push(c);
    }
    let n = 0;
    for (const { article, items } of groups.values()) {
      n += 1;
      const headingId = "citing-article-" + n;
      groupsNode.append(
        el(
          "section",
          { class: "citing-group", "aria-labelledby": headingId, dataset: { articleId: V.str(article.id) } },
          el(
            "h3",
            { class: "citing-group-title", id: headingId },
            el("a", { href: V.articleViewHref(article.id) }, articleTitle(article))
          ),
          el("p", { class: "citing-group-count muted" }, V.plural(items.length, "sentence")),
          el("ol", { class: "citing-list" }, items.map((c) => V.citingSentence(c, false)))
        )
      );
    }
  }

  async function main() {
    const id = V.pathId("works");
    if (!id) {
      setStatus("No cited work with that id.", true);
      return;
    }
    let data;
    try {
      data = await V.fetchJSON("/works/" + encodeURIComponent(id));
    } catch (err) {
      if (err instanceof V.ApiError && err.status === 404) setStatus("No cited work with that id.", true);
      else setStatus(V.errorMessage(err), true);
      return;
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) {
      setStatus(V.SERVER_PREFIX + "its response was empty.", true);
      return;
    }
    renderHeader(data);
    renderSource(data.source);
    renderEntries(data.entries);
    renderCiting(data.citing);
    setStatus("", false);
    workNode.hidden = false;
  }

  main();
})();
