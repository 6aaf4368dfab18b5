/* Verbatim: helpers shared by the chat page, the source viewer, the reference search, the work page
 * and the verify page.
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
  const EVIDENCE_CLAMP = 280; // characters; longer evidence passages start folded to a few lines
  let evidenceCounter = 0;

  class NetworkError extends Error {
    constructor() {
      super(UNREACHABLE);
      this.name = "NetworkError";
    }
  }

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.name = "ApiError";
      this.status = status;
      // Seconds from a Retry-After header (429, 503), or null.
      this.retryAfter = Number.isInteger(retryAfter) && retryAfter >= 0 ? retryAfter : null;
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

  /** /view/works/<id>. */
  function workViewHref(workId) {
    return "/view/works/" + encodeURIComponent(str(workId));
  }

  /** A same-origin path ("/sources/x/pdf") as given, or null (absolute URLs, "//host", "\\" and others are refused). */
  function sameOriginPath(url) {
    if (typeof url !== "string") return null;
    const s = url.trim();
    if (!/^\/(?![\/\\])/.test(s) || /[\\\s]/.test(s)) return null;
    try {
      const u = new URL(s, window.location.origin);
      return u.origin === window.location.origin ? u.pathname + u.search : null;
    } catch (_) {
      return null;
    }
  }

  /**
   * The original PDF of a source, opened at `page` when it is a positive integer: the API's pdf_url when it
   * is a same-origin path or a safe http(s) URL, else /sources/<id>/pdf. Null when there is neither.
   */
  function pdfHref(pdfUrl, sourceId, page) {
    let base = sameOriginPath(pdfUrl) || safeUrl(pdfUrl);
    if (base) base = base.replace(/#.*$/, "");
    else if (str(sourceId)) base = "/sources/" + encodeURIComponent(str(sourceId)) + "/pdf";
    else return null;
    return Number.isInteger(page) && page > 0 ? base + "#page=" + page : base;
  }

  /**
   * The primary evidence for a citation: the passages of the cited paper itself that support the
   * citing sentence. Each line reads 'In the cited paper, p. 7: “…quote…”', the quote linking to the
   * source view at its span, then a "PDF p. 7" link when the page is known. Null when there is none.
   */
  /**
   * The evidence quote: the whole passage with its best sentence in a <mark>; folded, only that sentence
   * (a long passage's supporting sentence may stand past the lines that fit).
   */
  function fillEvidence(link, quote, h, whole) {
    clear(link);
    if (!h) {
      link.append(document.createTextNode("“" + quote + "”"));
      return;
    }
    const mark = el("mark", { class: "evidence-sentence" }, quote.slice(h.start, h.end));
    if (!whole) {
      link.append(document.createTextNode(h.start > 0 ? "“…" : "“"), mark, document.createTextNode(h.end < quote.length ? "…”" : "”"));
      return;
    }
    link.append(document.createTextNode("“" + quote.slice(0, h.start)), mark, document.createTextNode(quote.slice(h.end) + "”"));
  }

  function evidenceList(evidence) {
    const list = Array.isArray(evidence)
      ? evidence.filter((e) => e && typeof e === "object" && str(e.source_id) && str(e.quote))
      : [];
    if (!list.length) return null;
    return el(
      "ul",
      { class: "evidence-list" },
      list.map((e) => {
        const page = Number.isInteger(e.page) && e.page > 0 ? e.page : null;
        // A long passage is shown in its first lines (CSS), all of it one button press away; the text is whole either way.
        const long = str(e.quote).length > EVIDENCE_CLAMP;
        const quoteId = "evidence-" + ++evidenceCounter;
        const more = long
          ? el("button", { type: "button", class: "evidence-more", "aria-expanded": "false", "aria-controls": quoteId }, "Show the whole passage")
          : null;
        const link = el("a", { class: "evidence-link", id: quoteId, href: articleViewHref(e.source_id, e.span) });
        const h = validSpan(e.highlight, str(e.quote).length);
        fillEvidence(link, str(e.quote), h, !long);
        const item = el(
          "li",
          { class: long ? "evidence clamped" : "evidence", dataset: { sourceId: str(e.source_id) } },
          el("span", { class: "evidence-label" }, page ? "In the cited paper, p. " + page + ": " : "In the cited paper: "),
          link,
          page || more
            ? el(
                "span",
                { class: "evidence-actions" },
                page ? el("a", { class: "pdf-page-link", href: pdfHref(null, e.source_id, page) }, "PDF p. " + page) : null,
                page && more ? " " : null,
                more
              )
            : null
        );
        if (more) {
          more.addEventListener("click", () => {
            const open = item.classList.toggle("clamped") === false;
            fillEvidence(link, str(e.quote), h, open);
            more.setAttribute("aria-expanded", open ? "true" : "false");
            more.textContent = open ? "Show less" : "Show the whole passage";
          });
        }
        return item;
      })
    );
  }

  /**
   * One sentence that cites a work (CitingOut): the sentence as a link to the article view at its
   * span, with the marker (or the words that name the work) set off inside it; then how it cites the
   * work, then the primary evidence. With `showArticle`, the article's title comes first.
   */
  function citingSentence(c, showArticle) {
    const article = c && c.article && typeof c.article === "object" ? c.article : {};
    const sentence = str(c.sentence);
    const span = validSpan(c.span);
    let cut = null;
    const ms = validSpan(c.marker_span);
    if (span && ms && ms.start >= span.start && ms.end <= span.end && ms.end - span.start <= sentence.length) {
      cut = { start: ms.start - span.start, end: ms.end - span.start };
    } else {
      const words = str(c.marker) || str(c.mention);
      const i = words ? sentence.indexOf(words) : -1;
      if (i >= 0) cut = { start: i, end: i + words.length };
    }
    const link = el("a", { class: "citing-link", href: articleViewHref(article.id, span) });
    if (cut) {
      append(
        link,
        sentence.slice(0, cut.start),
        el("strong", { class: "citing-marker" }, sentence.slice(cut.start, cut.end)),
        sentence.slice(cut.end)
      );
    } else {
      link.textContent = sentence;
    }
    let how = null;
    if (str(c.marker)) how = "cites it with the marker " + str(c.marker);
    else if (str(c.mention)) how = "names it: “" + str(c.mention) + "”";
    return el(
      "li",
      { class: "citing", dataset: { articleId: str(article.id) } },
      showArticle ? el("p", { class: "citing-article" }, str(article.title) || str(article.id) || "Untitled article") : null,
      el("p", { class: "citing-sentence" }, link),
      how ? el("p", { class: "citing-how" }, how) : null,
      evidenceList(c.evidence)
    );
  }

  /**
   * Authors for display: "A, B and C" ("Jones, J. L.; Mateus, C. F. and Back, S. E." when the names hold
   * commas themselves); more than six as "A, B, C et al.".
   */
  function authorList(authors) {
    const list = Array.isArray(authors) ? authors.map(str).map((a) => a.trim()).filter(Boolean) : [];
    const sep = list.some((a) => a.includes(",")) ? "; " : ", ";
    if (list.length > 6) return list.slice(0, 3).join(sep) + " et al.";
    if (list.length > 1) return list.slice(0, -1).join(sep) + " and " + list[list.length - 1];
    return list[0] || "";
  }

  /** "1 article" / "3 articles". */
  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many || one + "s");
  }

  async function request(url, options, accept) {
    const opts = Object.assign({ credentials: "same-origin" }, options || {});
    opts.headers = Object.assign({ Accept: accept }, (options && options.headers) || {});
    try {
      return await fetch(url, opts);
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new NetworkError();
    }
  }

  function retryAfterOf(res) {
    const v = res.headers && res.headers.get("Retry-After");
    return v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
  }

  /** An ApiError from a non-2xx answer: its {"error": …} message when it has one. */
  async function errorOf(res) {
    let msg = "";
    try {
      const data = await res.json();
      if (data && typeof data.error === "string") msg = data.error.trim();
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
    }
    return new ApiError(res.status, msg || "HTTP " + res.status + (res.statusText ? " " + res.statusText : ""), retryAfterOf(res));
  }

  /** fetch, then the body as text (for the citation formats); errors as fetchJSON throws them. */
  async function fetchText(url, options) {
    const res = await request(url, options, "text/plain, application/json;q=0.9, */*;q=0.8");
    if (!res.ok) throw await errorOf(res);
    try {
      return await res.text();
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new NetworkError();
    }
  }

  /**
   * fetch, then JSON. Throws NetworkError when the server cannot be reached, ApiError for a
   * non-2xx answer (message from its {"error": …}) or a body that is not JSON; AbortError passes through.
   */
  /** The id in the page's path /…/{segment}/{id} (or ?id= when the page is opened elsewhere). */
  function pathId(segment) {
    const parts = window.location.pathname.split("/").filter(Boolean);
    const i = parts.indexOf(segment);
    if (i >= 0 && i === parts.length - 2) {
      try {
        return decodeURIComponent(parts[parts.length - 1]) || null;
      } catch (_) {
        return null;
      }
    }
    return new URLSearchParams(window.location.search).get("id") || null;
  }

  async function fetchJSON(url, options) {
    const res = await request(url, options, "application/json");
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
      throw new ApiError(res.status, msg, retryAfterOf(res));
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
    pathId,
    workViewHref,
    sameOriginPath,
    pdfHref,
    evidenceList,
    citingSentence,
    authorList,
    plural,
    fetchJSON,
    fetchText,
    errorMessage,
    setDisclaimer,
    prefersReducedMotion,
  });
})();
