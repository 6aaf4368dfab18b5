/* Verbatim chat page: asks POST /ask and shows each turn (question, then answer) in #thread.
 * All API strings are rendered as text nodes (see common.js); nothing is parsed as HTML.
 */
"use strict";

(function () {
  const V = window.Verbatim;
  const el = V.el;

  const LOADING_TEXT = "Looking in the articles…";
  const NO_ANSWER_TEXT = "The articles do not cover this question.";
  const NO_ANSWER_SCOPED_TEXT = "The pinned article does not cover this question.";
  const TOP_K = 5;
  const MAX_HISTORY = 5;
  const KINDS = ["answer", "no_answer", "advice", "crisis", "refused"];
  const STORE_KEY = "verbatim.conversation.v1";
  const MAX_STORED_TURNS = 30;

  /**
   * Runs a chat in the page's #ask-form, #question, #thread (and, when present, #intro, #new-conversation).
   * Options: `scope` (a function giving the article ids to limit questions to, or null for all), `storeKey`
   * (the sessionStorage key of the conversation; null keeps nothing), `newTab` (a quote card opens its article
   * in a new tab, as the embedded chat needs). The chat page (`/`) starts with the defaults; a page whose
   * <body> has data-chat="manual" (the embedded chat, embed-app.js) calls it itself.
   */
  function start(options) {
    const opts = Object.assign({ scope: null, storeKey: STORE_KEY, newTab: false }, options || {});

    const form = document.getElementById("ask-form");
    const textarea = document.getElementById("question");
    const askButton = document.getElementById("ask-button");
    const thread = document.getElementById("thread");
    const newButton = document.getElementById("new-conversation");
    const intro = document.getElementById("intro");

    // The conversation: questions that got a response (sent as `history`) and the rendered turns.
    let conversation = { history: [], turns: [] };
    let pending = false;
    let turnCounter = 0;

    // ---------------------------------------------------------------- storage
    // The thread is kept in sessionStorage so that "View in article" and Back do not lose it.

    function save() {
      try {
        conversation.turns = conversation.turns.slice(-MAX_STORED_TURNS);
        conversation.history = conversation.history.slice(-MAX_HISTORY);
        if (opts.storeKey) window.sessionStorage.setItem(opts.storeKey, JSON.stringify(conversation));
      } catch (_) {
        /* storage full or disabled: the conversation still works on this page */
      }
    }

    function load() {
      try {
        const raw = opts.storeKey ? window.sessionStorage.getItem(opts.storeKey) : null;
        if (!raw) return null;
        const data = JSON.parse(raw);
        if (!data || !Array.isArray(data.history) || !Array.isArray(data.turns)) return null;
        return {
          history: data.history.filter((q) => typeof q === "string" && q.trim()).slice(-MAX_HISTORY),
          turns: data.turns.filter((t) => t && typeof t.question === "string" && t.response && typeof t.response === "object"),
        };
      } catch (_) {
        return null;
      }
    }

    function forget() {
      try {
        if (opts.storeKey) window.sessionStorage.removeItem(opts.storeKey);
      } catch (_) {
        /* nothing stored */
      }
    }

    // ---------------------------------------------------------------- rendering

    function notice(text) {
      const t = V.str(text).trim();
      return t ? el("p", { class: "notice" }, t) : null;
    }

    /** One help resource: name, contact line, "Call …" (tel:) and "Text …" (sms:) links. */
    function resourceItem(resource) {
      const actions = el("p", { class: "resource-actions" });
      const phone = V.phoneDigits(resource.phone);
      if (phone) {
        actions.append(el("a", { class: "call-link", href: "tel:" + phone }, "Call " + V.formatPhone(phone)));
      }
      const sms = V.phoneDigits(resource.sms);
      if (sms) {
        actions.append(el("a", { class: "sms-link", href: "sms:" + sms }, "Text " + V.formatPhone(sms)));
      }
      return el(
        "li",
        { class: "resource" },
        el("p", { class: "resource-name" }, V.str(resource.name)),
        V.str(resource.contact) ? el("p", { class: "resource-contact" }, V.str(resource.contact)) : null,
        actions.firstChild ? actions : null
      );
    }

    function resourceList(resources) {
      const list = Array.isArray(resources) ? resources.filter((r) => r && typeof r === "object") : [];
      if (!list.length) return null;
      return el("ul", { class: "resources" }, list.map(resourceItem));
    }

    /** The quote as three text nodes: before, <mark>highlight</mark>, after. */
    function quoteBlock(quote, highlight) {
      const q = V.str(quote);
      const block = el("blockquote", { class: "quote" });
      const h = V.validSpan(highlight, q.length);
      if (!h) {
        block.append(document.createTextNode(q));
        return block;
      }
      if (h.start > 0) block.append(document.createTextNode(q.slice(0, h.start)));
      block.append(el("mark", { class: "highlight" }, q.slice(h.start, h.end)));
      if (h.end < q.length) block.append(document.createTextNode(q.slice(h.end)));
      return block;
    }

    function citationList(citations) {
      const list = Array.isArray(citations) ? citations.filter((c) => c && typeof c === "object") : [];
      if (!list.length) return null;
      return el(
        "div",
        { class: "citations-block" },
        el("p", { class: "citations-label" }, "References cited in this quote"),
        el(
          "ol",
          { class: "citations" },
          list.map((c) => {
            const links = V.referenceLinks(c);
            if (V.str(c.work_id)) {
              links.push(el("a", { class: "work-link", href: V.workViewHref(c.work_id) }, "All citing articles"));
            }
            return el(
              "li",
              { class: "citation", dataset: V.str(c.work_id) ? { workId: V.str(c.work_id) } : null },
              el("span", { class: "citation-text" }, V.numberLabel(c.number) + V.str(c.text)),
              links.length ? el("span", { class: "citation-links" }, links.map((a) => [" ", a])) : null,
              V.evidenceList(c.evidence)
            );
          })
        )
      );
    }

    function quoteCard(passage, cardId) {
      const article = passage.article && typeof passage.article === "object" ? passage.article : {};
      const href = V.articleViewHref(article.id, passage.span);
      const titleId = cardId + "-title";

      const meta = [V.str(article.publisher), V.str(article.date)].filter(Boolean);
      const where = [];
      if (V.str(passage.section)) where.push("Section: " + V.str(passage.section));
      if (Number.isInteger(passage.page)) where.push("Page " + passage.page);
      // A quote from a PDF paper: its page in the original file.
      const pdf = V.str(article.pdf_url) && Number.isInteger(passage.page) ? V.pdfHref(article.pdf_url, article.id, passage.page) : null;

      const card = el(
        "article",
        { class: "quote-card", id: cardId, "aria-labelledby": titleId, dataset: { href } },
        quoteBlock(passage.quote, passage.highlight),
        el(
          "div",
          { class: "source" },
          el("h3", { class: "source-title", id: titleId }, V.str(article.title) || V.str(article.id) || "Untitled article"),
          meta.length ? el("p", { class: "source-meta" }, meta.join(" · ")) : null,
          where.length ? el("p", { class: "source-section" }, where.join(" · ")) : null
        ),
        citationList(passage.citations),
        el(
          "div",
          { class: "card-actions" },
          el("a", { class: "view view-link", href, "aria-describedby": titleId }, "View in article"),
          pdf ? el("a", { class: "view-link pdf-link", href: pdf, "aria-describedby": titleId }, "PDF p. " + passage.page) : null,
          window.VerbatimCite ? window.VerbatimCite.citeControl(passage.id, V.str(article.title)) : null
        )
      );

      // Clicking anywhere on the card (outside its links and controls, and not while selecting text) opens the article.
      card.addEventListener("click", (event) => {
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.target instanceof Element && event.target.closest("a, button, input, textarea, select, label, .cite-panel, .evidence")) return;
        const selection = window.getSelection ? String(window.getSelection()) : "";
        if (selection) return;
        if (opts.newTab || event.ctrlKey || event.metaKey || event.shiftKey) {
          window.open(href, "_blank", "noopener");
        } else {
          window.location.assign(href);
        }
      });
      return card;
    }

    function suggestionList(suggestions) {
      const list = Array.isArray(suggestions) ? suggestions.filter((s) => typeof s === "string" && s.trim()) : [];
      if (!list.length) return null;
      return el(
        "ul",
        { class: "suggestions" },
        list.map((s) => {
          const button = el("button", { type: "button", class: "suggestion" }, s);
          button.disabled = pending;
          button.addEventListener("click", () => ask(s));
          return el("li", {}, button);
        })
      );
    }

    /** Whether a response was limited to some articles (its `articles` echo). */
    function scoped(data) {
      return Array.isArray(data.articles) && data.articles.length > 0;
    }

    /** A scoped no_answer's suggestion (the same question): "Search all the articles" asks it of them all. */
    function searchAllButton(suggestions) {
      const q = Array.isArray(suggestions) ? suggestions.find((s) => typeof s === "string" && s.trim()) : null;
      if (!q) return null;
      const button = el("button", { type: "button", class: "suggestion search-all" }, "Search all the articles");
      button.disabled = pending;
      button.addEventListener("click", () => ask(q, { all: true }));
      return el("p", { class: "search-all-actions" }, button);
    }

    function crisisBox(data) {
      return el(
        "section",
        { class: "crisis", role: "alert" },
        el("h3", { class: "crisis-title" }, "Help is available now"),
        notice(data.notice),
        resourceList(data.resources)
      );
    }

    /** The crisis lines come first whenever the message carried a crisis signal, whatever the kind. */
    function hasCrisisLines(data) {
      return Array.isArray(data.resources) && data.resources.some((r) => r && r.phone === "988");
    }

    function supportBox(data) {
      return el(
        "section",
        { class: "crisis support", role: "status" },
        el("h3", { class: "crisis-title" }, "Support is available"),
        notice(data.notice),
        resourceList(data.resources)
      );
    }

    /** Fills a turn from an /ask response. The crisis box goes first in the turn, before the question. */
    function fillResponse(turn, container, data) {
      const kind = KINDS.includes(data.kind) ? data.kind : "no_answer";
      turn.dataset.kind = kind;
      V.clear(container);
      container.className = "response kind-" + kind;
      container.setAttribute("aria-busy", "false");

      if (kind === "crisis") {
        turn.prepend(crisisBox(data));
        container.remove();
        return;
      }
      if (kind === "advice") {
        container.append(
          el("div", { class: "advice" }, notice(data.notice), suggestionList(data.suggestions), resourceList(data.resources))
        );
        return;
      }
      if (kind === "refused") {
        container.append(el("div", { class: "refused" }, notice(data.notice), resourceList(data.resources)));
        return;
      }
      const passages = kind === "answer" && Array.isArray(data.passages) ? data.passages.filter((p) => p && typeof p === "object") : [];
      const support = hasCrisisLines(data);
      if (support) container.append(supportBox(data));
      if (!passages.length) {
        container.append(
          el(
            "div",
            { class: "no-answer" },
            el("p", { class: "no-answer-text" }, scoped(data) ? NO_ANSWER_SCOPED_TEXT : NO_ANSWER_TEXT),
            support ? null : notice(data.notice),
            scoped(data) ? searchAllButton(data.suggestions) : null
          )
        );
        return;
      }
      V.append(
        container,
        el("p", { class: "answer-count" }, passages.length === 1 ? "1 quote from the articles:" : passages.length + " quotes from the articles:"),
        support ? null : notice(data.notice),
        passages.map((p, i) => quoteCard(p, turn.id + "-quote-" + (i + 1)))
      );
    }

    function newTurn(question) {
      turnCounter += 1;
      const turn = el(
        "li",
        { class: "turn", id: "turn-" + turnCounter },
        el("p", { class: "turn-label" }, "You asked"),
        el("h2", { class: "question" }, question)
      );
      thread.append(turn);
      updateChrome();
      return turn;
    }

    function loadingBox() {
      return el("div", { class: "response loading", "aria-busy": "true" }, el("p", { class: "loading-text" }, LOADING_TEXT));
    }

    function showError(turn, container, message, question) {
      turn.dataset.kind = "error";
      V.clear(container);
      container.className = "response error";
      container.setAttribute("aria-busy", "false");
      const retry = el("button", { type: "button", class: "retry" }, "Try again");
      retry.addEventListener("click", () => {
        if (pending) return;
        turn.remove();
        updateChrome();
        ask(question);
      });
      container.append(el("p", { class: "error-text", role: "alert" }, message), el("p", { class: "error-actions" }, retry));
    }

    function updateChrome() {
      const hasTurns = thread.children.length > 0;
      if (newButton) newButton.hidden = !hasTurns;
      if (intro) intro.hidden = hasTurns;
    }

    function setPending(value) {
      pending = value;
      const buttons = [askButton, newButton, ...document.querySelectorAll("button.suggestion, button.example, button.retry")];
      // A button that becomes disabled loses focus; keep keyboard users in the question box instead.
      if (value && buttons.includes(document.activeElement)) textarea.focus();
      for (const b of buttons) if (b) b.disabled = value;
    }

    function scrollToTurn(turn) {
      turn.scrollIntoView({ block: "start", behavior: V.prefersReducedMotion() ? "auto" : "smooth" });
    }

    // ---------------------------------------------------------------- asking

    async function ask(raw, how) {
      if (pending) return;
      const question = typeof raw === "string" ? raw.trim() : "";
      if (!question) return;

      const history = conversation.history.slice(-MAX_HISTORY);
      const turn = newTurn(question);
      const container = loadingBox();
      turn.append(container);
      setPending(true);
      container.scrollIntoView({ block: "nearest" });

      try {
        const data = await V.fetchJSON("/ask", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(requestBody(question, history, how && how.all)),
        });
        if (!data || typeof data !== "object" || Array.isArray(data)) throw new V.ApiError(200, "its response was empty.");
        V.setDisclaimer(data.disclaimer);
        fillResponse(turn, container, data);
        conversation.history.push(question);
        conversation.turns.push({ question, response: data });
        save();
        setPending(false);
        scrollToTurn(turn);
      } catch (err) {
        showError(turn, container, V.errorMessage(err), question);
        setPending(false);
      }
    }

    /** The /ask body; `articles` only when the page limits questions to some articles (and not `all`). */
    function requestBody(question, history, all) {
      const body = { question, top_k: TOP_K, history };
      const ids = !all && typeof opts.scope === "function" ? opts.scope() : null;
      if (Array.isArray(ids) && ids.length) body.articles = ids.filter((id) => typeof id === "string" && id);
      return body;
    }

    function submitFromTextarea() {
      if (pending) return;
      const question = textarea.value.trim();
      if (!question) {
        textarea.focus();
        return;
      }
      textarea.value = "";
      ask(question);
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitFromTextarea();
    });

    // Enter sends; Shift+Enter inserts a newline; Enter while composing text (IME) does nothing special.
    textarea.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.shiftKey || event.altKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      submitFromTextarea();
    });

    if (newButton) {
      newButton.addEventListener("click", () => {
        if (pending) return;
        conversation = { history: [], turns: [] };
        forget();
        V.clear(thread);
        updateChrome();
        V.setDisclaimer(V.DEFAULT_DISCLAIMER);
        textarea.focus();
      });
    }

    for (const button of document.querySelectorAll("button.example")) {
      button.addEventListener("click", () => ask(button.textContent || ""));
    }

    // Restore this tab's conversation (after "View in article" and Back).
    const stored = load();
    if (stored && stored.turns.length) {
      try {
        for (const t of stored.turns) {
          const turn = newTurn(t.question.trim());
          const container = el("div", { class: "response" });
          turn.append(container);
          fillResponse(turn, container, t.response);
          V.setDisclaimer(t.response.disclaimer);
        }
        conversation = stored;
      } catch (_) {
        V.clear(thread);
        conversation = { history: [], turns: [] };
        forget();
      }
    }
    updateChrome();
    return Object.freeze({ ask });
  }

  window.VerbatimChat = Object.freeze({ start });
  if (document.body && document.body.dataset.chat !== "manual") start();
})();
