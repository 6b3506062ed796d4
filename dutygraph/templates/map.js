// dutygraph responsibility map. Every text from the dataset is written with textContent, never as HTML.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const en = data.lang === "en";
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const SHAPE_GLYPH = { box: "▭", hexagon: "⬢", dot: "●", diamond: "◆" };
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

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  const network = new vis.Network(document.getElementById("network"), { nodes, edges }, {
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 200, hideEdgesOnDrag: data.nodes.length > 1500, multiselect: false },
    nodes: { font: { face: "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif" } },
    edges: { smooth: data.edges.length > 1500 ? false : { type: "continuous" }, font: { size: 11, align: "middle", strokeWidth: 3 } },
    layout: { improvedLayout: false },
  });
  // Positions are precomputed and physics is off: once the page has its final size, fit and draw once.
  let stable = false;
  requestAnimationFrame(function () {
    network.setSize("100%", "100%");
    network.once("afterDrawing", function () {
      stable = true;
      window.__dutygraphStableAt = performance.now();
      document.body.dataset.ready = "true";
    });
    network.fit();
    network.redraw();
  });
  window.addEventListener("resize", () => network.redraw());
  window.dutygraph = { network, nodes, edges, data, isStable: () => stable };

  document.getElementById("counts").textContent =
    `${data.counts.nodes} ${en ? "nodes" : "个节点"} · ${data.counts.edges} ${en ? "edges" : "条连线"}` +
    (data.counts.undetermined ? ` · ${data.counts.undetermined} ${en ? "undetermined leads" : "项牵头部门无法确定"}` : "");

  // ---- side panel ------------------------------------------------------------------------------------------
  const panel = document.getElementById("panel");

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
    for (const c of ids.map((id) => data.citations[id])) {
      box.append(el("div", `${c.document} ${c.path} [${c.provision}]`, "cite"));
      box.append(el("blockquote", c.quote));
      if (c.version_note) box.append(el("div", `⚠ ${c.version_note}`, "warn"));
    }
    return box;
  }

  function names(list) {
    return list.map((b) => (en && b.name_en) || b.name_zh).join(en ? ", " : "、") || "—";
  }

  function decision(d) {
    const box = el("section", null, "decision");
    box.append(el("h3", en ? "Who leads enforcement against illegal operation?" : "谁牵头打击非法（无证）经营？"));
    if (d.lead) {
      box.append(el("div", (en && d.lead.name_en) || d.lead.name_zh, "lead"));
    } else {
      box.append(el("div", en ? "undetermined — the data does not decide" : "无法确定——现有依据不能决定", "lead undetermined"));
      box.append(facts([[en ? "candidates" : "候选部门", names(d.candidates)]]));
    }
    box.append(facts([
      [en ? "rule" : "规则", RULE_TEXT[d.rule] || d.rule],
      [en ? "cooperating" : "配合部门", names(d.cooperating)],
      [en ? "without" : "缺少许可", d.missing.map((m) => (en && m.name_en) || m.name_zh).join("、") || (en ? "no licence involved" : "不涉及许可")],
    ]));
    box.append(el("h3", en ? "Why, and why not the other rules" : "判定过程（为何适用、为何不适用）"));
    const ol = el("ol", null, "trace");
    for (const step of d.trace) {
      const li = el("li");
      li.append(el("span", `${RULE_TEXT[step.rule] || step.rule}: `, step.outcome), el("span", step.reason));
      ol.append(li);
    }
    box.append(ol);
    if (d.citations.length) {
      box.append(el("h3", en ? "What the decision rests on" : "判定依据（原文）"), citations(d.citations));
    }
    return box;
  }

  function show(detail) {
    panel.replaceChildren();
    const h2 = el("h2");
    h2.append(el("span", detail.kind, "kindtag"), el("span", detail.title));
    panel.append(h2, facts(detail.facts));
    if (detail.list && detail.list.length) {
      panel.append(el("h3", detail.list_title));
      const ul = el("ul");
      for (const item of detail.list) ul.append(el("li", item));
      panel.append(ul);
    }
    if (detail.decision) panel.append(decision(detail.decision));
    if (detail.citations && detail.citations.length) {
      panel.append(el("h3", detail.decision ? (en ? "The activity in the sources" : "活动出处") : (en ? "What it rests on" : "依据（原文）")), citations(detail.citations));
    }
  }

  function select(id) {
    if (!data.details[id]) return;
    if (nodes.get(id)) {
      network.selectNodes([id]);
      network.focus(id, { scale: 1.1, animation: { duration: 300 } });
    }
    show(data.details[id]);
  }

  network.on("click", function (params) {
    if (params.nodes.length) show(data.details[params.nodes[0]]);
    else if (params.edges.length) show(data.details[params.edges[0]]);
  });

  // ---- search ---------------------------------------------------------------------------------------------
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
      button.addEventListener("click", () => select(id));
      li.append(button);
      results.append(li);
    }
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && results.firstChild) results.firstChild.firstChild.click();
  });

  // ---- filters --------------------------------------------------------------------------------------------
  const domainSelect = document.getElementById("filter-domain");
  const bureauSelect = document.getElementById("filter-bureau");
  const kindBox = document.getElementById("filter-kinds");
  for (const [id, name] of data.filters.domains) domainSelect.append(new Option(name, id));
  for (const [id, name] of data.filters.bureaus) bureauSelect.append(new Option(name, id));
  const kindInputs = {};
  for (const [kind, name] of data.filters.kinds) {
    const label = el("label");
    const input = el("input");
    input.type = "checkbox";
    input.checked = true;
    input.value = kind;
    kindInputs[kind] = input;
    label.append(input, el("span", name));
    kindBox.append(label);
  }

  function applyFilters() {
    const domain = domainSelect.value;
    const bureau = bureauSelect.value;
    const near = new Set();
    if (bureau) {
      near.add(bureau);
      for (const id of network.getConnectedNodes(bureau)) near.add(id);
    }
    const updates = data.nodes.map(function (n) {
      const entry = data.index[n.id];
      const visible = kindInputs[entry.kind].checked &&
        (!domain || entry.domains.includes(domain)) &&
        (!bureau || near.has(n.id));
      return { id: n.id, hidden: !visible };
    });
    nodes.update(updates);
  }
  domainSelect.addEventListener("change", applyFilters);
  bureauSelect.addEventListener("change", applyFilters);
  kindBox.addEventListener("change", applyFilters);
  document.getElementById("reset").addEventListener("click", function () {
    domainSelect.value = "";
    bureauSelect.value = "";
    search.value = "";
    results.replaceChildren();
    for (const input of Object.values(kindInputs)) input.checked = true;
    applyFilters();
    network.fit({ animation: { duration: 300 } });
  });

  // ---- legend ---------------------------------------------------------------------------------------------
  const legend = document.getElementById("legend");
  const kinds = el("ul");
  for (const [, shape, name] of data.legend.kinds) {
    const li = el("li");
    li.append(el("span", SHAPE_GLYPH[shape] || "•", "shape"), el("span", name));
    kinds.append(li);
  }
  const lead = el("li");
  const leadSwatch = el("span", null, "swatch");
  leadSwatch.style.background = data.legend.lead;
  lead.append(leadSwatch, el("span", en ? "leads enforcement (decided)" : "牵头打非（判定结果）"));
  kinds.append(lead);
  legend.append(kinds, el("h2", en ? "Bureaus by system" : "部门（按系统着色）"));
  const systems = el("ul");
  for (const [system, colour] of data.legend.systems) {
    const li = el("li");
    const swatch = el("span", null, "swatch");
    swatch.style.background = colour;
    li.append(swatch, el("span", system));
    systems.append(li);
  }
  legend.append(systems);
})();
