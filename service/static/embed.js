/* Verbatim's "Ask these articles" widget for a publisher's page (docs/widget.md):
 *
 *   <script src="https://VERBATIM/embed.js" data-article="ketamine-for-substance-abuse" async></script>
 *
 * It adds one button; the button opens Verbatim's chat (/embed) in an iframe from Verbatim's origin, with
 * the article pinned. It works under the page's own Content-Security-Policy when that allows Verbatim's
 * origin in script-src and frame-src: it adds no inline script and no style attribute or stylesheet (styles
 * are set as element.style properties), and builds its few nodes with createElement and textContent.
 *
 * The page and the chat share nothing but postMessage: the page can pin and unpin an article (change the
 * script's data-article, or call window.VerbatimEmbed.pin(id) / .unpin()); the chat reports its height and
 * asks to close on Escape. Messages are accepted only from the chat's own window and Verbatim's origin.
 */
(function () {
  "use strict";

  if (window.VerbatimEmbed) return; // one widget per page
  const script =
    document.currentScript || document.querySelector('script[src$="/embed.js"][data-article], script[src$="/embed.js"]');
  if (!script || !script.src) return;
  const ORIGIN = new URL(script.src, window.location.href).origin;
  const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
  const GAP = 16; // px between the widget and the window's edges
  const NARROW = 480; // px; below it the panel takes the window's width
  const MIN_FRAME = 280; // px

  let article = validId(script.getAttribute("data-article"));
  let iframe = null;
  let ready = false; // the chat has reported its height once: it is listening
  let reported = 0;
  let open = false;
  let framedArticle = null; // the article in the iframe's URL

  function validId(value) {
    return typeof value === "string" && ID.test(value) ? value : null;
  }

  function css(node, styles) {
    for (const [name, value] of Object.entries(styles)) node.style.setProperty(name, value);
    return node;
  }

  const font = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

  // ---------------------------------------------------------------- the button
  const button = css(document.createElement("button"), {
    position: "fixed", right: GAP + "px", bottom: GAP + "px", "z-index": "2147483000",
    margin: "0", padding: "0.75rem 1.125rem", border: "2px solid #ffffff", "border-radius": "999px",
    background: "#0b57d0", color: "#ffffff", font: "600 1rem/1.2 " + font, cursor: "pointer",
    "box-shadow": "0 2px 10px rgba(0, 0, 0, 0.35)", "max-width": "calc(100vw - " + 2 * GAP + "px)",
  });
  button.type = "button";
  button.className = "verbatim-embed-button";
  button.textContent = "Ask these articles";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "verbatim-embed-panel");

  // ---------------------------------------------------------------- the panel: a title bar and the iframe
  const panel = css(document.createElement("div"), {
    position: "fixed", "z-index": "2147483001", display: "none", "flex-direction": "column",
    background: "#ffffff", color: "#1b1b1b", border: "1px solid #8a8a8a", "border-radius": "8px",
    "box-shadow": "0 6px 28px rgba(0, 0, 0, 0.35)", overflow: "hidden", "box-sizing": "border-box",
  });
  panel.id = "verbatim-embed-panel";
  panel.className = "verbatim-embed-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Ask these articles (Verbatim)");

  const bar = css(document.createElement("div"), {
    display: "flex", "justify-content": "flex-end", "align-items": "center", padding: "0.25rem",
    background: "#1f2937", flex: "none",
  });
  const close = css(document.createElement("button"), {
    margin: "0", padding: "0.375rem 0.75rem", border: "1px solid #ffffff", "border-radius": "6px",
    background: "transparent", color: "#ffffff", font: "600 0.9375rem/1.2 " + font, cursor: "pointer",
  });
  close.type = "button";
  close.textContent = "Close";
  close.setAttribute("aria-label", "Close the Verbatim panel");
  bar.append(close);
  panel.append(bar);

  // A focus ring of the widget's own: a stylesheet cannot be added under the host's CSP, and the host's CSS may
  // well remove outlines (":focus { outline: none }"); an inline style wins over it. Shown for keyboard focus
  // (:focus-visible) only, as the browser's own ring is. The launcher's ring is two-tone (dark in a white halo),
  // so that it shows on a light or a dark page.
  function focusRing(node, ring) {
    const rest = node.style.getPropertyValue("box-shadow");
    node.addEventListener("focus", () => {
      let keyboard = true;
      try {
        keyboard = node.matches(":focus-visible");
      } catch (_) {
        /* an older browser without :focus-visible: always show it */
      }
      if (keyboard) css(node, ring);
    });
    node.addEventListener("blur", () => {
      for (const name of Object.keys(ring)) node.style.removeProperty(name);
      if (rest) node.style.setProperty("box-shadow", rest);
    });
  }
  focusRing(button, {
    outline: "3px solid #1b1b1b", "outline-offset": "2px",
    "box-shadow": "0 0 0 7px #ffffff, 0 2px 10px rgba(0, 0, 0, 0.35)",
  });
  focusRing(close, { outline: "3px solid #ffffff", "outline-offset": "1px" });

  function frameSrc() {
    const u = new URL("/embed", ORIGIN);
    if (article) u.searchParams.set("article", article);
    u.searchParams.set("host", window.location.origin);
    return u.href;
  }

  function makeFrame() {
    iframe = css(document.createElement("iframe"), {
      display: "block", width: "100%", border: "0", flex: "1 1 auto", background: "#ffffff",
    });
    iframe.title = "Verbatim: ask these articles";
    iframe.className = "verbatim-embed-frame";
    iframe.setAttribute("allow", "clipboard-write");
    iframe.referrerPolicy = "no-referrer";
    framedArticle = article;
    iframe.src = frameSrc();
    panel.append(iframe);
  }

  // ---------------------------------------------------------------- layout
  function layout() {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const narrow = vw < NARROW;
    const width = narrow ? vw - 2 * (GAP / 2) : Math.min(420, vw - 2 * GAP);
    const above = button.offsetHeight + GAP + GAP / 2; // the panel sits above the button
    const room = Math.max(MIN_FRAME + bar.offsetHeight, vh - above - (narrow ? GAP / 2 : GAP));
    const wanted = (reported || 560) + bar.offsetHeight + 2;
    css(panel, {
      width: width + "px", right: (narrow ? GAP / 2 : GAP) + "px", bottom: above + "px",
      height: Math.max(MIN_FRAME, Math.min(room, wanted)) + "px",
    });
  }

  function setOpen(value) {
    open = value;
    if (open && !iframe) makeFrame();
    panel.style.setProperty("display", open ? "flex" : "none");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      layout();
      iframe.focus();
    } else {
      button.focus();
    }
  }

  button.addEventListener("click", () => setOpen(!open));
  close.addEventListener("click", () => setOpen(false));
  document.addEventListener("keydown", (event) => {
    if (open && event.key === "Escape") setOpen(false);
  });
  window.addEventListener("resize", () => open && layout());

  // ---------------------------------------------------------------- messages
  function send(message) {
    if (iframe && ready && iframe.contentWindow) iframe.contentWindow.postMessage(message, ORIGIN);
  }

  window.addEventListener("message", (event) => {
    if (!iframe || event.source !== iframe.contentWindow || event.origin !== ORIGIN) return;
    const m = event.data;
    if (!m || typeof m !== "object") return;
    if (m.type === "verbatim:height" && Number.isFinite(m.height) && m.height > 0 && m.height <= 20000) {
      reported = Math.ceil(m.height);
      if (!ready) {
        ready = true;
        if (article !== framedArticle) article ? pin(article) : unpin(); // changed while the chat was loading
      }
      if (open) layout();
    } else if (m.type === "verbatim:close" && open) {
      setOpen(false);
    }
  });

  function pin(id) {
    const next = validId(id);
    if (!next) return false;
    article = next;
    send({ type: "verbatim:pin", article: next });
    return true;
  }

  function unpin() {
    article = null;
    send({ type: "verbatim:unpin" });
  }

  // The publisher may change data-article later: the chat follows.
  new MutationObserver(() => {
    const id = validId(script.getAttribute("data-article"));
    if (id) pin(id);
    else unpin();
  }).observe(script, { attributes: true, attributeFilter: ["data-article"] });

  window.VerbatimEmbed = Object.freeze({
    pin,
    unpin,
    open: () => setOpen(true),
    close: () => setOpen(false),
  });

  function mount() {
    document.body.append(panel, button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
