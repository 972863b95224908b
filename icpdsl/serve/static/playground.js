// icp serve: the playground page. Every text that comes from the profile or the data is
// put into the page as text (textContent, text nodes, attribute values), never as HTML.
"use strict";

(function () {
  const VERDICTS = ["fit", "not_fit", "disqualified", "unknown"];
  const MARK_CLASS = { "✓": "m-pass", "✗": "m-fail", "?": "m-unknown", "·": "m-skipped" };
  const EDIT_DELAY_MS = 200;
  const TOKEN_KEY = "icp-serve-token";

  const page = {
    token: takeToken(),
    view: { verdict: "", search: "", sort: "row", page: 1, size: 50 },
    selected: null,
    base: "",
    savedText: "",
    canSave: false,
    sequence: 0,
    timer: null,
    impactPage: 1,
    editor: null,
    annotations: [],
    profiles: [],
  };

  // ------------------------------------------------------------------ plumbing

  function takeToken() {
    const params = new URLSearchParams(window.location.search);
    let token = params.get("token");
    if (token) {
      window.sessionStorage.setItem(TOKEN_KEY, token);
      window.history.replaceState(null, "", window.location.pathname);
    } else {
      token = window.sessionStorage.getItem(TOKEN_KEY);
    }
    return token;
  }

  class ApiError extends Error {
    constructor(status, data) {
      super(data.error || "HTTP " + status);
      this.status = status;
      this.data = data;
    }
  }

  async function api(name, body) {
    const response = await fetch("/api/" + name, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-ICP-Token": page.token || "" },
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
      cache: "no-store",
    });
    let data;
    try {
      data = await response.json();
    } catch (error) {
      data = { error: "the server sent no JSON (HTTP " + response.status + ")" };
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  // Invisible and direction-changing characters (bidi overrides, zero-width) shown as
  // escapes, so a cell cannot disguise itself or reorder the text around it.
  const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;
  function shown(text) {
    return String(text).replace(
      INVISIBLE,
      (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
    );
  }

  // el("td", {class: "x", title: t}, "text", child): text arguments become text nodes.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : shown(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(shown(child)));
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    return node;
  }

  function replace(node, ...children) {
    node.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
  }

  const $ = (id) => document.getElementById(id);
  const number = (n) => Number(n).toLocaleString("en-US");
  const plural = (n, word) => number(n) + " " + word + (n === 1 ? "" : "s");

  function setStatus(text) {
    $("status").textContent = shown(text);
    const dirty = page.canSave && page.editor !== null && page.editor.getValue() !== page.savedText;
    $("status").classList.toggle("dirty", dirty);
  }

  function fail(error) {
    setStatus(error.message || String(error));
  }

  // ------------------------------------------------------------------ start

  async function start() {
    if (!page.token) {
      showFatal("This page needs the token in the URL that `icp serve` printed: open that URL.");
      return;
    }
    let state;
    try {
      state = await api("state");
    } catch (error) {
      showFatal(error.message);
      return;
    }
    page.base = state.base;
    page.savedText = state.disk_text;
    page.canSave = state.file !== null;
    $("file").textContent = shown(state.file || "scratch profile (not saved)");
    $("as-of").textContent = "as of " + state.as_of;
    $("save").disabled = !page.canSave;
    if (!page.canSave) {
      $("save").title = "opened without a profile file: nothing to save to";
      $("revert").disabled = true;
    }
    if (!state.data) {
      replace($("counts"), el("p", { class: "muted" },
        "No accounts: start `icp serve PROFILE.icp DATA` to score a data file."));
    } else if (state.data.warnings.length) {
      setStatus(state.data.warnings.join("; "));
    }
    page.editor = CodeMirror($("editor"), {
      value: state.text,
      mode: "icp",
      lineNumbers: true,
      matchBrackets: true,
      indentUnit: 2,
      tabSize: 2,
      extraKeys: {
        Tab: (cm) => cm.execCommand("insertSoftTab"),
        "Ctrl-S": save,
        "Cmd-S": save,
        "Ctrl-/": "toggleComment",
        "Cmd-/": "toggleComment",
        "Shift-Alt-F": format,
      },
      gutters: ["CodeMirror-lint-markers", "CodeMirror-linenumbers"],
      lint: { getAnnotations: () => page.annotations, lintOnChange: false },
    });
    page.editor.on("changes", scheduleEdit);
    wireControls();
    window.addEventListener("beforeunload", (event) => {
      if (page.canSave && page.editor.getValue() !== page.savedText) event.preventDefault();
    });
    await sendEdit();
  }

  function showFatal(text) {
    const box = $("fatal");
    box.hidden = false;
    box.textContent = shown(text);
    setStatus("not connected");
  }

  function wireControls() {
    $("format").addEventListener("click", format);
    $("save").addEventListener("click", save);
    $("revert").addEventListener("click", revert);
    $("filter-verdict").addEventListener("change", (e) => changeView({ verdict: e.target.value }));
    $("sort").addEventListener("change", (e) => changeView({ sort: e.target.value }));
    let searchTimer = null;
    $("search").addEventListener("input", (e) => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => changeView({ search: e.target.value }), EDIT_DELAY_MS);
    });
    $("prev").addEventListener("click", () => changeView({ page: page.view.page - 1 }, true));
    $("next").addEventListener("click", () => changeView({ page: page.view.page + 1 }, true));
    for (const tabs of document.querySelectorAll(".tabs")) {
      tabs.addEventListener("click", (event) => {
        const tab = event.target.closest("button[data-tab]");
        if (tab) showTab(tabs, tab.dataset.tab);
      });
    }
  }

  function showTab(tabs, name) {
    for (const button of tabs.querySelectorAll("button[data-tab]")) {
      const active = button.dataset.tab === name;
      button.classList.toggle("active", active);
      const panel = tabs.parentElement.querySelector('[data-panel="' + button.dataset.tab + '"]');
      panel.hidden = !active;
    }
  }

  // ------------------------------------------------------------------ editing

  function scheduleEdit() {
    clearTimeout(page.timer);
    setStatus("editing…");
    page.timer = setTimeout(sendEdit, EDIT_DELAY_MS);
  }

  // Only the answer to the latest request is shown; older ones are dropped.
  async function latest(call) {
    const mine = ++page.sequence;
    const answer = await call();
    return mine === page.sequence ? answer : null;
  }

  async function sendEdit() {
    const started = performance.now();
    setStatus("scoring…");
    let answer;
    try {
      answer = await latest(() => api("edit", { text: page.editor.getValue(), view: page.view }));
    } catch (error) {
      fail(error);
      return;
    }
    if (answer === null) return;
    showDiagnostics(answer.diagnostics);
    if (answer.examples) showExamples(answer.examples);
    showScores(answer.scores);
    showImpact(answer.impact);
    const took = Math.round(performance.now() - started);
    const errors = answer.diagnostics.filter((d) => d.severity === "error").length;
    if (!answer.loaded) setStatus(plural(errors, "error") + ": the accounts show the last version that loaded");
    else if (answer.scores && answer.scores.counts) setStatus("scored " + plural(answer.scores.counts.rows, "account") + " in " + took + " ms");
    else setStatus("checked in " + took + " ms");
    if (page.selected !== null) explain(page.selected);
  }

  async function refreshScores() {
    try {
      const answer = await latest(() => api("scores", { view: page.view }));
      if (answer !== null) showScores(answer);
    } catch (error) {
      fail(error);
    }
  }

  function changeView(change, keepPage) {
    Object.assign(page.view, change);
    if (!keepPage) page.view.page = 1;
    $("filter-verdict").value = page.view.verdict;
    refreshScores();
  }

  async function format() {
    try {
      const answer = await api("format", { text: page.editor.getValue() });
      setText(answer.text);
      setStatus("formatted");
    } catch (error) {
      if (error.data && error.data.diagnostics) showDiagnostics(error.data.diagnostics);
      fail(error);
    }
  }

  function setText(text) {
    if (text === page.editor.getValue()) return;
    const cursor = page.editor.getCursor();
    const scroll = page.editor.getScrollInfo();
    page.editor.setValue(text);
    page.editor.setCursor(Math.min(cursor.line, page.editor.lineCount() - 1), cursor.ch);
    page.editor.scrollTo(scroll.left, scroll.top);
  }

  async function save(force) {
    if (!page.canSave) return;
    try {
      const answer = await api("save", {
        text: page.editor.getValue(),
        base: page.base,
        force: force === true,
      });
      page.base = answer.base;
      page.savedText = answer.text;
      setText(answer.text);
      setStatus("saved " + new Date().toLocaleTimeString());
    } catch (error) {
      if (error.data && error.data.diagnostics) showDiagnostics(error.data.diagnostics);
      if (error.data && error.data.conflict && window.confirm(error.message + "\n\nOverwrite it?")) {
        save(true);
        return;
      }
      fail(error);
    }
  }

  async function revert() {
    if (!window.confirm("Replace the text with the file as it is on disk now?")) return;
    try {
      const answer = await api("revert");
      page.base = answer.base;
      page.savedText = answer.text;
      page.editor.setValue(answer.text);
    } catch (error) {
      fail(error);
    }
  }

  // ------------------------------------------------------------------ diagnostics

  // Diagnostic columns count characters (code points); CodeMirror counts UTF-16 units.
  function position(line, column) {
    const index = Math.max(0, Math.min(line - 1, page.editor.lineCount() - 1));
    const chars = Array.from(page.editor.getLine(index));
    return { line: index, ch: chars.slice(0, Math.max(0, column - 1)).join("").length };
  }

  function showDiagnostics(diagnostics) {
    page.annotations = diagnostics.filter((d) => d.here).map((d) => {
      const from = position(d.line || 1, d.column || 1);
      const to = position(d.line || 1, (d.column || 1) + Math.max(1, d.width || 1));
      const hint = d.hint ? "\nhint: " + d.hint : "";
      return { from, to, severity: d.severity, message: d.code + " " + d.message + hint };
    });
    page.editor.performLint();
    const list = diagnostics.map((d) => {
      const where = (d.here ? "" : d.filename + ":") + d.line + ":" + d.column;
      return el("li", {
        class: d.severity === "error" ? "error" : "warning-item",
        "data-code": d.code,
        onclick: () => jump(d.here ? d.line : 0, d.column),
      },
      el("span", { class: "where" }, where),
      el("span", { class: "code" }, d.code),
      el("span", { class: "message" }, d.message),
      d.hint ? el("span", { class: "hint" }, "hint: " + d.hint) : null);
    });
    replace($("problems"), ...(list.length ? list : [el("li", { class: "muted" }, "No problems.")]));
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    $("problem-count").textContent = diagnostics.length ? String(diagnostics.length) : "";
    $("problem-count").classList.toggle("bad", errors > 0);
  }

  function jump(line, column) {
    if (!line) return;
    const where = position(line, column || 1);
    page.editor.focus();
    page.editor.setCursor(where);
    page.editor.scrollIntoView(where, 80);
  }

  // ------------------------------------------------------------------ examples

  function showExamples(examples) {
    const failed = examples.filter((e) => !e.passed).length;
    $("examples-summary").textContent = examples.length
      ? (examples.length - failed) + " passed, " + failed + " failed"
      : "No examples: add an `examples { ... }` block to a profile to test it.";
    $("example-count").textContent = examples.length ? (examples.length - failed) + "/" + examples.length : "";
    $("example-count").classList.toggle("bad", failed > 0);
    replace($("examples"), ...examples.map((e) => el("li", {
      class: e.passed ? "pass" : "fail",
      "data-example": e.id,
      onclick: () => jump(e.line, 1),
    },
    el("span", { class: "mark" }, e.passed ? "✓" : "✗"),
    e.profile + " · " + e.name + " (line " + e.line + ")",
    e.passed ? null : el("pre", {}, e.report))));
  }

  // ------------------------------------------------------------------ accounts

  function showScores(scores) {
    if (!scores) return;
    const stale = $("stale");
    const notes = [];
    if (scores.problem) notes.push(scores.problem);
    if (scores.stale && scores.counts) notes.push("The profile does not load: these are the scores of the last version that loaded.");
    stale.hidden = notes.length === 0;
    stale.textContent = shown(notes.join(" "));
    if (!scores.counts) return;
    page.profiles = scores.profiles;
    showCounts(scores.counts);
    showTable(scores);
  }

  function showCounts(counts) {
    const blocks = counts.profiles.map((profile) => {
      const total = VERDICTS.reduce((sum, v) => sum + profile.verdicts[v], 0) || 1;
      const bar = svg("svg", { viewBox: "0 0 1000 18", preserveAspectRatio: "none", role: "img" });
      let x = 0;
      for (const verdict of VERDICTS) {
        const width = (profile.verdicts[verdict] / total) * 1000;
        if (width <= 0) continue;
        const rect = svg("rect", { x, y: 0, width, height: 18, class: "seg-" + verdict });
        const title = svg("title", {});
        title.textContent = verdict + " " + number(profile.verdicts[verdict]);
        rect.append(title);
        bar.append(rect);
        x += width;
      }
      const legend = el("div", { class: "legend" }, ...VERDICTS.map((verdict) => el("button", {
        type: "button",
        class: page.view.verdict === verdict ? "on" : "",
        "data-verdict": verdict,
        "data-count": profile.verdicts[verdict],
        title: "show only " + verdict,
        onclick: () => changeView({ verdict: page.view.verdict === verdict ? "" : verdict }),
      }, el("span", { class: "swatch " + verdict }), verdict + " " + number(profile.verdicts[verdict]))));
      const tiers = Object.entries(profile.tiers);
      const tierTotal = tiers.reduce((sum, [, n]) => sum + n, 0) || 1;
      const tierBar = svg("svg", { viewBox: "0 0 1000 10", preserveAspectRatio: "none", class: "tiers" });
      let tx = 0;
      tiers.forEach(([, n], i) => {
        const width = (n / tierTotal) * 1000;
        tierBar.append(svg("rect", { x: tx, y: 1, width: Math.max(0, width - 3), height: 8, class: "seg-tier", opacity: 1 - (i * 0.6) / Math.max(1, tiers.length) }));
        tx += width;
      });
      const tierLegend = el("div", { class: "legend tiers-legend" },
        tiers.length ? "tiers: " : "no tiers", ...tiers.map(([tier, n]) => el("span", { "data-tier": tier, "data-count": n }, tier + " " + number(n) + " ")));
      return el("div", { class: "profile", "data-profile": profile.name },
        el("h3", {}, counts.profiles.length > 1 ? profile.name : profile.name + " · " + plural(counts.rows, "account")),
        bar, legend, tiers.length ? tierBar : null, tierLegend);
    });
    if (counts.profiles.length > 1) {
      const fits = Object.entries(counts.best).filter(([, n]) => n > 0).map(([p, n]) => p + " " + number(n));
      blocks.push(el("p", { class: "best" }, "best fit: " + (fits.join(" · ") || "none") + "; no fit " + number(counts.no_fit)));
    }
    if (counts.errors) blocks.push(el("p", { class: "best" }, plural(counts.errors, "row") + " could not be read (verdict error)"));
    replace($("counts"), ...blocks);
  }

  function showTable(scores) {
    const several = page.profiles.length > 1;
    const verdictHeads = several ? [...page.profiles, "best"] : ["verdict"];
    replace($("accounts").tHead, el("tr", {}, ...["row", "id", ...verdictHeads, "score", "tier", "reason"].map((h) => el("th", {}, h))));
    const rows = scores.rows.map((row) => {
      const cells = [el("td", { class: "num" }, String(row.row)), el("td", { class: "data" }, row.id === null ? "" : row.id, row.edited ? el("span", { class: "edited-mark", title: "what-if cells set" }, "✎") : null)];
      if (row.error) {
        cells.push(el("td", { class: "verdict v-error", colspan: verdictHeads.length }, "error"), el("td", {}), el("td", {}), el("td", { class: "reason" }, row.error));
      } else {
        row.verdicts.forEach((verdict) => cells.push(verdictCell(verdict, several ? null : row.was)));
        if (several) cells.push(el("td", { class: "data" }, row.best || "", row.was ? el("span", { class: "was" }, "was " + row.was) : null));
        cells.push(el("td", { class: "num score" }, row.score), el("td", { class: "tier" }, row.tier || ""), el("td", { class: "reason" }, row.reason));
      }
      return el("tr", {
        "data-row": row.row,
        "data-verdict": row.error ? "error" : row.verdicts[page.profiles.indexOf(row.closest)],
        class: page.selected === row.row ? "selected" : "",
        tabindex: 0,
        onclick: () => select(row.row),
        onkeydown: (event) => { if (event.key === "Enter") select(row.row); },
      }, ...cells);
    });
    replace($("accounts").tBodies[0], ...rows);
    page.view.page = scores.page;
    $("page-info").textContent = "page " + scores.page + " of " + scores.pages + " · " + plural(scores.matched, "row");
    $("prev").disabled = scores.page <= 1;
    $("next").disabled = scores.page >= scores.pages;
  }

  function verdictCell(verdict, was) {
    return el("td", { class: "verdict v-" + verdict }, verdict, was ? el("span", { class: "was" }, "was " + was) : null);
  }

  async function select(number) {
    page.selected = number;
    for (const tr of $("accounts").tBodies[0].rows) tr.classList.toggle("selected", Number(tr.dataset.row) === number);
    await explain(number);
    $("explanation").scrollTop = 0;
  }

  // ------------------------------------------------------------------ explanation

  async function explain(number) {
    try {
      showExplanation(await api("explain", { row: number }));
    } catch (error) {
      fail(error);
    }
  }

  function showExplanation(data) {
    const box = $("explanation");
    box.hidden = false;
    box.parentElement.classList.add("with-explanation");
    const parts = [el("h2", {}, data.where + (data.id ? " · " + data.id : ""))];
    if (data.error) parts.push(el("p", { class: "warning" }, data.error));
    for (const profile of data.profiles || []) {
      const tier = profile.tier ? "tier " + profile.tier : "no tier";
      parts.push(el("h3", { "data-profile": profile.profile },
        profile.profile + ": ", el("span", { class: "verdict v-" + profile.verdict, "data-verdict": profile.verdict }, profile.verdict),
        " · score " + profile.score_text + " · " + tier));
      const head = el("tr", {}, ...["", "rule", "seen", "expected", "points", "why"].map((h) => el("th", {}, h)));
      const body = profile.rules.map((rule) => el("tr", { "data-line": rule.line, "data-status": rule.status },
        el("td", { class: "mark " + (MARK_CLASS[rule.mark] || "") }, rule.mark),
        el("td", { class: "rule-text" }, rule.rule),
        el("td", { class: "data seen" }, rule.seen),
        el("td", { class: "expected" }, rule.expected_text),
        el("td", { class: "num" }, rule.points_text),
        el("td", { class: "why" }, rule.reason + (rule.where ? " (where " + rule.where + ")" : ""))));
      parts.push(el("table", { class: "rules" }, el("thead", {}, head), el("tbody", {}, ...body)));
      if (profile.advice.length) parts.push(el("pre", { class: "advice" }, profile.advice.join("\n")));
    }
    parts.push(whatIf(data));
    replace(box, ...parts);
  }

  function whatIf(data) {
    const cells = data.cells.map((cell) => {
      const input = el("input", { type: "text", id: "whatif-" + cell.column, "data-column": cell.column });
      input.value = cell.text;
      input.addEventListener("change", () => setCell(data.row, cell.column, input.value));
      const label = el("label", {}, cell.column);
      label.htmlFor = input.id;
      return el("div", { class: cell.edited ? "cell edited" : "cell" }, label, input,
        cell.edited ? el("span", { class: "original" }, "in the file: " + (cell.original === "" ? "blank" : cell.original)) : null);
    });
    const column = el("input", { type: "text", placeholder: "another field", "aria-label": "new field name" });
    const value = el("input", { type: "text", placeholder: "value", "aria-label": "new field value" });
    const add = el("button", { type: "button", onclick: () => { if (column.value.trim()) setCell(data.row, column.value.trim(), value.value); } }, "Add");
    const anyEdited = data.cells.some((c) => c.edited);
    return el("div", { class: "whatif" },
      el("h3", {}, "What if… ", el("span", { class: "muted" }, "edit a cell and press Enter; the data file is never changed "),
        anyEdited ? el("button", { type: "button", id: "reset-row", onclick: () => resetRow(data.row) }, "Reset this account") : null),
      el("div", { class: "cells" }, ...cells),
      el("div", { class: "add" }, column, value, add));
  }

  async function setCell(row, column, text) {
    try {
      showExplanation(await api("what-if", { row, column, text }));
      await refreshScores();
    } catch (error) {
      fail(error);
    }
  }

  async function resetRow(row) {
    try {
      showExplanation(await api("reset", { row }));
      await refreshScores();
    } catch (error) {
      fail(error);
    }
  }

  // ------------------------------------------------------------------ impact

  function showImpact(data) {
    const box = $("impact");
    if (!data || !data.baseline) {
      replace(box, el("p", { class: "muted" }, "No comparison: " + ((data && data.reason) || "nothing to compare")));
      $("impact-count").textContent = "";
      return;
    }
    const parts = [];
    const changes = data.profiles.flatMap((p) => p.changes.map((c) => ({ profile: p.name, ...c })));
    parts.push(el("h2", {}, data.changed ? "Rule changes against " + data.baseline + " on disk" : "No rule changes against " + data.baseline + " on disk"));
    if (changes.length) {
      parts.push(el("ul", {}, ...changes.map((c) => el("li", { class: "rule-change" }, c.profile + ": " + c.description))));
    }
    const impact = data.impact;
    if (!impact) {
      $("impact-count").textContent = changes.length ? String(changes.length) : "";
      replace(box, ...parts);
      return;
    }
    $("impact-count").textContent = impact.changed_accounts ? number(impact.changed_accounts) : "";
    let heading = number(impact.changed_accounts) + " of " + number(impact.accounts) + " accounts change: " + number(impact.verdict_changes) + " verdict, " + number(impact.tier_changes) + " tier only";
    if (impact.unreadable) heading += " (" + number(impact.unreadable) + " unreadable rows skipped)";
    parts.push(el("h2", { id: "impact-heading" }, heading));
    if (impact.transitions.length) {
      parts.push(el("ul", {}, ...impact.transitions.map((t) => el("li", {}, number(t.accounts) + "  " + t.profile + ": " + t.before + " → " + t.after))));
    }
    if (impact.accounts_changed.length) {
      const head = el("tr", {}, ...["row", "id", "profile", "before", "after", "score", "because"].map((h) => el("th", {}, h)));
      const body = impact.accounts_changed.map((c) => el("tr", { "data-row": c.row, onclick: () => { showTab(document.querySelector(".right > .tabs"), "accounts"); select(c.row); } },
        el("td", { class: "num" }, String(c.row)), el("td", { class: "data" }, c.id), el("td", {}, c.profile),
        el("td", {}, c.before), el("td", {}, c.after), el("td", { class: "num" }, scoreChange(c)),
        el("td", { class: "why" }, c.because.join("; "))));
      parts.push(el("div", { class: "table-wrap" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...body))));
      if (impact.pages > 1) {
        parts.push(el("p", { class: "pager" },
          el("button", { type: "button", disabled: impact.page <= 1, onclick: () => impactPage(impact.page - 1) }, "‹"),
          " page " + impact.page + " of " + impact.pages + " ",
          el("button", { type: "button", disabled: impact.page >= impact.pages, onclick: () => impactPage(impact.page + 1) }, "›")));
      }
    }
    replace(box, ...parts);
  }

  function scoreChange(change) {
    const show = (v) => (v === null ? "–" : String(v));
    return change.score_before === change.score_after ? show(change.score_after) : show(change.score_before) + " → " + show(change.score_after);
  }

  async function impactPage(number) {
    try {
      showImpact(await api("impact", { page: number }));
    } catch (error) {
      fail(error);
    }
  }

  start();
})();
