/* Verbatim verify page, served at /view/verify: POST /verify {"text": …} and, for each sentence of the
 * text, a verdict badge (Exact, Near, Not found), the places it matches (article, a link to the
 * article view at the match, similarity), for near matches the word diff (<ins> only in the pasted
 * sentence, <del> only in the source) and whether a number differs, and for sentences not found the
 * closest sentences by meaning, shown apart from matches. All API text is rendered as text nodes.
 */
"use strict";

(function () {
  const V = window.Verbatim;
  const el = V.el;
  const MAX = 5000;
  const BADGES = { exact: "Exact", near: "Near", not_found: "Not found" };

  const form = document.getElementById("verify-form");
  const textarea = document.getElementById("verify-text");
  const button = document.getElementById("verify-button");
  const clearButton = document.getElementById("verify-clear");
  const count = document.getElementById("verify-count");
  const status = document.getElementById("verify-status");
  const output = document.getElementById("verify-output");
  const heading = document.getElementById("verify-results-heading");
  const summary = document.getElementById("verify-summary");
  const results = document.getElementById("verify-results");

  let pending = false;
  let counter = 0;

  /** The status line; `quiet` keeps it for screen readers only (when the same words are shown in the results). */
  function setStatus(message, isError, quiet) {
    status.textContent = message;
    status.classList.toggle("error-text", Boolean(isError));
    status.classList.toggle("visually-hidden", Boolean(quiet));
  }

  function updateCount() {
    const n = textarea.value.length;
    count.textContent = n.toLocaleString("en") + " / " + MAX.toLocaleString("en");
    count.classList.toggle("near-limit", n > MAX * 0.9);
  }

  function percent(similarity) {
    return typeof similarity === "number" && Number.isFinite(similarity)
      ? Math.round(Math.max(0, Math.min(1, similarity)) * 100) + "%"
      : null;
  }

  /** The word diff as text nodes, <ins> (only in the pasted sentence) and <del> (only in the source). */
  function diffBlock(diff) {
    const ops = Array.isArray(diff) ? diff.filter((d) => d && typeof d === "object" && typeof d.text === "string") : [];
    if (!ops.length) return null;
    const p = el("p", { class: "diff" });
    let before = "";
    for (const d of ops) {
      if (!d.text) continue;
      // The ops are runs of words; a space goes between two runs unless one of them already has it.
      if (before && !/\s$/.test(before) && !/^\s/.test(d.text)) p.append(document.createTextNode(" "));
      before = d.text;
      const number = /\d/.test(d.text) ? "diff-number" : null;
      if (d.op === "insert") p.append(el("ins", { class: number }, d.text));
      else if (d.op === "delete") p.append(el("del", { class: number }, d.text));
      else p.append(document.createTextNode(d.text));
    }
    return p;
  }

  /** What the source sentence cites, with the primary evidence from each cited paper. */
  function matchCitations(citations) {
    const list = Array.isArray(citations) ? citations.filter((c) => c && typeof c === "object") : [];
    if (!list.length) return null;
    return el(
      "div",
      { class: "citations-block" },
      el("p", { class: "citations-label" }, "The source sentence cites"),
      el(
        "ol",
        { class: "citations" },
        list.map((c) => {
          const links = V.referenceLinks(c);
          if (V.str(c.work_id)) links.push(el("a", { class: "work-link", href: V.workViewHref(c.work_id) }, "All citing articles"));
          return el(
            "li",
            { class: "citation" },
            el("span", { class: "citation-text" }, V.numberLabel(c.number) + V.str(c.text)),
            links.length ? el("span", { class: "citation-links" }, links.map((a) => [" ", a])) : null,
            V.evidenceList(c.evidence)
          );
        })
      )
    );
  }

  /** One match (or one related sentence): where it is, a link to it, its similarity; for near ones the diff. */
  function matchItem(match, verdict, related) {
    const article = match.article && typeof match.article === "object" ? match.article : {};
    const title = V.str(article.title) || V.str(article.id) || "Untitled article";
    const href = V.articleViewHref(article.id, match.span);
    const where = [];
    if (V.str(match.section)) where.push("Section: " + V.str(match.section));
    if (Number.isInteger(match.page)) where.push("p. " + match.page);
    const sim = percent(match.similarity);
    const titleId = "match-" + ++counter;
    const near = !related && verdict === "near";
    return el(
      "li",
      { class: related ? "match related-match" : "match", dataset: { articleId: V.str(article.id) } },
      el("p", { class: "match-article", id: titleId }, title),
      where.length || sim
        ? el(
            "p",
            { class: "match-meta" },
            where.join(" · "),
            where.length && sim ? " · " : null,
            sim ? el("span", { class: "similarity" }, (related ? "word similarity " : "similarity ") + sim) : null
          )
        : null,
      near && match.numbers_changed === true
        ? el("p", { class: "numbers-changed", role: "note" }, el("strong", {}, "A number differs"), " between your sentence and the source.")
        : null,
      near ? diffBlock(match.diff) : null,
      // The source's own words: for exact matches they are the sentence itself, so only the link is shown.
      verdict === "exact" && !related
        ? null
        : el("blockquote", { class: "match-quote" }, el("span", { class: "match-quote-label" }, related ? "It says: " : "The source says: "), "“" + V.str(match.quote) + "”"),
      related ? null : matchCitations(match.citations),
      el(
        "div",
        { class: "match-actions" },
        el("a", { class: "match-link", href, "aria-describedby": titleId }, "Open the article at this sentence"),
        !related && window.VerbatimCite ? window.VerbatimCite.citeControl(match.passage_id, title) : null
      )
    );
  }

  function verdictItem(v) {
    const verdict = Object.prototype.hasOwnProperty.call(BADGES, v.verdict) ? v.verdict : "not_found";
    const matches = Array.isArray(v.matches) ? v.matches.filter((m) => m && typeof m === "object") : [];
    const related = Array.isArray(v.related) ? v.related.filter((m) => m && typeof m === "object") : [];
    let body;
    if (verdict === "not_found" || !matches.length) {
      body = [
        el("p", { class: "not-found-text" }, "No article has this sentence, word for word or nearly."),
        related.length
          ? el(
              "div",
              { class: "related" },
              el("p", { class: "related-label" }, "Closest by meaning — these are not matches; judge for yourself whether they support it:"),
              el("ol", { class: "related-list" }, related.map((m) => matchItem(m, verdict, true)))
            )
          : null,
      ];
    } else {
      const label =
        verdict === "exact"
          ? matches.length === 1
            ? "Found word for word in 1 place:"
            : "Found word for word in " + matches.length + " places:"
          : matches.length === 1
            ? "The closest match:"
            : "The " + matches.length + " closest matches:";
      body = [el("p", { class: "matches-label" }, label), el("ol", { class: "matches" }, matches.map((m) => matchItem(m, verdict, false)))];
    }
    return el(
      "li",
      { class: "verdict verdict-" + verdict.replace("_", "-"), dataset: { verdict } },
      el(
        "p",
        { class: "verdict-head" },
        el("span", { class: "badge badge-" + verdict.replace("_", "-") }, BADGES[verdict]),
        " ",
        el("span", { class: "verdict-sentence" }, V.str(v.sentence))
      ),
      body
    );
  }

  function summaryText(sentences, counts) {
    const c = counts && typeof counts === "object" ? counts : {};
    const n = (k) => (Number.isInteger(c[k]) ? c[k] : sentences.filter((s) => s.verdict === k).length);
    return (
      V.plural(sentences.length, "sentence") + " checked: " + n("exact") + " exact, " + n("near") + " near, " + n("not_found") + " not found."
    );
  }

  function setPending(value) {
    pending = value;
    button.disabled = value;
    clearButton.disabled = value;
    output.setAttribute("aria-busy", value ? "true" : "false");
  }

  async function check() {
    if (pending) return;
    const text = textarea.value.trim();
    if (!text) {
      setStatus("Paste or type a text to check first.", true);
      textarea.focus();
      return;
    }
    setPending(true);
    setStatus("Checking each sentence against the articles…", false);
    try {
      const data = await V.fetchJSON("/verify", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text }),
      });
      const sentences = data && Array.isArray(data.sentences) ? data.sentences.filter((s) => s && typeof s === "object") : [];
      V.clear(results);
      for (const s of sentences) results.append(verdictItem(s));
      summary.textContent = sentences.length ? summaryText(sentences, data.counts) : "No sentences were found in the text.";
      output.hidden = false;
      setStatus(summary.textContent, false, true);
      setPending(false);
      heading.focus();
    } catch (err) {
      let message = V.errorMessage(err);
      if (err instanceof V.ApiError && err.status === 429 && err.retryAfter !== null && !/try again/i.test(err.message)) {
        message += " Try again in " + err.retryAfter + " s.";
      }
      setStatus(message, true);
      setPending(false);
      textarea.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      check();
    }
  });
  textarea.addEventListener("input", updateCount);
  clearButton.addEventListener("click", () => {
    textarea.value = "";
    updateCount();
    V.clear(results);
    output.hidden = true;
    setStatus("", false);
    textarea.focus();
  });
  updateCount();
})();
