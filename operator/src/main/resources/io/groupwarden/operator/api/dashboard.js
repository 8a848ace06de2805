// The groupwarden dashboard: reads the insight API with the bearer token kept for this browser
// session, draws with uPlot, and follows a group live over its WebSocket. Every value from the API
// is written as text (never as HTML).
"use strict";

(function () {
  const TOKEN_KEY = "groupwarden.token";
  const REFRESH_MS = 10000;
  const main = document.getElementById("main");
  const liveStatus = document.getElementById("live-status");
  const signOut = document.getElementById("sign-out");
  let stop = []; // what to undo when the page changes: timers, sockets, listeners

  // ---- the token: from #token=… once, then from this session's storage only --------------------
  function takeTokenFromUrl() {
    const match = /^#token=([^&]*)/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, "", location.pathname + "#/");
    }
  }
  const token = () => sessionStorage.getItem(TOKEN_KEY);

  class Refused extends Error {}

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: "Bearer " + token() } });
    if (response.status === 401) {
      throw new Refused("refused");
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error || response.status + " " + response.statusText);
    }
    return body;
  }

  // ---- DOM: elements with text, never HTML --------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function show(...content) {
    main.replaceChildren(...content.filter((c) => c !== null && c !== undefined && c !== false));
  }

  // ---- humane numbers and times ---------------------------------------------------------------------
  function num(n) {
    if (n === null || n === undefined) return "–";
    if (n < 0) return n === -1 ? "unreachable" : String(n);
    const units = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
    for (const [size, unit] of units) {
      if (n >= size) {
        const v = n / size;
        return (v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(1).replace(/\.0$/, "") : v.toFixed(1).replace(/\.0$/, "")) + unit;
      }
    }
    return String(Math.round(n));
  }
  function dur(seconds) {
    if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–";
    if (seconds < 1) return seconds === 0 ? "0s" : seconds.toFixed(2).replace(/0$/, "") + "s";
    if (seconds < 10) return seconds.toFixed(1).replace(/\.0$/, "") + "s";
    let s = Math.round(seconds);
    const d = Math.floor(s / 86400); s -= d * 86400;
    const hr = Math.floor(s / 3600); s -= hr * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d) return d + "d " + hr + "h";
    if (hr) return hr + "h " + m + "m";
    if (m) return m + "m " + s + "s";
    return s + "s";
  }
  function pct(fraction) {
    return fraction === null || fraction === undefined ? "–" : (fraction * 100).toFixed(1).replace(/\.0$/, "") + "%";
  }
  function when(iso) {
    if (!iso) return "–";
    const date = new Date(iso);
    const today = new Date().toDateString() === date.toDateString();
    return today ? date.toLocaleTimeString() : date.toLocaleString();
  }
  function ago(iso) {
    if (!iso) return "";
    return dur(Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000)) + " ago";
  }
  const badge = (health) => h("span", { class: "badge " + health }, String(health).toLowerCase());
  const enc = encodeURIComponent;
  const groupLink = (cluster, group) => "#/groups/" + enc(cluster) + "/" + enc(group);

  function table(label, headers, rows, empty) {
    if (!rows.length) return h("p", { class: "muted" }, empty || "None.");
    return h("div", { class: "table-wrap" },
      h("table", { "aria-label": label },
        h("thead", {}, h("tr", {}, headers.map(([text, numeric]) => h("th", { class: numeric ? "num" : null, scope: "col" }, text)))),
        h("tbody", {}, rows)));
  }
  const td = (content, numeric) => h("td", { class: numeric ? "num" : null }, content);
  const card = (label, value, sub, id) => h("div", { class: "card" },
    h("div", { class: "label" }, label), h("div", { class: "value", id: id || null }, value), sub ? h("div", { class: "sub" }, sub) : null);

  // ---- charts -----------------------------------------------------------------------------------------
  const PALETTE = ["#1f5fbf", "#c2261f", "#1a7f37", "#9a6700", "#7e3ab8", "#0e7490", "#be185d", "#4d7c0f"];

  function chart(title, id, seriesNames, data, options) {
    const box = h("div", { class: "plot", id: id, role: "img", "aria-label": title });
    const section = h("section", { class: "chart", "aria-label": title }, h("h3", {}, title), box);
    requestAnimationFrame(() => {
      if (!box.isConnected || typeof uPlot === "undefined") return;
      const width = Math.max(260, box.clientWidth);
      const series = [{ value: (u, v) => (v == null ? "–" : new Date(v * 1000).toLocaleTimeString()) }];
      seriesNames.forEach((s, i) => series.push(Object.assign({
        label: s.label, stroke: s.color || PALETTE[i % PALETTE.length], width: s.width || 1.5,
        scale: s.scale || "y", spanGaps: true, points: { show: true, size: 3 },
        value: (u, v) => (v == null ? "–" : (s.format || num)(v)),
      }, s.dash ? { dash: s.dash, points: { show: false } } : {})));
      const plot = new uPlot(Object.assign({
        width: width, height: width < 500 ? 200 : 240, series: series,
        axes: [{}, { values: (u, vals) => vals.map((v) => (options && options.axis ? options.axis(v) : num(v))), size: 60 }],
        scales: { x: { time: true } },
        legend: { live: true },
      }, options && options.extra ? options.extra : {}), data, box);
      box.plot = plot;
      const resize = () => plot.setSize({ width: Math.max(260, box.clientWidth), height: plot.height });
      window.addEventListener("resize", resize);
      stop.push(() => { window.removeEventListener("resize", resize); plot.destroy(); });
    });
    return section;
  }

  // ---- pages --------------------------------------------------------------------------------------------
  async function overview() {
    const [clusters, groups, monitors] = await Promise.all([
      api("/api/v1/clusters"), api("/api/v1/consumers/groups"), api("/api/v1/lagmonitors")]);
    const all = [];
    groups.clusters.forEach((c) => c.groups.forEach((g) => all.push(Object.assign({ cluster: c.cluster }, g))));
    const byHealth = { HEALTHY: 0, WARNING: 0, CRITICAL: 0 };
    const byState = {};
    let totalLag = 0, stuck = 0, lost = 0, worst = null;
    all.forEach((g) => {
      byHealth[g.health]++;
      byState[g.state] = (byState[g.state] || 0) + 1;
      totalLag += g.lag.total;
      stuck += g.stuckPartitions;
      lost += g.recordsLost;
      if (g.sloCompliance !== null && (worst === null || g.sloCompliance < worst.sloCompliance)) worst = g;
    });
    const sources = { healthy: 0, degraded: 0, unhealthy: 0 };
    monitors.lagmonitors.forEach((m) => Object.entries(m.sourcesByHealth).forEach(([k, v]) => (sources[k] += v)));
    const order = { CRITICAL: 0, WARNING: 1, HEALTHY: 2 };
    all.sort((a, b) => order[a.health] - order[b.health] || b.lag.total - a.lag.total || a.groupId.localeCompare(b.groupId));
    show(
      h("h1", {}, "Overview"),
      h("div", { class: "cards" },
        card("Groups", String(all.length), byHealth.HEALTHY + " healthy · " + byHealth.WARNING + " warning · " + byHealth.CRITICAL + " critical", "kpi-groups"),
        card("Total lag", num(totalLag), "messages over every group", "kpi-total-lag"),
        card("Worst SLO compliance", worst ? pct(worst.sloCompliance) : "–", worst ? worst.groupId : "no group judged yet", "kpi-worst-slo"),
        card("Stuck partitions", String(stuck), stuck ? "see the groups below" : "every partition makes progress", "kpi-stuck"),
        card("Records lost", num(lost), lost ? "deleted by retention before they were consumed" : "nothing lost to retention", "kpi-lost"),
        card("LagMonitor sources", String(sources.healthy + sources.degraded + sources.unhealthy),
          sources.healthy + " healthy · " + sources.degraded + " degraded · " + sources.unhealthy + " unhealthy", "kpi-sources")),
      h("p", { class: "muted" }, "Groups by state: " + (Object.entries(byState).map(([s, n]) => s + " " + n).join(", ") || "none")),
      h("h2", {}, "Consumer groups"),
      table("Consumer groups", [["Group"], ["Cluster"], ["Health"], ["State"], ["Members", 1], ["Lag", 1], ["Lag time p95", 1], ["SLO", 1], ["Gini", 1], ["Rebalance", 1], ["Stuck", 1], ["Lost", 1], ["Catch up", 1]],
        all.map((g) => h("tr", { "data-group": g.groupId },
          td(h("a", { href: groupLink(g.cluster, g.groupId) }, g.groupId)), td(g.cluster), td(badge(g.health)), td(g.state),
          td(String(g.members), 1), td(num(g.lag.total), 1), td(dur(g.lagSeconds.p95), 1), td(pct(g.sloCompliance), 1),
          td(g.fairnessGini.toFixed(2), 1), td(String(g.rebalanceScore), 1), td(String(g.stuckPartitions), 1),
          td(num(g.recordsLost), 1), td(g.catchUp || "–", 1))),
        "No ConsumerGroupPolicy has been evaluated yet."),
      h("h2", {}, "Policies"),
      table("ConsumerGroupPolicies", [["Policy"], ["Health"], ["Groups", 1], ["Members", 1], ["Total lag", 1], ["Worst SLO", 1], ["Stuck", 1], ["Evaluated"], ["Served from"]],
        clusters.clusters.map((c) => h("tr", {},
          td(c.cluster), td(badge(c.health)), td(String(c.groups), 1), td(String(c.members), 1), td(num(c.totalLag), 1),
          td(pct(c.worstCompliance), 1), td(String(c.stuckPartitions), 1), td(when(c.evaluatedAt)), td(c.servedFrom.toLowerCase()))),
        "None yet."),
      h("h2", {}, "LagMonitors"),
      monitorTable(monitors.lagmonitors));
    schedule(overview);
  }

  function monitorTable(monitors) {
    return table("LagMonitors", [["LagMonitor"], ["Health"], ["Sources", 1], ["Total lag", 1], ["Max lag", 1], ["Checked"]],
      monitors.map((m) => h("tr", {},
        td(h("a", { href: "#/lagmonitors/" + m.lagmonitor.split("/").map(enc).join("/") }, m.lagmonitor)), td(badge(m.health)),
        td(String(m.sources.length), 1), td(num(m.totalLag), 1), td(num(m.maxLag), 1), td(when(m.checkedAt)))),
      "No LagMonitor has been checked yet.");
  }

  async function groupPage(cluster, group) {
    const q = "?cluster=" + enc(cluster);
    const base = "/api/v1/consumers/groups/" + enc(group);
    const [detail, history] = await Promise.all([api(base + q), api(base + "/history" + q + "&partitions=8")]);
    const g = detail.group;
    const slo = detail.slo || {};
    const sec = (ms) => ms / 1000;
    const times = history.times.map(sec);
    const lagSeries = [{ label: "total", width: 2 }].concat(history.partitions.map((p) => ({ label: p.ref.topic + "-" + p.ref.partition })));
    const lagData = [times, history.totalLag].concat(history.partitions.map((p) => p.lag));
    if (slo.maxLagP95Messages != null) {
      lagSeries.push({ label: "SLO bound", color: "#c2261f", dash: [6, 4], width: 1 });
      lagData.push(times.map(() => slo.maxLagP95Messages));
    }
    const secondsSeries = [{ label: "max", width: 2 }].concat(history.partitions.map((p) => ({ label: p.ref.topic + "-" + p.ref.partition, format: dur })));
    secondsSeries[0].format = dur;
    const secondsData = [times, history.maxLagSeconds].concat(history.partitions.map((p) => p.lagSeconds));
    if (slo.maxLagP95Seconds != null) {
      secondsSeries.push({ label: "SLO bound", color: "#c2261f", dash: [6, 4], width: 1, format: dur });
      secondsData.push(times.map(() => slo.maxLagP95Seconds));
    }
    const trend = history.trend;
    const trendTimes = trend.times.map(sec);
    const scoreData = [trendTimes,
      trend.sloCompliance.map((v) => (v == null ? null : v * 100)),
      trendTimes.map(() => (slo.complianceTarget != null ? slo.complianceTarget * 100 : null)),
      trend.rebalanceScore,
      trend.fairnessGini.map((v) => (v == null ? null : v * 100))];

    const memberRows = detail.memberDetails.map((m) => h("tr", {},
      td(m.clientId || "–"), td(m.host || "–"), td(String(m.partitions), 1),
      td(m.assignment.map((r) => r.topic + "-" + r.partition).join(", ") || "–"), td(m.instanceId || m.memberId)));
    const stuckRows = g.stuckPartitions.map((s) => h("tr", {},
      td(s.ref.topic + "-" + s.ref.partition), td(s.reason), td(when(s.since) + " (" + ago(s.since) + ")"),
      td(num(s.committedOffset), 1), td(num(s.lag), 1)));
    const partitionRows = g.partitions.map((p) => h("tr", {},
      td(p.ref.topic + "-" + p.ref.partition), td(num(p.lag), 1), td(dur(p.lagSeconds), 1),
      td(p.committedOffset == null ? "none (from log start)" : num(p.committedOffset), 1), td(p.owner || "unassigned"),
      td(p.recordsLost ? num(p.recordsLost) : "–", 1), td(p.catchUp || "–", 1), td(p.lossInSeconds == null ? "–" : dur(p.lossInSeconds), 1)));

    show(
      h("h1", {}, "Group ", g.groupId),
      h("div", { class: "meta" }, badge(detail.health), h("span", { id: "group-state" }, g.state), h("span", {}, detail.cluster),
        h("span", {}, "evaluated ", h("time", { id: "evaluated-at", datetime: detail.evaluatedAt }, when(detail.evaluatedAt))),
        detail.servedFrom === "SNAPSHOT" ? h("span", { class: "badge info" }, "standby: from the leader's snapshot") : null),
      h("div", { class: "cards" },
        card("Total lag", num(g.lag.total), "p95 " + num(g.lag.p95) + " · max " + num(g.lag.max), "kpi-total-lag"),
        card("Lag time", dur(g.lagSeconds.max), "p95 " + dur(g.lagSeconds.p95), "kpi-lag-seconds"),
        card("SLO compliance", pct(g.sloCompliance), "target " + pct(slo.complianceTarget) + (slo.maxLagP95Seconds != null ? " under " + dur(slo.maxLagP95Seconds) : slo.maxLagP95Messages != null ? " under " + num(slo.maxLagP95Messages) + " messages" : ""), "kpi-slo"),
        card("Fairness (Gini)", g.fairnessGini.toFixed(2), g.fair ? "fair" : "unfair", "kpi-gini"),
        card("Rebalance score", String(g.rebalanceScore), g.rebalances + " rebalance(s) in the window", "kpi-rebalance"),
        card("Members", String(g.members), "coverage " + pct(g.coverage), "kpi-members"),
        card("Lost", num(g.recordsLost), lostSub(g), "kpi-lost"),
        card("Catch up", g.catchUp || "–", catchUpSub(g), "kpi-catch-up")),
      h("h2", {}, "Recommendation"),
      h("p", { class: "recommendation", id: "recommendation" }, g.recommendation.fullText || g.recommendation.message),
      h("h2", {}, "Findings"),
      findingList(g.findings),
      autoscaler(detail.autoscale, g.desiredReplicas),
      h("h2", {}, "Over time"),
      h("div", { class: "charts" },
        chart("Lag (messages)", "chart-lag", lagSeries, lagData),
        chart("Lag (time)", "chart-lag-seconds", secondsSeries, secondsData, { axis: dur }),
        chart("SLO compliance, rebalance score, Gini (%)", "chart-scores",
          [{ label: "SLO compliance %", width: 2, format: (v) => v.toFixed(1) + "%" },
            { label: "SLO target", color: "#c2261f", dash: [6, 4], format: (v) => v.toFixed(0) + "%" },
            { label: "rebalance score", format: (v) => String(v) },
            { label: "Gini ×100", format: (v) => (v / 100).toFixed(2) }],
          scoreData, { axis: (v) => String(v), extra: { scales: { x: { time: true }, y: { range: [0, 100] } } } })),
      h("h2", {}, "Members"),
      table("Members", [["Client id"], ["Host"], ["Partitions", 1], ["Assignment"], ["Member"]], memberRows, "No members."),
      h("h2", {}, "Stuck partitions"),
      table("Stuck partitions", [["Partition"], ["Reason"], ["Since"], ["Committed offset", 1], ["Lag", 1]], stuckRows, "Every partition makes progress."),
      h("h2", {}, "Retention"),
      table("Records lost to retention", [["Partition"], ["Lost", 1], ["Committed offset", 1], ["Log start", 1], ["Since"]],
        g.overrunPartitions.map((o) => h("tr", {},
          td(o.ref.topic + "-" + o.ref.partition), td(num(o.recordsLost), 1), td(num(o.committedOffset), 1),
          td(num(o.logStartOffset), 1), td(when(o.since) + " (" + ago(o.since) + ")"))),
        "No partition lost records to retention."),
      g.lossAtRisk.length ? table("Records at risk", [["Partition"], ["Loss in", 1], ["Lag", 1], ["Limit"]],
        g.lossAtRisk.map((r) => h("tr", {},
          td(r.ref.topic + "-" + r.ref.partition), td(dur(r.lossInSeconds), 1), td(num(r.lag), 1), td(r.limit)))) : null,
      h("h2", {}, "Partitions"),
      table("Partitions", [["Partition"], ["Lag", 1], ["Lag time", 1], ["Committed", 1], ["Owner"], ["Lost", 1], ["Catch up", 1], ["Loss in", 1]], partitionRows),
      h("h2", {}, "Recent changes"),
      h("ul", { class: "plain", id: "changes" }, detail.changes.slice().reverse().map(changeItem)),
      detail.changes.length ? null : h("p", { class: "muted", id: "no-changes" }, "No membership or state change seen yet."),
      h("h2", {}, "Recent Events"),
      table("Events", [["Type"], ["Reason"], ["Message"], ["Count", 1], ["Last seen"]],
        detail.events.map((e) => h("tr", {}, td(e.type), td(e.reason), td(e.message), td(String(e.count), 1), td(when(e.lastTimestamp)))),
        "No Events about this policy."));
    follow(detail.cluster, g.groupId);
  }

  function lostSub(g) {
    if (!g.recordsLost) return "nothing lost to retention";
    return "on " + g.overrunPartitions.length + " partition(s), by retention";
  }
  function catchUpSub(g) {
    if (g.lossAtRisk.length) return g.lossAtRisk.length + " partition(s) at risk of loss";
    return "at the rates over the SLO window";
  }

  // Every finding, most severe first: what is wrong, what to do, and the numbers behind it.
  function findingList(findings) {
    if (!findings.length) return h("p", { class: "muted", id: "findings" }, "No problem found.");
    return h("ol", { class: "findings", id: "findings", "aria-label": "Findings" }, findings.map((f) => h("li", { class: "finding", "data-type": f.type },
      h("div", { class: "finding-head" }, badge(f.severity), h("strong", {}, f.type),
        f.partition ? h("span", { class: "muted" }, f.partition.topic + "-" + f.partition.partition) : null,
        f.since ? h("span", { class: "muted" }, "since " + when(f.since)) : null),
      h("div", {}, f.message),
      h("div", { class: "advice" }, "→ " + f.advice),
      Object.keys(f.numbers).length ? h("div", { class: "numbers" }, Object.entries(f.numbers).map(([k, v]) => h("span", {}, k + " " + figure(k, v)))) : null)));
  }
  // A finding's figure as people read it: durations in time, shares in percent, counts humane.
  function figure(name, value) {
    if (/Seconds$/.test(name)) return dur(value);
    if (/PerSecond$/.test(name)) return num(value) + "/s";
    if (/gini/i.test(name)) return value.toFixed(2);
    if (/compliance/i.test(name)) return pct(value);
    if (/Offset$|^rewoundFrom$/.test(name)) return String(value);
    return Number.isInteger(value) ? num(value) : String(Math.round(value * 100) / 100);
  }

  // The autoscaler's last decision for the policy, and what the lag asks for now.
  function autoscaler(a, wanted) {
    if (!a && wanted == null) return null;
    const parts = [];
    if (a) {
      parts.push((a.target || "workload") + ": " + (a.currentReplicas ?? "?") + " → " + (a.desiredReplicas ?? "?") + " replica(s)");
      if (a.lastScaleTime) parts.push("last scaled " + when(a.lastScaleTime) + " (" + ago(a.lastScaleTime) + ")");
      if (a.message) parts.push(a.message);
    }
    if (wanted != null) parts.push(wanted + " consumer(s) wanted now");
    return h("p", { class: "muted", id: "autoscaler" }, "Autoscaler: " + parts.join(" · "));
  }

  function changeItem(c) {
    const text = c.type === "state-change"
      ? "state " + c.from + " → " + c.to
      : (c.type === "member-joined" ? "joined: " : "left: ") + (c.clientId || c.member) + (c.host ? " on " + c.host : "");
    return h("li", {}, h("time", { datetime: c.at }, when(c.at)), " ", text);
  }

  // The group's live feed: values and charts move with each message; changes are listed as they come.
  function follow(cluster, group) {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + location.host + "/ws/consumers/groups/" + enc(group) + "/live?interval=2&cluster=" + enc(cluster) + "&access_token=" + enc(token());
    const socket = new WebSocket(url);
    let messages = 0;
    socket.onopen = () => { liveStatus.textContent = "live"; liveStatus.classList.add("on"); };
    socket.onclose = () => { liveStatus.textContent = "live feed closed"; liveStatus.classList.remove("on"); };
    socket.onmessage = (event) => {
      const m = JSON.parse(event.data);
      if (m.type === "group") {
        messages++;
        liveStatus.textContent = "live · " + messages + " update(s)";
        liveStatus.dataset.updates = String(messages);
        const g = m.group;
        setText("kpi-total-lag", num(g.lag.total));
        setText("kpi-lag-seconds", dur(g.lagSeconds.max));
        setText("kpi-slo", pct(g.sloCompliance));
        setText("kpi-gini", g.fairnessGini.toFixed(2));
        setText("kpi-rebalance", String(g.rebalanceScore));
        setText("kpi-members", String(g.members));
        setText("group-state", g.state);
        setText("recommendation", g.recommendation.fullText || g.recommendation.message);
        setText("kpi-lost", num(g.recordsLost));
        setText("kpi-catch-up", g.catchUp || "–");
        const findings = document.getElementById("findings");
        if (findings) findings.replaceWith(findingList(g.findings));
        const at = document.getElementById("evaluated-at");
        if (at && at.getAttribute("datetime") !== m.evaluatedAt) {
          at.setAttribute("datetime", m.evaluatedAt);
          at.textContent = when(m.evaluatedAt);
          const t = new Date(m.evaluatedAt).getTime() / 1000;
          append("chart-lag", t, [g.lag.total]);
          append("chart-lag-seconds", t, [g.lagSeconds.max]);
          append("chart-scores", t, [g.sloCompliance == null ? null : g.sloCompliance * 100, null, g.rebalanceScore, g.fairnessGini * 100]);
        }
      } else if (m.type && m.type !== "group") {
        const list = document.getElementById("changes");
        if (list) list.prepend(changeItem(m));
        const none = document.getElementById("no-changes");
        if (none) none.remove();
      }
    };
    stop.push(() => { socket.onclose = null; socket.close(); liveStatus.textContent = ""; liveStatus.classList.remove("on"); });
  }

  function setText(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  // Appends one point to a chart's first series (the others get a gap, or the given values).
  function append(id, time, values) {
    const box = document.getElementById(id);
    if (!box || !box.plot) return;
    const data = box.plot.data.map((column) => Array.from(column));
    if (data[0].length && data[0][data[0].length - 1] >= time) return;
    data[0].push(time);
    for (let i = 1; i < data.length; i++) {
      const given = values[i - 1];
      const previous = data[i].length ? data[i][data[i].length - 1] : null;
      // a constant series (the SLO bound) carries on; others get the value given, or a gap
      data[i].push(given !== undefined && given !== null ? given : (box.plot.series[i].dash ? previous : null));
    }
    box.plot.setData(data);
  }

  async function topicsPage() {
    const topics = await api("/api/v1/consumers/topics");
    show(h("h1", {}, "Topics"),
      table("Topics", [["Topic"], ["Health"], ["Partitions", 1], ["Groups", 1], ["Coverage", 1], ["Lag", 1]],
        topics.topics.map((t) => h("tr", {},
          td(h("a", { href: "#/topics/" + enc(t.topic) }, t.topic)), td(t.health ? badge(t.health) : "–"), td(String(t.partitions), 1),
          td(String(t.consumers.length), 1), td(pct(t.coverage), 1), td(num(t.lag), 1))),
        "No governed group consumes a topic yet."));
    schedule(topicsPage);
  }

  async function topicPage(topic) {
    const t = await api("/api/v1/consumers/topics/" + enc(topic) + "/detail");
    show(h("h1", {}, "Topic ", t.topic),
      h("div", { class: "cards" },
        card("Health", t.health ? t.health.toLowerCase() : "–", "worst of its consumers", "kpi-topic-health"),
        card("Partitions", String(t.partitionCount)),
        card("Coverage", pct(t.coverage), "partitions a governed member is assigned"),
        card("Consumer groups", String(t.consumers.length))),
      h("h2", {}, "Groups that consume it"),
      table("Consumers", [["Group"], ["Cluster"], ["Health"], ["State"], ["Members", 1], ["Lag", 1], ["Coverage", 1]],
        t.consumers.map((c) => h("tr", {},
          td(h("a", { href: groupLink(c.cluster, c.group) }, c.group)), td(c.cluster), td(badge(c.health)), td(c.state),
          td(String(c.members), 1), td(num(c.lag), 1), td(pct(c.coverage), 1))), t.note),
      h("h2", {}, "Partitions"),
      table("Partitions", [["Group"], ["Partition", 1], ["Lag", 1], ["Lag time", 1], ["Committed", 1], ["Owner"]],
        t.partitions.map((p) => h("tr", {}, td(p.group), td(String(p.partition), 1), td(num(p.lag), 1), td(dur(p.lagSeconds), 1),
          td(p.committedOffset == null ? "none" : num(p.committedOffset), 1), td(p.owner || "unassigned")))));
    schedule(() => topicPage(topic));
  }

  async function monitorsPage() {
    const monitors = await api("/api/v1/lagmonitors");
    show(h("h1", {}, "LagMonitors"), monitorTable(monitors.lagmonitors));
    schedule(monitorsPage);
  }

  async function monitorPage(name) {
    const m = await api("/api/v1/lagmonitors/" + name.split("/").map(enc).join("/"));
    const arrows = { rising: "↗ rising", falling: "↘ falling", flat: "→ flat" };
    const times = [];
    m.sources.forEach((s) => s.trend.times.forEach((t) => { if (!times.includes(t)) times.push(t); }));
    times.sort((a, b) => a - b);
    const data = [times.map((t) => t / 1000)].concat(m.sources.map((s) => times.map((t) => {
      const i = s.trend.times.indexOf(t);
      return i < 0 || s.trend.lag[i] < 0 ? null : s.trend.lag[i];
    })));
    show(h("h1", {}, "LagMonitor ", m.lagmonitor),
      h("div", { class: "meta" }, badge(m.health), h("span", {}, "checked " + when(m.checkedAt)),
        h("span", {}, "degraded above " + num(m.thresholds.degraded) + ", unhealthy above " + num(m.thresholds.unhealthy) + " messages")),
      h("div", { class: "cards" },
        card("Total lag", num(m.totalLag)), card("Max lag", num(m.maxLag)),
        card("Sources", String(m.sources.length), m.sourcesByHealth.healthy + " healthy · " + m.sourcesByHealth.degraded + " degraded · " + m.sourcesByHealth.unhealthy + " unhealthy")),
      h("h2", {}, "Lag over time"),
      h("div", { class: "charts" }, chart("Lag per source (messages)", "chart-sources",
        m.sources.map((s) => ({ label: s.kind + " " + s.name + " / " + (s.group || "all") })), data)),
      h("h2", {}, "Sources"),
      table("Sources", [["Kind"], ["Topic or stream"], ["Group"], ["Health"], ["Lag", 1], ["Trend"], ["Consumers"], ["Note"]],
        m.sources.map((s) => h("tr", {},
          td(s.kind), td(s.name), td(s.group || "–"), td(badge(s.health)), td(num(s.lag), 1), td(s.direction ? arrows[s.direction] : "–"),
          td(s.consumers.map((c) => c.name).join(", ") || "–"), td(s.error || s.note || ""))),
        "No sources."));
    schedule(() => monitorPage(name));
  }

  function schedule(again) {
    const timer = setTimeout(() => run(again), REFRESH_MS);
    stop.push(() => clearTimeout(timer));
  }

  // ---- routing, errors, the token form --------------------------------------------------------------
  function askForToken(message) {
    signOut.hidden = true;
    const input = h("input", { type: "password", id: "token-input", name: "token", autocomplete: "off", "aria-label": "API token", placeholder: "API token" });
    show(h("h1", {}, "Sign in"),
      message ? h("p", { class: "notice", id: "token-refused", role: "alert" }, message) : null,
      h("p", {}, "The dashboard reads the insight API, which needs the bearer token the operator was given (GROUPWARDEN_API_TOKEN). ",
        "It is kept for this browser session only. ./run-local.sh prints a link that carries it as /#token=…"),
      h("form", { class: "token", onsubmit: (e) => { e.preventDefault(); sessionStorage.setItem(TOKEN_KEY, input.value.trim()); route(); } },
        input, h("button", { type: "submit" }, "Open the dashboard")));
    input.focus();
  }

  async function run(page) {
    try {
      await page();
    } catch (e) {
      if (e instanceof Refused) {
        sessionStorage.removeItem(TOKEN_KEY);
        cleanUp();
        askForToken("The operator refused this token (401 Unauthorized). Check the token and try again.");
      } else {
        show(h("h1", {}, "Not available"), h("p", { class: "notice", role: "alert" }, e.message), h("p", {}, h("a", { href: "#/" }, "Back to the overview")));
        schedule(page);
      }
    }
  }

  function cleanUp() {
    stop.forEach((undo) => undo());
    stop = [];
  }

  function route() {
    cleanUp();
    takeTokenFromUrl();
    if (!token()) {
      askForToken(null);
      return;
    }
    signOut.hidden = false;
    const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    const section = parts[0] || "overview";
    document.querySelectorAll("[data-nav]").forEach((a) =>
      a.setAttribute("aria-current", a.dataset.nav === section || (section === "groups" && a.dataset.nav === "overview") ? "page" : "false"));
    let page;
    if (section === "groups" && parts.length >= 3) page = () => groupPage(parts[1], parts.slice(2).join("/"));
    else if (section === "topics" && parts[1]) page = () => topicPage(parts.slice(1).join("/"));
    else if (section === "topics") page = topicsPage;
    else if (section === "lagmonitors" && parts[2]) page = () => monitorPage(parts[1] + "/" + parts[2]);
    else if (section === "lagmonitors") page = monitorsPage;
    else page = overview;
    run(page).then(() => { if (document.activeElement === document.body) main.focus({ preventScroll: true }); });
  }

  signOut.addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); route(); });
  window.addEventListener("hashchange", route);
  route();
})();
