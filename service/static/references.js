/* Verbatim reference search, served at /view/references: GET /references?q=…&limit=20.
 * Each hit shows its entry, the articles that list it, how many articles cite the work (hit.work)
 * with a link to the work page, and the sentences that cite it (hit.citing).
 * The query is kept in the page URL (?q=…) so a search can be shared or reloaded.
 */
"use strict";

(function () {
  const V = window.Verbatim;
  const el = V.el;
  const LIMIT = 20;

  const form = document.getElementById("ref-form");
  const input = document.getElementById("ref-query");
  const status = document.getElementById("ref-status");
  const results = document.getElementById("ref-results");

  let controller = null;
  let requestNumber = 0;

  function setStatus(message, isError) {
    status.textContent = message;
    status.classList.toggle("error-text", Boolean(isError));
  }

  function articleLinks(hit) {
    const ref = hit.reference;
    const articles = Array.isArray(hit.articles) ? hit.articles.filter((a) => a && typeof a === "object" && V.str(a.id)) : [];
    if (!articles.length) return null;
    const links = [];
    articles.forEach((a, i) => {
      if (i > 0) links.push("; ");
      // In the article this entry comes from, the link also highlights the entry itself.
      const span = V.str(a.id) === V.str(ref.article_id) ? ref.span : null;
      links.push(el("a", { class: "listed-in-link", href: V.articleViewHref(a.id, span) }, V.str(a.title) || V.str(a.id)));
    });
    return el("p", { class: "listed-in" }, "listed in: ", links);
  }

  const SHOWN_CITING = 5;

  /** "Cited by N articles, in M sentences" and a link to the work page, from hit.work. */
  function workSummary(work) {
    if (!work || typeof work !== "object" || !V.str(work.id)) return null;
    const facts = [];
    if (Number.isInteger(work.cited_by_articles)) facts.push("cited by " + V.plural(work.cited_by_articles, "article"));
    if (Number.isInteger(work.citing_sentences)) facts.push("in " + V.plural(work.citing_sentences, "sentence"));
    return el(
      "p",
      { class: "work-summary" },
      facts.length ? el("span", { class: "cited-by" }, facts.join(", ")) : null,
      facts.length ? " · " : null,
      el("a", { class: "work-link", href: V.workViewHref(work.id) }, "All citing articles"),
      work.has_source === true ? [" · ", el("span", { class: "has-source" }, "the paper itself is in the corpus")] : null
    );
  }

  /** Every sentence that cites the work: the first few shown, the rest behind a disclosure. */
  function citingBlock(citing) {
    const list = Array.isArray(citing) ? citing.filter((c) => c && typeof c === "object" && V.str(c.sentence)) : [];
    if (!list.length) return null;
    const first = list.slice(0, SHOWN_CITING);
    const rest = list.slice(SHOWN_CITING);
    return el(
      "div",
      { class: "citing-block" },
      el("p", { class: "citing-label" }, "Citing sentences"),
      el("ol", { class: "citing-list" }, first.map((c) => V.citingSentence(c, true))),
      rest.length
        ? el(
            "details",
            { class: "more-citing" },
            el("summary", {}, V.plural(rest.length, "more citing sentence")),
            el("ol", { class: "citing-list" }, rest.map((c) => V.citingSentence(c, true)))
          )
        : null
    );
  }

  function resultItem(hit) {
    const ref = hit.reference;
    const links = V.referenceLinks(ref);
    const facts = [];
    if (Number.isInteger(ref.year)) facts.push(el("span", { class: "ref-year" }, "Year: " + ref.year));
    if (V.str(ref.journal)) facts.push(el("span", { class: "ref-journal" }, V.str(ref.journal)));
    const meta = [];
    facts.concat(links).forEach((node, i) => {
      if (i > 0) meta.push(" · ");
      meta.push(node);
    });
    return el(
      "li",
      { class: "ref-result", dataset: { refId: V.str(ref.ref_id) } },
      el("p", { class: "ref-text" }, V.str(ref.text)),
      meta.length ? el("p", { class: "ref-meta" }, meta) : null,
      articleLinks(hit),
      workSummary(hit.work),
      citingBlock(hit.citing)
    );
  }

  async function search(rawQuery, updateUrl) {
    const q = V.str(rawQuery).trim();
    if (!q) {
      input.focus();
      return;
    }
    if (updateUrl) {
      try {
        window.history.replaceState(null, "", window.location.pathname + "?q=" + encodeURIComponent(q));
      } catch (_) {
        /* the search still runs */
      }
    }
    if (controller) controller.abort();
    controller = typeof AbortController === "function" ? new AbortController() : null;
    const mine = ++requestNumber;

    results.setAttribute("aria-busy", "true");
    setStatus("Searching the reference lists…", false);
    try {
      const data = await V.fetchJSON("/references?q=" + encodeURIComponent(q) + "&limit=" + LIMIT, {
        signal: controller ? controller.signal : undefined,
      });
      if (mine !== requestNumber) return;
      const hits = Array.isArray(data) ? data.filter((h) => h && typeof h === "object" && h.reference && typeof h.reference === "object") : [];
      V.clear(results);
      for (const hit of hits) results.append(resultItem(hit));
      if (!hits.length) setStatus("No reference entries match “" + q + "”.", false);
      else setStatus((hits.length === 1 ? "1 reference entry matches" : hits.length + " reference entries match") + " “" + q + "”.", false);
    } catch (err) {
      if (mine !== requestNumber || (err && err.name === "AbortError")) return;
      V.clear(results);
      setStatus(V.errorMessage(err), true);
    } finally {
      if (mine === requestNumber) {
        results.setAttribute("aria-busy", "false");
      }
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(input.value, true);
  });

  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial && initial.trim()) {
    input.value = initial;
    search(initial, false);
  }
})();
