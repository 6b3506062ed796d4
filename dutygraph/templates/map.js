// dutygraph responsibility map. Every text from the dataset is written with textContent (or drawn on the canvas),
// never as HTML. Decisions are computed by dutygraph in Python and embedded; this script only selects among them.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const en = data.lang === "en";
  const FACE = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";
  const MIN_LABEL_PX = 12.2; // every label at least 12 CSS px at the first frame (a little margin for rounding)
  const MAX_SCALE = 1.4;
  const original = new Map(data.nodes.map((n) => [n.id, n]));
  const originalEdges = new Map(data.edges.map((e) => [e.id, e]));
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const RULE_TEXT = {
    "explicit": "另有规定 explicit assignment",
    "decree684-art6": "684号令第六条 Decree 684 Art 6",
    "law-designated": "法定查处部门 law-designated",
    "licensor": "谁批准谁打非 licensor",
    "first-licensor": "第一个许可部门牵头 first licensor",
    "competent-department": "主管部门 competent department",
    "default-market-regulator": "工商兜底 default market regulator",
    "undetermined": "无法确定 undetermined",
    "jurisdiction": "属地 jurisdiction",
  };
  const OUTCOME_TEXT = {
    "applied": "适用 applied",
    "not-applicable": "不适用 not applicable",
    "undetermined": "无法确定 undetermined",
    "note": "说明 note",
  };
  // Labels of decision fields; a field not listed here (the engine may add some) is shown under its own name.
  const FIELD_TEXT = {
    guided_by: en ? "guided by" : "指导部门 guided by",
    succession: en ? "succession" : "机构沿革 succession",
    as_of: en ? "as of" : "日期 as of",
    agency_of: en ? "agency of" : "隶属 agency of",
    sector: en ? "sector" : "行业 sector",
    transfer: en ? "transfer of duties" : "职责划转 transfer",
    status: en ? "status" : "状态 status",
    successors: en ? "successors" : "新机构 successors",
    not_before: en ? "not before" : "不早于 not before",
    not_after: en ? "not after" : "不晚于 not after",
    predecessor: en ? "predecessor" : "原机构 predecessor",
    successor: en ? "successor" : "新机构 successor",
    from: en ? "from" : "起 from",
    until: en ? "until" : "止 until",
    date: en ? "date" : "日期 date",
  };
  const KNOWN_FIELDS = new Set(["activity", "domain", "missing", "lead", "rule", "cooperating", "candidates", "trace", "citations", "as_of", "transfer"]);
  const KNOWN_STEP_FIELDS = new Set(["rule", "outcome", "reason", "citations"]);
  // Roles on the decision path: the bureau fields of a decision first (in this order of precedence), then graph facts.
  const BUREAU_ROLES = ["lead", "guided_by", "cooperating", "candidates"];
  const ROLE_STYLE = {
    activity: { border: "#212529", width: 4, text: en ? "the activity" : "活动" },
    missing: { border: "#e8590c", width: 3, text: en ? "missing licence" : "缺少的许可" },
    lead: { border: "#e03131", width: 5, text: en ? "leads enforcement" : "牵头打非" },
    guided_by: { border: "#7048e8", width: 4, text: en ? "guides the lead" : "指导牵头部门" },
    cooperating: { border: "#1c7ed6", width: 4, text: en ? "cooperates" : "配合" },
    candidates: { border: "#f59f00", width: 4, text: en ? "candidate (undetermined)" : "候选部门（无法确定）" },
    investigator: { border: "#862e9c", width: 3, text: en ? "investigates without the licence (by law)" : "法定查处无证" },
    issuer: { border: "#868e96", width: 3, text: en ? "grants the licence" : "发证" },
    domain: { border: "#000000", width: 2, text: en ? "domain" : "领域" },
    other: { border: "#ae3ec9", width: 3, text: en ? "named by the decision" : "判定中提及" },
  };
  const PATH_EDGE_COLOUR = { lead: "#e03131", guided_by: "#7048e8", cooperating: "#1c7ed6", candidates: "#f59f00" };
  let tab = "graph"; // the view shown: "graph" or "matrix"

  // The responsibility matrix (built in Python: dutygraph.matrix.build_matrix, jsonview.matrix_view): names by id.
  const matrix = data.matrix;
  const matrixStyle = data.matrix_style;
  const matrixNames = new Map();
  for (const group of matrix.columns) for (const b of group.bureaus) matrixNames.set(b.id, (en && b.name_en) || b.name_zh);
  for (const group of matrix.rows) {
    if (group.domain) matrixNames.set(group.domain.id, (en && group.domain.name_en) || group.domain.name_zh);
    for (const row of group.activities) matrixNames.set(row.activity.id, (en && row.activity.name_en) || row.activity.name_zh);
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  // ---- the network and its first frame -----------------------------------------------------------------------
  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes, edges }, {
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 200, hideEdgesOnDrag: data.nodes.length > 1500, multiselect: false },
    nodes: { font: { face: FACE } },
    edges: {
      smooth: data.edges.length > 3000 ? false : { type: "cubicBezier", forceDirection: "horizontal", roundness: 0.45 },
      arrows: { to: { scaleFactor: 0.6 } },
    },
    layout: { improvedLayout: false },
  });
  const minFont = Math.min(...data.nodes.map((n) => (n.font && n.font.size) || data.layout.font));
  const readableScale = MIN_LABEL_PX / minFont;

  // Domain bands and column headers, drawn under the network in canvas coordinates.
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    data.layout.bands.forEach(function (band, i) {
      ctx.fillStyle = i % 2 ? "#eef1f4" : "#f8f9fa";
      ctx.fillRect(band.x0, band.y0, band.x1 - band.x0, band.y1 - band.y0);
      if (band.label) {
        ctx.fillStyle = "#868e96";
        ctx.font = `${data.layout.font}px ${FACE}`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(band.label, band.label_x, (band.y0 + band.y1) / 2);
      }
    });
    ctx.fillStyle = "#495057";
    ctx.font = `600 ${data.layout.font}px ${FACE}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (const header of data.layout.headers) ctx.fillText(header.text, header.x, header.y);
    ctx.restore();
  });

  // A view of the canvas box [x0, y0, x1, y1]: the whole of it when it fits with labels at least 12 px, else its
  // top-left part at the smallest readable scale (the user pans for the rest).
  function viewOf(box, animate) {
    const [x0, y0, x1, y1] = box;
    const pad = 24;
    const width = container.clientWidth - 2 * pad;
    const height = container.clientHeight - 2 * pad;
    const fit = Math.min(width / Math.max(x1 - x0, 1), height / Math.max(y1 - y0, 1));
    const scale = Math.min(Math.max(fit, readableScale), MAX_SCALE);
    const x = (x1 - x0) * scale <= width ? (x0 + x1) / 2 : x0 + width / 2 / scale;
    const y = (y1 - y0) * scale <= height ? (y0 + y1) / 2 : y0 + height / 2 / scale;
    network.moveTo({ position: { x, y }, scale, animation: animate ? { duration: 300, easingFunction: "easeInOutQuad" } : false });
  }
  function initialView(animate) {
    viewOf(data.layout.extent, animate);
  }

  // Positions are precomputed and physics is off: once the page has its final size, set the view and draw once.
  let stable = false;
  requestAnimationFrame(function () {
    network.setSize("100%", "100%");
    network.once("afterDrawing", function () {
      stable = true;
      window.__dutygraphStableAt = performance.now();
      document.body.dataset.ready = "true";
    });
    initialView(false);
    network.redraw();
  });
  window.addEventListener("resize", () => network.redraw());

  document.getElementById("counts").textContent =
    `${data.counts.nodes} ${en ? "nodes" : "个节点"} · ${data.counts.edges} ${en ? "edges" : "条连线"}` +
    (data.counts.undetermined ? ` · ${data.counts.undetermined} ${en ? "undetermined leads" : "项牵头部门无法确定"}` : "");

  // ---- side panel ------------------------------------------------------------------------------------------
  const main = document.getElementById("main");
  const panel = document.getElementById("panel");
  const panelBody = document.getElementById("panel-body");

  function openPanel() {
    if (!panel.hidden) return;
    panel.hidden = false;
    main.classList.add("panel-open");
    network.setSize("100%", "100%");
    network.redraw();
  }
  function closePanel() {
    panel.hidden = true;
    main.classList.remove("panel-open");
    network.setSize("100%", "100%");
    network.redraw();
  }
  document.getElementById("panel-close").addEventListener("click", closePanel);

  function facts(rows) {
    const table = el("table");
    for (const [key, value] of rows) {
      const tr = el("tr");
      tr.append(el("th", key), el("td", value));
      table.append(tr);
    }
    return table;
  }

  function citations(ids) {
    const box = el("div", null, "citations");
    for (const c of ids.map((id) => data.citations[id]).filter(Boolean)) {
      box.append(el("div", `${c.document} ${c.path} [${c.provision}]`, "cite"));
      box.append(el("blockquote", c.quote));
      if (c.version_note) box.append(el("div", `⚠ ${c.version_note}`, "warn"));
    }
    return box;
  }

  function bureauName(b) {
    return (en && b.name_en) || b.name_zh || b.name_en || b.id || "?";
  }
  function names(list) {
    return (list || []).map(bureauName).join(en ? ", " : "、") || "—";
  }
  // Any JSON value as one line of text: bureau-like objects by name, other objects as "key: value" pairs.
  function plain(value, depth) {
    depth = depth || 0;
    if (value === null || value === undefined || value === "") return "—";
    if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1)).join(en ? ", " : "、") || "—";
    if (typeof value === "object") {
      if ("name_zh" in value || "name_en" in value) return bureauName(value);
      if (depth > 3) return JSON.stringify(value);
      return Object.entries(value)
        .filter(([k, v]) => v !== null && v !== undefined && k !== "citations")
        .map(([k, v]) => `${FIELD_TEXT[k] || k}: ${plain(v, depth + 1)}`)
        .join("; ");
    }
    return String(value);
  }
  function extraRows(object, known) {
    return Object.entries(object)
      .filter(([key, value]) => !known.has(key) && value !== null && value !== undefined && !(Array.isArray(value) && !value.length))
      .map(([key, value]) => [FIELD_TEXT[key] || key, plain(value)]);
  }

  // Provision ids under "citations" anywhere inside a field the page does not know (a transfer's window, say).
  function nestedCitations(value, depth) {
    if (!value || typeof value !== "object" || (depth || 0) > 4) return [];
    if (Array.isArray(value)) return value.flatMap((v) => nestedCitations(v, (depth || 0) + 1));
    return Object.entries(value).flatMap(([k, v]) =>
      k === "citations" && Array.isArray(v) ? v.filter((c) => typeof c === "string") : nestedCitations(v, (depth || 0) + 1));
  }

  function summary(d) {
    const box = el("section", null, "decision");
    box.append(el("h3", en ? "Who leads enforcement against illegal operation?" : "谁牵头打击非法（无证）经营？"));
    if (d.lead) {
      box.append(el("div", bureauName(d.lead), "lead"));
    } else {
      box.append(el("div", en ? "undetermined — the data does not decide" : "无法确定——现有依据不能决定", "lead undetermined"));
      box.append(facts([[en ? "candidates" : "候选部门", names(d.candidates)]]));
    }
    const rows = [
      [en ? "as of" : "日期 as of", d.as_of || data.as_of.date || "—"],
      [en ? "rule" : "规则", RULE_TEXT[d.rule] || d.rule],
      [en ? "cooperating" : "配合部门", names(d.cooperating)],
      [en ? "without" : "缺少许可", (d.missing || []).map(bureauName).join("、") || (en ? "no licence involved" : "不涉及许可")],
    ];
    if (d.transfer) rows.splice(1, 0, [en ? "In time" : "沿革 In time", inTime(d)]);
    const table = facts([...rows, ...extraRows(d, KNOWN_FIELDS)]);
    if (d.transfer) table.rows[1].classList.add("in-time", `status-${d.transfer.status}`);
    box.append(table);
    const extra = Object.entries(d).filter(([key]) => !KNOWN_FIELDS.has(key) || key === "transfer").flatMap(([, value]) => nestedCitations(value));
    if (extra.length) box.append(citations([...new Set(extra)]));
    return box;
  }

  // The lead organ in time: predecessor → successor(s), the window the sources bound, and where the date falls.
  function inTime(d) {
    const t = d.transfer;
    const pred = bureauName(t.predecessor);
    const succ = names(t.successors);
    const date = d.as_of || data.as_of.date || "?";
    const from = t.not_before || (en ? "an unknown date" : "未知日期");
    const to = t.not_after || (en ? "an unknown date" : "未知日期");
    const window = en ? `between ${from} and ${to}` : `时间窗 ${from} 至 ${to}`;
    const status = en
      ? {
        before: `${date} is before the window: ${pred} acts (later succeeded by ${succ})`,
        inside: `${date} is inside the window: ${pred} or ${succ}, depending on a transfer date no source gives`,
        after: `${date} is after the window: ${succ} acts`,
      }[t.status]
      : {
        before: `${date} 在时间窗之前（before）：由${pred}负责，其后由${succ}承继`,
        inside: `${date} 在时间窗之内（inside）：${pred}或${succ}，取决于来源未载明的移交日期`,
        after: `${date} 在时间窗之后（after）：由${succ}负责`,
      }[t.status];
    return en ? `${pred} → ${succ}, ${window}; ${status || t.status}` : `${pred} → ${succ}，${window}；${status || t.status}`;
  }

  function dateLine() {
    return el("div", data.as_of.text, "asof");
  }

  function stepView(step) {
    const box = el("div", null, "step");
    const head = el("div", null, "step-head");
    head.append(el("span", RULE_TEXT[step.rule] || step.rule, "step-rule"), el("span", OUTCOME_TEXT[step.outcome] || step.outcome, `outcome ${step.outcome}`));
    box.append(head, el("p", step.reason, "reason"));
    const extra = extraRows(step, KNOWN_STEP_FIELDS);
    if (extra.length) box.append(facts(extra));
    if (step.citations && step.citations.length) box.append(citations(step.citations));
    return box;
  }

  function showDetail(detail) {
    panelBody.replaceChildren();
    const h2 = el("h2");
    h2.append(el("span", detail.kind, "kindtag"), el("span", detail.title));
    panelBody.append(h2, dateLine(), facts(detail.facts));
    if (detail.list && detail.list.length) {
      panelBody.append(el("h3", detail.list_title));
      const ul = el("ul");
      for (const item of detail.list) ul.append(el("li", item));
      panelBody.append(ul);
    }
    if (detail.citations && detail.citations.length) {
      panelBody.append(el("h3", en ? "What it rests on" : "依据（原文）"), citations(detail.citations));
    }
    openPanel();
  }

  // ---- the decision path -----------------------------------------------------------------------------------
  let path = null; // {activity, key, decision, roles: {id: role}, edges: Set, step}

  function dim(hex) {
    const m = /^#([0-9a-f]{6})$/i.exec(hex || "");
    if (!m) return "#f1f3f5";
    const v = parseInt(m[1], 16);
    const mix = (c) => Math.round(c + (255 - c) * 0.82);
    return `rgb(${mix(v >> 16)}, ${mix((v >> 8) & 255)}, ${mix(v & 255)})`;
  }

  // A node's colours, the same when it is selected or hovered (the selection shows as a thicker border).
  function colours(background, border) {
    return { background, border, highlight: { background, border }, hover: { background, border } };
  }

  function edgeColour(colour, opacity) {
    return { color: colour, highlight: colour, hover: colour, opacity };
  }

  // Bureau ids of a decision view and their roles: its bureau fields, then bureau-like objects in other fields.
  function decisionBureaus(d) {
    const roles = {};
    function walk(value, role, depth) {
      if (!value || depth > 2) return;
      if (Array.isArray(value)) value.forEach((v) => walk(v, role, depth + 1));
      else if (typeof value === "object") {
        if (typeof value.id === "string" && "name_zh" in value) {
          if (!(value.id in roles)) roles[value.id] = role;
        } else Object.values(value).forEach((v) => walk(v, role, depth + 1));
      }
    }
    for (const role of BUREAU_ROLES) walk(d[role], role, 0);
    for (const [key, value] of Object.entries(d)) {
      if ((!KNOWN_FIELDS.has(key) || key === "transfer") && !BUREAU_ROLES.includes(key)) walk(value, key, 0); // named by its field
    }
    return roles;
  }

  function pathOf(activity, d) {
    const roles = { [activity]: "activity" };
    const set = (id, role) => { if (original.has(id) && !(id in roles)) roles[id] = role; };
    for (const [id, role] of Object.entries(decisionBureaus(d))) set(id, role);
    const missing = new Set((d.missing || []).map((m) => m.id));
    missing.forEach((id) => set(id, "missing"));
    // Who grants and who investigates each missing licence: facts of the graph, shown beside the decision.
    for (const e of data.edges) {
      if (missing.has(e.to) && e.kind === "ENFORCES") set(e.from, "investigator");
    }
    for (const e of data.edges) {
      if (missing.has(e.to) && e.kind === "ISSUES") set(e.from, "issuer");
    }
    if (d.domain) set(d.domain, "domain");
    const notBureaus = new Set(["activity", "missing", "domain"]);
    const pathEdges = new Set();
    for (const e of data.edges) {
      if (!(e.from in roles) || !(e.to in roles)) continue;
      const ok =
        (e.kind === "LEAD" && e.to === activity && d.lead && e.from === d.lead.id) ||
        (e.kind === "AUTHORIZES" && e.to === activity && missing.has(e.from)) ||
        (e.kind === "REQUIRES" && missing.has(e.from) && missing.has(e.to)) ||
        ((e.kind === "ISSUES" || e.kind === "ENFORCES") && missing.has(e.to)) ||
        ((e.kind === "GUIDED_BY" || e.kind === "AGENCY_OF") && !notBureaus.has(roles[e.from]) && !notBureaus.has(roles[e.to])) ||
        (e.kind === "LEADS" && e.to === activity) ||
        (e.kind === "IN_DOMAIN" && e.from === activity) ||
        (e.kind === "HAS_DUTY" && (e.to === activity || e.to === d.domain) && ["lead", "guided_by"].includes(roles[e.from]));
      if (ok) pathEdges.add(e.id);
    }
    // Edges that exist only in this decision: from each bureau it names to the activity (the guide: to the lead).
    const extra = [];
    for (const [id, role] of Object.entries(roles)) {
      if (!(role in PATH_EDGE_COLOUR)) continue;
      if (role === "lead" && [...pathEdges].some((e) => originalEdges.get(e).kind === "LEAD")) continue;
      const to = role === "guided_by" && d.lead && original.has(d.lead.id) ? d.lead.id : activity;
      extra.push({
        id: `path-${role}-${id}`, from: id, to, arrows: "to", color: edgeColour(PATH_EDGE_COLOUR[role], 1),
        width: role === "lead" ? 3 : 2, dashes: role !== "lead", kind: "PATH",
      });
    }
    return { roles, pathEdges, extra };
  }

  // ---- one place decides what is shown: filters, relationship toggles and the path --------------------------
  const domainSelect = document.getElementById("filter-domain");
  const bureauSelect = document.getElementById("filter-bureau");
  const kindBox = document.getElementById("filter-kinds");
  const edgeBox = document.getElementById("filter-edges");
  const kindInputs = {};
  const edgeInputs = {};

  function nodeVisible(n) {
    const entry = data.index[n.id];
    const domain = domainSelect.value;
    const bureau = bureauSelect.value;
    if (!kindInputs[entry.kind].checked) return false;
    if (domain && !entry.domains.includes(domain)) return false;
    if (bureau && bureau !== n.id && !network.getConnectedNodes(bureau).includes(n.id)) return false;
    return true;
  }

  function render() {
    const bureau = bureauSelect.value;
    const near = new Set(bureau ? [bureau, ...network.getConnectedNodes(bureau)] : []);
    const nodeUpdates = data.nodes.map(function (n) {
      const entry = data.index[n.id];
      const hidden = !(kindInputs[entry.kind].checked &&
        (!domainSelect.value || entry.domains.includes(domainSelect.value)) && (!bureau || near.has(n.id)));
      if (!path) return { id: n.id, hidden, color: n.color, font: n.font, borderWidth: n.borderWidth };
      const role = path.roles[n.id];
      if (role) {
        const style = ROLE_STYLE[role] || ROLE_STYLE.other;
        return { id: n.id, hidden, font: n.font, borderWidth: style.width, color: colours(n.color.background, style.border) };
      }
      return { id: n.id, hidden, borderWidth: 1, font: Object.assign({}, n.font, { color: "#adb5bd" }),
        color: colours(dim(n.color.background), dim(n.color.border)) };
    });
    nodes.update(nodeUpdates);
    const edgeUpdates = data.edges.map(function (e) {
      const on = edgeInputs[e.kind] ? edgeInputs[e.kind].checked : false;
      if (!path) return { id: e.id, hidden: !on, color: edgeColour(e.color, 1), width: e.width };
      if (path.pathEdges.has(e.id)) return { id: e.id, hidden: false, color: edgeColour(e.color, 1), width: Math.max(2, e.width) };
      return { id: e.id, hidden: !on, color: edgeColour(e.color, 0.15), width: 1 };
    });
    edges.update(edgeUpdates);
    const dynamic = edges.get({ filter: (e) => e.kind === "PATH" }).map((e) => e.id);
    edges.remove(dynamic);
    if (path) edges.add(path.extra);
  }

  // ---- choosing a decision path ----------------------------------------------------------------------------
  const pathSelect = document.getElementById("path-activity");
  const pathMissing = document.getElementById("path-missing");
  const pathNote = document.getElementById("path-note");
  const pathClear = document.getElementById("path-clear");
  const byDomain = new Map();
  for (const id of Object.keys(data.paths)) {
    const entry = data.index[id];
    const domain = (entry && entry.domains[0]) || "";
    if (!byDomain.has(domain)) byDomain.set(domain, []);
    byDomain.get(domain).push(id);
  }
  const domainName = new Map(data.filters.domains);
  for (const [domain, ids] of byDomain) {
    const group = document.createElement("optgroup");
    group.label = domainName.get(domain) || (en ? "no domain" : "未归入领域");
    for (const id of ids) group.append(new Option(data.index[id].name, id));
    pathSelect.append(group);
  }

  function missingBoxes(activity, key) {
    pathMissing.replaceChildren(el("legend", en ? "Missing licences" : "缺少的许可 Missing licences"));
    const entry = data.paths[activity];
    const chosen = new Set(key.split(",").filter((k) => k !== ""));
    entry.licences.forEach(function ([, name], i) {
      const label = el("label");
      const input = el("input");
      input.type = "checkbox";
      input.value = String(i);
      input.checked = chosen.has(String(i));
      label.append(input, el("span", name));
      pathMissing.append(label);
    });
    pathMissing.hidden = entry.licences.length === 0;
  }

  function checkedKey() {
    return [...pathMissing.querySelectorAll("input")].filter((i) => i.checked).map((i) => i.value).join(",");
  }

  // Show the decision of ``activity`` for the combination ``key`` of missing licences (indices into its list).
  function showPath(activity, key, options) {
    options = options || {};
    const entry = data.paths[activity];
    if (!entry) return;
    pathNote.textContent = "";
    if (key === undefined || key === null) key = entry.default;
    if (key === "" && entry.licences.length) {
      key = entry.default;
      pathNote.textContent = en
        ? "No licence ticked: the command line's default (no --missing), every licence it needs is missing."
        : "未勾选：即命令行的默认（不带 --missing），视为缺少其所需的全部许可。";
    }
    const d = entry.combos[key];
    if (!d) {
      pathNote.textContent = en
        ? "This combination is not in the map (too many licences): ask the command line (dutygraph lead … --missing …)."
        : "地图未收录此组合（许可过多），请用命令行查询：dutygraph lead … --missing …";
      return;
    }
    pathSelect.value = activity;
    if (!options.keepBoxes) missingBoxes(activity, key);
    pathClear.disabled = false;
    const { roles, pathEdges, extra } = pathOf(activity, d);
    path = { activity, key, decision: d, roles, pathEdges, extra, step: 0 };
    window.dutygraph.path = { activity, key, roles: Object.assign({}, roles), lead: d.lead ? d.lead.id : null };
    render();
    showDecisionPanel(activity, d, options.cell);
    if (options.fit !== false && tab === "graph") fitPath();
  }

  function fitPath() {
    // The domain is left out: its band shows it, and the rest of the path then fits at a readable scale more often.
    const ids = Object.keys(path.roles).filter((id) => path.roles[id] !== "domain" && nodes.get(id) && !nodes.get(id).hidden);
    if (!ids.length) return;
    const boxes = ids.map((id) => network.getBoundingBox(id));
    viewOf([
      Math.min(...boxes.map((b) => b.left)), Math.min(...boxes.map((b) => b.top)),
      Math.max(...boxes.map((b) => b.right)), Math.max(...boxes.map((b) => b.bottom)),
    ], true);
  }

  function clearPath() {
    path = null;
    window.dutygraph.path = null;
    pathSelect.value = "";
    pathMissing.replaceChildren();
    pathMissing.hidden = true;
    pathNote.textContent = "";
    pathClear.disabled = true;
    render();
  }

  function showDecisionPanel(activity, d, cell) {
    const detail = data.details[activity];
    panelBody.replaceChildren();
    const h2 = el("h2");
    if (cell) {
      h2.append(el("span", en ? "matrix cell" : "职责分工", "kindtag"), el("span", `${matrixNames.get(activity) || detail.title} × ${matrixNames.get(cell) || cell}`));
      panelBody.append(h2, dateLine(), cellRoles(activity, cell));
    } else {
      h2.append(el("span", en ? "decision path" : "判定路径", "kindtag"), el("span", detail.title));
      panelBody.append(h2, dateLine());
    }
    panelBody.append(facts(detail.facts), summary(d));
    const legend = el("ul", null, "roles");
    const used = new Set(Object.values(path.roles));
    const known = Object.keys(ROLE_STYLE).filter((role) => used.has(role));
    for (const role of [...known, ...[...used].filter((r) => !(r in ROLE_STYLE))]) {
      const style = ROLE_STYLE[role] || ROLE_STYLE.other;
      const li = el("li");
      const swatch = el("span", null, "swatch ring");
      swatch.style.borderColor = style.border;
      li.append(swatch, el("span", role in ROLE_STYLE ? style.text : FIELD_TEXT[role] || role));
      legend.append(li);
    }
    panelBody.append(legend);

    // The trace, one step at a time.
    const steps = d.trace || [];
    const stepper = el("section", null, "stepper");
    const nav = el("div", null, "step-nav");
    const prev = el("button", en ? "◀ Previous" : "◀ 上一步", "prev");
    const next = el("button", en ? "Next ▶" : "下一步 ▶", "next");
    prev.type = next.type = "button";
    const where = el("span", null, "where");
    nav.append(prev, where, next);
    const current = el("div", null, "current");
    const all = el("ol", null, "trace");
    steps.forEach(function (step, i) {
      const li = el("li");
      const button = el("button", null, "step-link");
      button.type = "button";
      button.append(el("span", `${RULE_TEXT[step.rule] || step.rule}: `, step.outcome), el("span", step.reason));
      button.addEventListener("click", () => go(i));
      li.append(button);
      all.append(li);
    });
    function go(i) {
      path.step = Math.max(0, Math.min(steps.length - 1, i));
      window.dutygraph.path.step = path.step;
      where.textContent = en ? `step ${path.step + 1} of ${steps.length}` : `第 ${path.step + 1} / ${steps.length} 步`;
      prev.disabled = path.step === 0;
      next.disabled = path.step === steps.length - 1;
      current.replaceChildren(stepView(steps[path.step]));
      [...all.children].forEach((li, j) => li.classList.toggle("active", j === path.step));
    }
    prev.addEventListener("click", () => go(path.step - 1));
    next.addEventListener("click", () => go(path.step + 1));
    stepper.append(el("h3", en ? "How the rules were applied, step by step" : "判定过程（逐步）"), nav, current,
      el("h3", en ? "All steps: why, and why not the other rules" : "全部步骤（为何适用、为何不适用）"), all);
    panelBody.append(stepper);
    if (steps.length) go(0);
    if (d.citations && d.citations.length) {
      panelBody.append(el("h3", en ? "What the decision rests on" : "判定依据（原文）"), citations(d.citations));
    }
    if (detail.citations && detail.citations.length) {
      panelBody.append(el("h3", en ? "The activity in the sources" : "活动出处"), citations(detail.citations));
    }
    openPanel();
  }

  pathSelect.addEventListener("change", function () {
    if (pathSelect.value) showPath(pathSelect.value);
    else clearPath();
  });
  pathMissing.addEventListener("change", function () {
    if (path) showPath(path.activity, checkedKey(), { keepBoxes: true });
  });
  pathClear.addEventListener("click", clearPath);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && path) clearPath();
  });

  // ---- clicks and search -------------------------------------------------------------------------------------
  function select(id, fit) {
    const detail = data.details[id];
    if (!detail) return;
    if (nodes.get(id)) network.selectNodes([id]);
    if (detail.path && data.paths[detail.path]) {
      showPath(detail.path, null);
    } else {
      showDetail(detail);
      if (nodes.get(id) && fit) network.focus(id, { scale: Math.max(network.getScale(), readableScale), animation: { duration: 300 } });
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0], false);
    else if (params.edges.length) {
      const detail = data.details[params.edges[0]];
      if (detail && detail.path) showPath(detail.path, null);
      else if (detail) showDetail(detail);
    }
  });

  const search = document.getElementById("search");
  const results = document.getElementById("results");
  search.addEventListener("input", function () {
    results.replaceChildren();
    const query = search.value.trim().toLowerCase();
    if (!query) return;
    const hits = Object.entries(data.index)
      .filter(([, entry]) => entry.search.some((s) => s.toLowerCase().includes(query)))
      .sort(([, a], [, b]) => Number(!a.search.some((s) => s.toLowerCase() === query)) - Number(!b.search.some((s) => s.toLowerCase() === query)))
      .slice(0, 30);
    for (const [id, entry] of hits) {
      const li = el("li");
      const button = el("button");
      button.type = "button";
      button.dataset.node = id;
      button.append(el("span", entry.name), el("span", entry.kind, "kind"));
      button.addEventListener("click", () => select(id, true));
      li.append(button);
      results.append(li);
    }
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && results.firstChild) results.firstChild.firstChild.click();
  });

  // ---- filters and relationship toggles ----------------------------------------------------------------------
  for (const [id, name] of data.filters.domains) domainSelect.append(new Option(name, id));
  for (const [id, name] of data.filters.bureaus) bureauSelect.append(new Option(name, id));
  function checkbox(box, value, text, checked, colour) {
    const label = el("label");
    const input = el("input");
    input.type = "checkbox";
    input.checked = checked;
    input.value = value;
    label.append(input);
    if (colour) {
      const swatch = el("span", null, "line");
      swatch.style.background = colour;
      label.append(swatch);
    }
    label.append(el("span", text));
    box.append(label);
    return input;
  }
  for (const [kind, name] of data.filters.kinds) kindInputs[kind] = checkbox(kindBox, kind, name, true);
  const edgeDefaults = {};
  for (const [kind, name, colour, on] of data.filters.edges) {
    edgeInputs[kind] = checkbox(edgeBox, kind, name, on, colour);
    edgeDefaults[kind] = on;
  }
  domainSelect.addEventListener("change", filtersChanged);
  bureauSelect.addEventListener("change", filtersChanged);
  kindBox.addEventListener("change", render);
  edgeBox.addEventListener("change", render);
  document.getElementById("reset").addEventListener("click", function () {
    domainSelect.value = "";
    bureauSelect.value = "";
    search.value = "";
    results.replaceChildren();
    for (const input of Object.values(kindInputs)) input.checked = true;
    for (const [kind, input] of Object.entries(edgeInputs)) input.checked = edgeDefaults[kind];
    clearPath();
    initialView(true);
    if (tab === "matrix") renderMatrix();
  });

  document.getElementById("overview").addEventListener("click", () => network.fit({ animation: { duration: 300 } }));


  // ---- the responsibility matrix (职责分工表) -----------------------------------------------------------------
  const tabGraph = document.getElementById("tab-graph");
  const tabMatrix = document.getElementById("tab-matrix");
  const matrixBox = document.getElementById("matrix");
  const matrixTable = document.getElementById("matrix-table");
  const matrixNote = document.getElementById("matrix-note");
  const ROLE_ORDER = matrix.roles.map((r) => r.role);
  let matrixShown = null; // the filters the table was last drawn for
  let selectedCell = null;

  const matrixLegend = document.getElementById("matrix-legend");
  for (const role of ROLE_ORDER) {
    const li = el("li");
    li.append(el("b", matrixStyle.marks[role][en ? 1 : 0], `mark-${role}`), el("span", matrixStyle.names[role][en ? 1 : 0]));
    matrixLegend.append(li);
  }
  matrixLegend.append(el("li", en ? "(…) only through a duty on the whole domain" : "（…）仅来自对整个领域的职责"));
  matrixLegend.append(el("li", en ? "dashed: the date falls inside a succession window of the lead" : "虚线框：日期在牵头部门的机构沿革时间窗内"));

  // A column head: Chinese stacked upright, a few characters per line (any font draws it right); other text turned
  // sideways (vertical writing, which some CJK fallback fonts misplace, is kept for Latin letters).
  const WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
  function headName(name) {
    const chars = [...name];
    if (chars.filter((ch) => WIDE.test(ch)).length >= chars.length * 0.6) {
      const span = el("span", name, "stacked");
      span.style.width = `${Math.ceil(chars.length / 9)}em`;
      return span;
    }
    return el("span", name, "sideways");
  }

  function pathDefault(activity) {
    const entry = data.paths[activity];
    return entry ? entry.combos[entry.default] : null;
  }

  function markTitle(mark) {
    const name = matrixStyle.names[mark.role] ? matrixStyle.names[mark.role][en ? 1 : 0] : mark.role;
    return mark.rule ? `${name} (${RULE_TEXT[mark.rule] || mark.rule})` : name;
  }

  function cellContent(roles) {
    const box = document.createDocumentFragment();
    const own = roles.filter((m) => !m.domain_wide);
    const wide = roles.filter((m) => m.domain_wide);
    const mark = (m) => el("span", (matrixStyle.marks[m.role] || ["·", "·"])[en ? 1 : 0], `mark-${m.role}`);
    own.forEach((m) => box.append(mark(m)));
    if (wide.length) {
      const span = el("span", null, "wide");
      span.append("(", ...wide.map(mark), ")");
      box.append(span);
    }
    return box;
  }

  // The rows and columns the filters leave: a domain's rows, or the rows where a bureau has a role; the columns
  // that have a role in those rows.
  function matrixSelection() {
    const domain = domainSelect.value;
    const bureau = bureauSelect.value;
    const groups = [];
    const used = new Set();
    for (const group of matrix.rows) {
      if (domain && (!group.domain || group.domain.id !== domain)) continue;
      const rows = group.activities.filter((row) => !bureau || row.cells.some((c) => c.bureau === bureau));
      if (!rows.length) continue;
      rows.forEach((row) => row.cells.forEach((c) => used.add(c.bureau)));
      groups.push({ domain: group.domain, rows });
    }
    const columns = matrix.columns
      .map((g) => ({ system: g.system, bureaus: g.bureaus.filter((b) => used.has(b.id)) }))
      .filter((g) => g.bureaus.length);
    return { groups, columns, bureau };
  }

  function renderMatrix(force) {
    const key = `${domainSelect.value}|${bureauSelect.value}`;
    if (!force && key === matrixShown) return;
    matrixShown = key;
    const { groups, columns, bureau } = matrixSelection();
    const bureaus = columns.flatMap((g) => g.bureaus);
    const rowCount = groups.reduce((n, g) => n + g.rows.length, 0);
    matrixTable.replaceChildren();
    matrixNote.textContent = "";
    if (!rowCount) {
      matrixNote.textContent = en ? "No activity in force on this date within the filters." : "筛选范围内当日没有生效的活动。";
      return;
    }
    if (rowCount * bureaus.length > matrixStyle.max_cells) {
      matrixNote.textContent = en
        ? `${rowCount} activities × ${bureaus.length} bureaus is too large to draw at once: choose a domain or a bureau under the filters.`
        : `${rowCount} 项活动 × ${bureaus.length} 个部门，过大无法一次绘出：请在左侧筛选领域或部门。`;
      return;
    }
    const thead = el("thead");
    const systems = el("tr", null, "systems");
    const corner = el("th", en ? "Activity \\ Bureau" : "活动 \\ 部门 Activity \\ Bureau", "corner");
    corner.rowSpan = 2;
    corner.scope = "col";
    systems.append(corner);
    const heads = el("tr", null, "bureaus");
    for (const group of columns) {
      const th = el("th", null, "system");
      th.colSpan = group.bureaus.length;
      th.scope = "colgroup";
      th.textContent = group.system === null ? (en ? "other" : "其他") : group.system;
      th.style.background = matrixStyle.systems[String(group.system)] || "#adb5bd";
      systems.append(th);
      for (const b of group.bureaus) {
        const head = el("th", null, b.id === bureau ? "chosen" : "");
        head.scope = "col";
        head.dataset.bureau = b.id;
        head.style.setProperty("--system", matrixStyle.systems[String(group.system)] || "#adb5bd");
        head.append(headName(bureauName(b)));
        heads.append(head);
      }
    }
    thead.append(systems, heads);
    matrixTable.append(thead);
    for (const group of groups) {
      const body = el("tbody");
      body.dataset.domain = group.domain ? group.domain.id : "";
      const tr = el("tr", null, "domain");
      const th = el("th");
      th.colSpan = bureaus.length + 1;
      th.scope = "rowgroup";
      th.append(el("span", group.domain ? ((en && group.domain.name_en) || group.domain.name_zh) : (en ? "no domain" : "未归入领域")));
      tr.append(th);
      body.append(tr);
      for (const row of group.rows) {
        const activity = row.activity.id;
        const line = el("tr");
        line.dataset.activity = activity;
        const name = el("th", (en && row.activity.name_en) || row.activity.name_zh, "activity");
        name.scope = "row";
        name.title = `${RULE_TEXT[row.rule] || row.rule}`;
        line.append(name);
        const cells = new Map(row.cells.map((c) => [c.bureau, c.roles]));
        const decision = pathDefault(activity);
        for (const b of bureaus) {
          const td = el("td");
          td.dataset.bureau = b.id;
          if (b.id === bureau) td.classList.add("chosen");
          const roles = cells.get(b.id);
          if (roles) {
            for (const role of new Set(roles.map((m) => m.role))) td.classList.add(role);
            let title = roles.map(markTitle).join(en ? "; " : "；");
            if (row.lead === b.id && decision && decision.transfer && decision.transfer.status === "inside") {
              td.classList.add("in-window");
              title += ` — ${inTime(decision)}`;
            }
            const button = el("button");
            button.type = "button";
            button.title = `${bureauName(b)}: ${title}`;
            button.append(cellContent(roles));
            td.append(button);
          }
          line.append(td);
        }
        body.append(line);
      }
      matrixTable.append(body);
    }
    stickHeads();
  }

  // The bureau row sticks below the system row (measured once the table is on screen).
  function stickHeads() {
    const systems = matrixTable.querySelector("tr.systems");
    const heads = matrixTable.querySelector("tr.bureaus");
    if (!systems || !heads) return;
    const top = systems.getBoundingClientRect().height;
    if (top) for (const head of heads.children) head.style.top = `${top}px`;
  }

  // One listener for the whole table: a cell opens its panel, an activity its decision, a bureau its details.
  matrixTable.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    const cell = target && target.closest("td[data-bureau] button");
    if (cell) {
      const td = cell.closest("td");
      openCell(td.closest("tr").dataset.activity, td.dataset.bureau, td);
      return;
    }
    const row = target && target.closest("th.activity");
    if (row) {
      const activity = row.closest("tr").dataset.activity;
      if (data.paths[activity]) showPath(activity, null, { fit: false });
      return;
    }
    const head = target && target.closest("th[data-bureau]");
    if (head && data.details[head.dataset.bureau]) showDetail(data.details[head.dataset.bureau]);
  });

  // A cell: the activity's decision (as the graph's panel shows it) with the bureau's roles and their citations.
  function openCell(activity, bureau, td) {
    if (selectedCell) selectedCell.classList.remove("selected");
    selectedCell = td || null;
    if (selectedCell) selectedCell.classList.add("selected");
    if (data.paths[activity]) {
      showPath(activity, null, { fit: false, cell: bureau });
    } else if (data.details[activity]) {
      showDetail(data.details[activity]);
      panelBody.insertBefore(cellRoles(activity, bureau), panelBody.children[2] || null);
    }
    window.dutygraph.cell = { activity, bureau };
  }

  function cellRoles(activity, bureau) {
    const box = el("section", null, "cell");
    box.append(el("h3", en ? `The roles of ${matrixNames.get(bureau) || bureau} here` : `${matrixNames.get(bureau) || bureau} 在此的职责`));
    let roles = [];
    for (const group of matrix.rows) {
      for (const row of group.activities) {
        if (row.activity.id !== activity) continue;
        const cell = row.cells.find((c) => c.bureau === bureau);
        if (cell) roles = cell.roles;
      }
    }
    const licenceName = new Map((data.paths[activity] ? data.paths[activity].licences : []));
    const list = el("ul", null, "cell-roles");
    for (const mark of roles) {
      const li = el("li");
      const head = el("div");
      head.append(el("span", `${(matrixStyle.marks[mark.role] || ["·", "·"])[en ? 1 : 0]} `, `mark-${mark.role}`), el("span", markTitle(mark), "role"));
      li.append(head);
      const what = [];
      if (mark.licences.length) what.push([en ? "licences" : "许可", mark.licences.map((l) => licenceName.get(l) || (data.index[l] && data.index[l].name) || l).join("、")]);
      if (mark.kinds.length) what.push([en ? "duty kinds" : "职责类型", mark.kinds.join(", ")]);
      if (mark.scope.length) what.push([en ? "on" : "对象", mark.scope.map((s) => matrixNames.get(s) || (data.index[s] && data.index[s].name) || s).join("、")]);
      if (mark.domain_wide) what.push([en ? "note" : "说明", en ? "only through a duty on the whole domain" : "仅来自对整个领域的职责"]);
      if (what.length) li.append(facts(what));
      if (mark.provisions.length) li.append(citations(mark.provisions));
      list.append(li);
    }
    if (!roles.length) list.append(el("li", en ? "no role" : "无职责"));
    box.append(list);
    return box;
  }

  function showTab(which) {
    tab = which;
    tabGraph.setAttribute("aria-selected", String(which === "graph"));
    tabMatrix.setAttribute("aria-selected", String(which === "matrix"));
    matrixBox.hidden = which !== "matrix";
    container.classList.toggle("behind", which === "matrix");
    if (which === "matrix") {
      renderMatrix();
      stickHeads();
    } else network.redraw();
    window.dutygraph.tab = which;
  }
  tabGraph.addEventListener("click", () => showTab("graph"));
  tabMatrix.addEventListener("click", () => showTab("matrix"));
  function filtersChanged() {
    render();
    if (tab === "matrix") renderMatrix();
  }
  // Printing prints the matrix (see the print stylesheet): draw it first if it was never shown.
  window.addEventListener("beforeprint", () => renderMatrix());
  const printing = window.matchMedia ? window.matchMedia("print") : null;
  if (printing && printing.addEventListener) printing.addEventListener("change", (event) => { if (event.matches) renderMatrix(); });

  // ---- legend ---------------------------------------------------------------------------------------------
  const legend = document.getElementById("legend");
  const kinds = el("ul");
  function swatchItem(list, background, border, text, cls) {
    const li = el("li");
    const swatch = el("span", null, `swatch ${cls || ""}`);
    swatch.style.background = background;
    if (border) swatch.style.borderColor = border;
    li.append(swatch, el("span", text));
    list.append(li);
  }
  for (const [, background, border, name] of data.legend.kinds) swatchItem(kinds, background, border, name, "box");
  swatchItem(kinds, data.legend.undetermined[0], data.legend.undetermined[1], data.legend.undetermined[2], "box");
  if (Object.keys(data.index).some((id) => data.index[id].kind === "Activity" && !data.paths[id])) {
    swatchItem(kinds, data.legend.no_answer[0], data.legend.no_answer[1], data.legend.no_answer[2], "box");
  }
  swatchItem(kinds, data.legend.lead, null, en ? "leads enforcement (decided)" : "牵头打非（判定结果）", "line");
  legend.append(kinds, el("h2", en ? "Bureaus by system" : "部门（按系统着色）"));
  const systems = el("ul");
  for (const [system, colour] of data.legend.systems) swatchItem(systems, colour, colour, system, "box");
  legend.append(systems);

  window.dutygraph = {
    network, nodes, edges, data, path: null, cell: null, tab, isStable: () => stable, showPath, clearPath, readableScale, showTab, renderMatrix,
  };
})();
