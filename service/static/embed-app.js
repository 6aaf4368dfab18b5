/* Verbatim embedded chat (/embed, framed by a publisher's page through /embed.js; docs/widget.md).
 *
 * The chat itself is app.js (VerbatimChat.start), the same code as the chat page. This file adds only:
 *  - the pinned article (?article=<id>): questions are limited to it until the visitor removes the pin;
 *  - links that would leave the chat open in a new tab (the other pages cannot be framed);
 *  - postMessage with the host page, the only channel there is. In: {type: "verbatim:pin", article: "<id>"}
 *    and {type: "verbatim:unpin"}, accepted only from the parent window and only from an origin in the
 *    allowlist (GET /embed/config, the same list as this page's frame-ancestors); anything else is dropped,
 *    and no text from the host is ever shown. Out: {type: "verbatim:height", height} and, on Escape,
 *    {type: "verbatim:close"}, sent only to the host's origin once it is known to be allowed.
 */
"use strict";

(function () {
  const V = window.Verbatim;
  const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
  const MAX_HEIGHT = 20000;

  const params = new URLSearchParams(window.location.search);
  const framed = window.parent !== window;
  const bar = document.getElementById("scope-bar");
  const scopeText = document.getElementById("scope-text");
  const toggle = document.getElementById("scope-toggle");
  const textarea = document.getElementById("question");

  let titles = new Map(); // article id → title, from GET /articles
  let pinned = null; // the pinned article's id
  let pinOn = true; // the visitor's choice: limit questions to the pinned article
  let allowed = []; // origins allowed to frame this page and send it messages
  let hostOrigin = null; // where height and close messages go
  let lastHeight = 0;

  // The pin holds from the first moment: a question asked before the article list arrives is scoped too.
  // (init drops it if the article turns out to be unknown.)
  const asked = params.get("article");
  if (typeof asked === "string" && ID.test(asked)) pinned = asked;

  VerbatimChat.start({ scope: () => (pinned && pinOn ? [pinned] : null), storeKey: null, newTab: true });

  // ---------------------------------------------------------------- the pin

  function showScope() {
    bar.hidden = !pinned;
    if (!pinned) return;
    const title = titles.get(pinned) || pinned;
    scopeText.textContent = pinOn
      ? "Answers come only from “" + title + "”."
      : "Answers come from all " + titles.size + " articles.";
    toggle.textContent = pinOn ? "Remove the pin" : "Pin this article again";
    reportHeight();
  }

  function pin(id) {
    if (typeof id !== "string" || !ID.test(id) || !titles.has(id)) return false;
    pinned = id;
    pinOn = true;
    showScope();
    return true;
  }

  function unpin() {
    pinned = null;
    showScope();
  }

  toggle.addEventListener("click", () => {
    pinOn = !pinOn;
    showScope();
  });

  // ---------------------------------------------------------------- staying inside the frame

  // A link to another Verbatim page (the article view, a work, a PDF) opens in a new tab: those pages refuse
  // to be framed. tel: and sms: links (the crisis lines) are left as they are.
  document.addEventListener("click", (event) => {
    const a = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!a || a.target || !/^https?:$/.test(a.protocol)) return;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }, true);

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) post({ type: "verbatim:close" });
  });

  // When the host moves focus into the frame (the panel opens), the question box gets it.
  function focusQuestion() {
    if (document.activeElement === document.body || document.activeElement === null) textarea.focus();
  }
  window.addEventListener("focus", focusQuestion);
  // The first time the panel opens, the host focuses the frame while this page is still loading, before the
  // listener above exists: without this, a keyboard user who opened the panel with Enter would type into nothing.
  if (document.hasFocus()) focusQuestion();

  // ---------------------------------------------------------------- messages

  function post(message) {
    if (framed && hostOrigin) window.parent.postMessage(message, hostOrigin);
  }

  /** The height the whole chat would need: header, the content of <main> (however it is scrolled), footer. */
  function contentHeight() {
    const main = document.getElementById("main");
    const form = document.getElementById("ask-form");
    const pad = parseFloat(window.getComputedStyle(main).paddingBottom) || 0;
    const inner = form.offsetTop + form.offsetHeight + pad; // main is position: relative, the form's offsetParent
    const header = document.querySelector(".embed-header");
    const footer = document.querySelector(".disclaimer-bar");
    return Math.min(MAX_HEIGHT, Math.ceil(inner + header.offsetHeight + footer.offsetHeight));
  }

  function reportHeight() {
    const h = contentHeight();
    if (h === lastHeight) return;
    lastHeight = h;
    post({ type: "verbatim:height", height: h });
  }

  /** Only {type: "verbatim:pin", article: "<known id>"} and {type: "verbatim:unpin"}, nothing more. */
  function onMessage(event) {
    if (event.source !== window.parent || !allowed.includes(event.origin)) return;
    const m = event.data;
    if (!m || typeof m !== "object" || Array.isArray(m) || Object.getPrototypeOf(m) !== Object.prototype) return;
    const keys = Object.keys(m);
    if (m.type === "verbatim:pin" && keys.length === 2 && keys.includes("article")) pin(m.article);
    else if (m.type === "verbatim:unpin" && keys.length === 1) unpin();
  }

  /** The host's origin: the browser's own record of it when there is one, else the one embed.js passed; allowed only. */
  function findHostOrigin() {
    const ancestors = window.location.ancestorOrigins;
    const candidate = ancestors && ancestors.length ? ancestors[0] : params.get("host");
    return typeof candidate === "string" && allowed.includes(candidate) ? candidate : null;
  }

  async function init() {
    try {
      const [config, list] = await Promise.all([V.fetchJSON("/embed/config"), V.fetchJSON("/articles")]);
      allowed = Array.isArray(config && config.origins) ? config.origins.filter((o) => typeof o === "string") : [];
      titles = new Map(
        (Array.isArray(list) ? list : []).filter((a) => a && typeof a.id === "string").map((a) => [a.id, V.str(a.title) || a.id])
      );
    } catch (_) {
      /* the chat still works; without the list there is no pin, and without the config no messages */
    }
    hostOrigin = framed ? findHostOrigin() : null;
    if (pinned && !titles.has(pinned)) unpin(); // not an article of this index
    else showScope();
    if (framed) window.addEventListener("message", onMessage);
    if (typeof ResizeObserver === "function") {
      const ro = new ResizeObserver(reportHeight);
      for (const node of document.querySelectorAll(".embed-header, #intro, #thread, #ask-form, .disclaimer-bar")) ro.observe(node);
    }
    new MutationObserver(reportHeight).observe(document.getElementById("thread"), { childList: true, subtree: true });
    reportHeight();
    document.body.dataset.ready = "true"; // the pin, the allowlist and the host's origin are known from here on
  }

  init();
})();
