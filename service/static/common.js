/* Verbatim: helpers shared by the chat page, the source viewer and the reference search.
 *
 * Every string that comes from the API is untrusted. This file builds DOM nodes only with
 * document.createElement, textContent, setAttribute and append; it never parses HTML.
 * Links made from API data are checked first: http(s) URLs only, DOIs through https://doi.org/.
 */
"use strict";

(function () {
  const UNREACHABLE = "Cannot reach the Verbatim server. Check your connection and try again.";
  const SERVER_PREFIX = "The server could not answer: ";
  const DEFAULT_DISCLAIMER = "Verbatim shows quotes from published articles. It is not medical advice.";

  class NetworkError extends Error {
    constructor() {
      super(UNREACHABLE);
      this.name = "NetworkError";
    }
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.name = "ApiError";
      this.status = status;
    }
  }

  /** A string for display: strings as they are, numbers as text, anything else empty. */
  function str(value) {
    if (typeof value === "string") return value;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    return "";
  }

  function appendChildren(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false || child === "") continue;
      if (Array.isArray(child)) appendChildren(node, child);
      else if (child instanceof Node) node.append(child);
      else node.append(document.createTextNode(String(child)));
    }
  }

  /**
   * el("a", {class: "x", href: safe}, "text", otherNode): an element with attributes and children.
   * Strings become text nodes. Event-handler attributes are refused outright.
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [name, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (/^on/i.test(name) || name.toLowerCase() === "style") {
          throw new Error("refusing attribute " + name);
        }
        if (name === "text") node.textContent = String(value);
        else if (name === "dataset") Object.assign(node.dataset, value);
        else node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    appendChildren(node, children);
    return node;
  }

  /** Appends children like el() does: strings as text, arrays flattened, null/undefined/false skipped. */
  function append(node, ...children) {
    appendChildren(node, children);
    return node;
  }

  /** Remove every child of a node. */
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** The URL when it is an absolute http(s) URL, else null. */
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    const s = url.trim();
    if (!/^https?:\/\//i.test(s)) return null;
    try {
      const u = new URL(s);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (_) {
      return null;
    }
  }

  /** The bare DOI ("10.xxxx/…") with any "doi:" or doi.org prefix removed, or null. */
  function bareDoi(doi) {
    if (typeof doi !== "string") return null;
    const d = doi.trim().replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, "");
    return /^10\.[^\s/]+\/\S+$/.test(d) ? d : null;
  }

  /** https://doi.org/<doi>, each path part percent-encoded, or null for something that is not a DOI. */
  function doiUrl(doi) {
    const d = bareDoi(doi);
    return d ? "https://doi.org/" + d.split("/").map(encodeURIComponent).join("/") : null;
  }

  /** A link that opens outside Verbatim. `href` must already be checked by safeUrl or doiUrl. */
  function externalLink(href, label, className) {
    return el(
      "a",
      { class: className || "external", href, rel: "noopener noreferrer", target: "_blank" },
      label,
      el("span", { class: "visually-hidden" }, " (opens in a new tab)")
    );
  }

  /** Links for a reference entry or citation: its DOI and its URL, each only when safe. */
  function referenceLinks(ref) {
    const links = [];
    const doiHref = doiUrl(ref && ref.doi);
    if (doiHref) links.push(externalLink(doiHref, "doi:" + bareDoi(ref.doi), "doi-link"));
    const url = safeUrl(ref && ref.url);
    // A doi.org URL repeats the DOI link; any other URL is shown too.
    const repeatsDoi = doiHref && url && /^https?:\/\/(?:dx\.)?doi\.org\//i.test(url);
    if (url && !repeatsDoi) links.push(externalLink(url, url, "url-link"));
    return links;
  }

  /** "[12] " for a numbered entry, "" otherwise. */
  function numberLabel(number) {
    return Number.isInteger(number) ? "[" + number + "] " : "";
  }

  /** Digits (and a leading +) for tel:/sms: links, or null. */
  function phoneDigits(phone) {
    if (typeof phone !== "string") return null;
    const d = phone.replace(/[^\d+]/g, "");
    return /^\+?\d{2,15}$/.test(d) ? d : null;
  }

  /** 18002221222 → 1-800-222-1222; short numbers as they are. */
  function formatPhone(digits) {
    if (/^1\d{10}$/.test(digits)) return digits.replace(/^1(\d{3})(\d{3})(\d{4})$/, "1-$1-$2-$3");
    if (/^\d{10}$/.test(digits)) return digits.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1-$2-$3");
    return digits;
  }

  /** A valid span {start, end} as integers with 0 <= start < end, or null. */
  function validSpan(span, maxEnd) {
    if (!span || typeof span !== "object") return null;
    const { start, end } = span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) return null;
    if (Number.isInteger(maxEnd) && end > maxEnd) return null;
    return { start, end };
  }

  /** /view/articles/<id>, with #span-START-END when a valid span is given. */
  function articleViewHref(articleId, span) {
    const base = "/view/articles/" + encodeURIComponent(str(articleId));
    const s = validSpan(span);
    return s ? base + "#span-" + s.start + "-" + s.end : base;
  }

  /**
   * fetch, then JSON. Throws NetworkError when the server cannot be reached, ApiError for a
   * non-2xx answer (message from its {"error": …}) or a body that is not JSON; AbortError passes through.
   */
  async function fetchJSON(url, options) {
    const opts = Object.assign({ credentials: "same-origin" }, options || {});
    opts.headers = Object.assign({ Accept: "application/json" }, (options && options.headers) || {});
    let res;
    try {
      res = await fetch(url, opts);
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new NetworkError();
    }
    let data = null;
    let parsed = false;
    try {
      data = await res.json();
      parsed = true;
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
    }
    if (!res.ok) {
      const msg =
        parsed && data && typeof data.error === "string" && data.error.trim()
          ? data.error.trim()
          : "HTTP " + res.status + (res.statusText ? " " + res.statusText : "");
      throw new ApiError(res.status, msg);
    }
    if (!parsed) throw new ApiError(res.status, "its response was not valid JSON.");
    return data;
  }

  /** The sentence to show the user for an error from fetchJSON. */
  function errorMessage(err) {
    if (err instanceof NetworkError) return UNREACHABLE;
    if (err instanceof ApiError) return SERVER_PREFIX + err.message;
    return SERVER_PREFIX + "its response could not be shown.";
  }

  /** Puts the disclaimer from a response into #disclaimer (keeps the current text otherwise). */
  function setDisclaimer(text) {
    const node = document.getElementById("disclaimer");
    if (node && typeof text === "string" && text.trim()) node.textContent = text.trim();
  }

  function prefersReducedMotion() {
    return typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  window.Verbatim = Object.freeze({
    UNREACHABLE,
    SERVER_PREFIX,
    DEFAULT_DISCLAIMER,
    NetworkError,
    ApiError,
    str,
    el,
    append,
    clear,
    safeUrl,
    bareDoi,
    doiUrl,
    externalLink,
    referenceLinks,
    numberLabel,
    phoneDigits,
    formatPhone,
    validSpan,
    articleViewHref,
    fetchJSON,
    errorMessage,
    setDisclaimer,
    prefersReducedMotion,
  });
})();
