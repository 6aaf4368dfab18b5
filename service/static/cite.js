/* Verbatim: the "Cite" control of a quote (GET /passages/{id}/cite?format=…).
 *
 * A disclosure button opens a panel: a choice of format (APA, BibTeX, RIS, CSL-JSON, as radio
 * buttons), the citation as read-only text, a Copy button and a Download link. Everything works
 * from the keyboard; Escape closes the panel and puts focus back on its button. "Copied" is
 * announced through the panel's status region. The citation is shown with textarea.value: never parsed.
 */
"use strict";

(function () {
  const V = window.Verbatim;
  const el = V.el;

  const FORMATS = [
    { value: "apa", label: "APA" },
    { value: "bibtex", label: "BibTeX" },
    { value: "ris", label: "RIS" },
    { value: "csl-json", label: "CSL-JSON" },
  ];
  let counter = 0;

  function citeUrl(passageId, format, download) {
    return (
      "/passages/" + encodeURIComponent(V.str(passageId)) + "/cite?format=" + encodeURIComponent(format) + (download ? "&download=1" : "")
    );
  }

  /** Copies `text`: the Clipboard API first, else selects the text in `field` and asks the browser to copy it. */
  async function copyText(text, field) {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
      try {
        await navigator.clipboard.writeText(text);
        return "copied";
      } catch (_) {
        /* no permission or no secure context: fall back to the selection */
      }
    }
    field.focus();
    field.select();
    try {
      field.setSelectionRange(0, field.value.length);
    } catch (_) {
      /* some inputs have no selection range */
    }
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    return ok ? "copied" : "selected";
  }

  /**
   * The Cite control for one passage. `label` names what is cited for screen readers (the article
   * title), so that several Cite buttons on a page are told apart.
   */
  function citeControl(passageId, label) {
    if (!V.str(passageId)) return null;
    counter += 1;
    const id = "cite-" + counter;
    const name = V.str(label);
    const cache = new Map();
    let current = FORMATS[0].value;
    let requestNumber = 0;

    const toggle = el(
      "button",
      { type: "button", class: "cite-toggle secondary", "aria-expanded": "false", "aria-controls": id + "-panel" },
      "Cite",
      name ? el("span", { class: "visually-hidden" }, " " + name) : null
    );
    const radios = FORMATS.map((f, i) =>
      el(
        "label",
        { class: "cite-format" },
        el("input", { type: "radio", name: id + "-format", value: f.value, checked: i === 0 }),
        " " + f.label
      )
    );
    const field = el("textarea", {
      id: id + "-text",
      class: "cite-text",
      readonly: true,
      rows: 4,
      spellcheck: "false",
      autocomplete: "off",
      "aria-describedby": id + "-status",
    });
    const fieldLabel = el("label", { class: "cite-text-label", for: id + "-text" }, "Citation (APA)");
    const copy = el("button", { type: "button", class: "cite-copy" }, "Copy");
    const download = el("a", { class: "cite-download", href: citeUrl(passageId, current, true), download: "" }, "Download");
    const status = el("p", { class: "cite-status", id: id + "-status", role: "status", "aria-live": "polite" });
    const panel = el(
      "div",
      { class: "cite-panel", id: id + "-panel", hidden: true },
      el("fieldset", { class: "cite-formats" }, el("legend", {}, "Citation format"), radios),
      fieldLabel,
      field,
      el("p", { class: "cite-actions" }, copy, " ", download),
      status
    );
    const root = el("div", { class: "cite", dataset: { passageId: V.str(passageId) } }, toggle, panel);

    let sayTimer = null;
    function say(message) {
      // Emptied first so that the same message ("Copied" twice) is announced again.
      window.clearTimeout(sayTimer);
      status.textContent = "";
      if (message) sayTimer = window.setTimeout(() => (status.textContent = message), 50);
    }

    function labelOf(format) {
      const f = FORMATS.find((x) => x.value === format);
      return f ? f.label : format;
    }

    function show(text) {
      field.value = text;
      const lines = text.split("\n").length;
      field.rows = Math.max(3, Math.min(12, lines + 1));
    }

    async function load(format) {
      current = format;
      const mine = ++requestNumber;
      fieldLabel.textContent = "Citation (" + labelOf(format) + ")";
      download.setAttribute("href", citeUrl(passageId, format, true));
      download.textContent = "Download " + labelOf(format);
      root.dataset.format = format;
      if (cache.has(format)) {
        show(cache.get(format));
        copy.disabled = false;
        return;
      }
      show("");
      copy.disabled = true;
      root.setAttribute("aria-busy", "true");
      say("Loading the " + labelOf(format) + " citation…");
      try {
        const text = await V.fetchText(citeUrl(passageId, format, false));
        if (mine !== requestNumber) return;
        cache.set(format, text);
        show(text);
        copy.disabled = !text;
        say("");
      } catch (err) {
        if (mine !== requestNumber) return;
        say(V.errorMessage(err));
      } finally {
        if (mine === requestNumber) root.setAttribute("aria-busy", "false");
      }
    }

    function open(value) {
      panel.hidden = !value;
      toggle.setAttribute("aria-expanded", value ? "true" : "false");
      if (value && !cache.has(current)) load(current);
    }

    toggle.addEventListener("click", () => open(panel.hidden));
    for (const r of radios) {
      r.querySelector("input").addEventListener("change", (event) => {
        if (event.target.checked) load(event.target.value);
      });
    }
    copy.addEventListener("click", async () => {
      const text = field.value;
      if (!text) return;
      const how = await copyText(text, field);
      say(how === "copied" ? "Copied" : "The citation is selected: press Ctrl+C (⌘C on a Mac) to copy it.");
    });
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        open(false);
        toggle.focus();
      }
    });
    return root;
  }

  window.VerbatimCite = Object.freeze({ FORMATS, citeUrl, copyText, citeControl });
})();
