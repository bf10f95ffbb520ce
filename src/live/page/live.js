// The live page: a small Foxglove WebSocket protocol client (foxglove.websocket.v1, JSON channels)
// that plots chosen signals, shows the safety latch, loop timing and events, and sends operator
// commands (e-stop, recover) to /api/operator with the run's token. No dependencies, no build step.

const subprotocol = 'foxglove.websocket.v1';
const windowSeconds = 10;
const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#a16207', '#db2777'];
const wantedTopics = new Set([
  '/tether/observation',
  '/tether/command',
  '/tether/timing',
  '/tether/safety',
  '/tether/status',
  '/tether/events',
]);

const $ = (id) => document.getElementById(id);
const decoder = new TextDecoder();

/** Operator token: from the URL fragment once (then removed from the address bar), else this tab's storage. */
function initialToken() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem('tether-token', token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem('tether-token') ?? '';
}

const state = {
  token: initialToken(),
  streamWithToken: false,
  rateHz: 0,
  /** subscription id -> topic */
  subscriptions: new Map(),
  nextSubscription: 1,
  /** label -> { topic, path, color, on, t: number[], v: number[] } */
  signals: new Map(),
  timing: { t: [], compute: [], period: [], missed: 0 },
  samples: 0,
  timingSamples: 0,
  lastTime: 0,
};

// ---------------------------------------------------------------------------------------------
// Protocol

function connect() {
  const url = new URL('/', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // Streaming is open on loopback; a server bound elsewhere refuses the upgrade without the token,
  // and only then does the token go into the URL.
  if (state.streamWithToken && state.token) url.searchParams.set('token', state.token);
  const ws = new WebSocket(url, [subprotocol]);
  ws.binaryType = 'arraybuffer';
  let opened = false;
  ws.onopen = () => {
    opened = true;
    setConnection('live');
  };
  ws.onclose = () => {
    if (!opened) state.streamWithToken = !state.streamWithToken;
    setConnection('offline');
    state.subscriptions.clear();
    setTimeout(connect, 1000);
  };
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') onServerJson(ws, JSON.parse(event.data));
    else onServerBinary(event.data);
  };
}

function onServerJson(ws, message) {
  if (message.op === 'advertise') {
    const subscriptions = [];
    for (const channel of message.channels) {
      if (!wantedTopics.has(channel.topic) || channel.encoding !== 'json') continue;
      const id = state.nextSubscription++;
      state.subscriptions.set(id, channel.topic);
      subscriptions.push({ id, channelId: channel.id });
      if (channel.topic === '/tether/observation' || channel.topic === '/tether/command')
        addSignals(channel.topic, JSON.parse(channel.schema));
    }
    if (subscriptions.length > 0) ws.send(JSON.stringify({ op: 'subscribe', subscriptions }));
  } else if (message.op === 'status' && message.level >= 1) {
    addEvent({ time: state.lastTime, kind: 'server', source: 'live', message: message.message, level: 3 });
  }
}

function onServerBinary(buffer) {
  const view = new DataView(buffer);
  if (view.getUint8(0) !== 1) return; // 1 = message data
  const topic = state.subscriptions.get(view.getUint32(1, true));
  if (topic === undefined) return;
  const body = JSON.parse(decoder.decode(new Uint8Array(buffer, 13)));
  onMessage(topic, body);
}

// ---------------------------------------------------------------------------------------------
// Data

/** Every numeric leaf of a channel's JSON schema except `tick` becomes a signal to choose from. */
function addSignals(topic, schema) {
  const prefix = topic === '/tether/observation' ? '' : 'command ';
  const walk = (properties, path) => {
    for (const [key, value] of Object.entries(properties ?? {})) {
      if (path.length === 0 && key === 'tick') continue;
      if (value.type === 'object') walk(value.properties, [...path, key]);
      else if (value.type === 'number') {
        const label = prefix + [...path, key].join('.');
        if (state.signals.has(label)) continue;
        const index = state.signals.size;
        const on = topic === '/tether/observation' ? index < 2 : countOn('command ') === 0;
        state.signals.set(label, {
          topic,
          path: [...path, key],
          color: palette[index % palette.length],
          on,
          t: [],
          v: [],
        });
      }
    }
  };
  walk(schema.properties, []);
  renderSignalChoices();
}

function countOn(prefix) {
  let n = 0;
  for (const [label, s] of state.signals) if (label.startsWith(prefix) && s.on) n++;
  return n;
}

function trim(t, ...columns) {
  const oldest = t[t.length - 1] - windowSeconds;
  let drop = 0;
  while (drop < t.length && t[drop] < oldest) drop++;
  if (drop > 0) {
    t.splice(0, drop);
    for (const c of columns) c.splice(0, drop);
  }
}

function onMessage(topic, body) {
  switch (topic) {
    case '/tether/observation':
    case '/tether/command': {
      if (!(state.rateHz > 0)) break; // ticks become seconds once the status says the rate
      const t = body.tick / state.rateHz;
      state.lastTime = t;
      for (const s of state.signals.values()) {
        if (s.topic !== topic) continue;
        let value = body;
        for (const key of s.path) value = value?.[key];
        s.t.push(t);
        s.v.push(typeof value === 'number' ? value : Number.NaN);
        trim(s.t, s.v);
      }
      if (topic === '/tether/observation') state.samples++;
      break;
    }
    case '/tether/timing': {
      const g = state.timing;
      g.t.push(body.deadline);
      g.compute.push(body.compute_time * 1e3);
      g.period.push(body.period_error * 1e3);
      g.missed = body.missed_deadlines;
      trim(g.t, g.compute, g.period);
      state.timingSamples++;
      break;
    }
    case '/tether/status':
      renderStatus(body);
      break;
    case '/tether/events':
      addEvent(body);
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

function setConnection(text) {
  const pill = $('connection');
  pill.textContent = text;
  pill.dataset.state = text;
}

function renderStatus(status) {
  state.rateHz = status.rate_hz;
  state.logger = status.logger;
  $('run').textContent = `${status.run} · ${status.robot} · ${status.rate_hz} Hz · tick ${status.tick}`;
  const safety = $('safety');
  safety.dataset.latched = String(status.latched);
  safety.textContent = status.latched ? `LATCHED: ${status.latch_reason}` : 'SAFETY OK';
  const pending = status.pending_switch ? ` (switch to ${status.pending_switch} pending)` : '';
  $('controller').textContent = `${status.controller}${pending} of ${status.controllers}`;
  $('robot-state').textContent = status.robot_state;
  const policies = Object.entries(status.policy ?? {}).map(
    ([name, p]) => `${name}: ${p.model} ${p.version ? `${p.version} ` : ''}sha256 ${p.sha256.slice(0, 12)}`,
  );
  $('policy').textContent = policies.length > 0 ? policies.join('; ') : 'none';
  const c = status.certificate ?? {};
  $('certificate').textContent = `guard ${c.guard}${c.last ? `; last: ${c.last}` : '; no decision yet'}`;
}

function addEvent(event) {
  const list = $('events');
  const item = document.createElement('li');
  const time = typeof event.time === 'number' ? `${event.time.toFixed(3)} s` : '—';
  item.textContent = `[${time}] ${event.kind} (${event.source}): ${event.message}`;
  item.dataset.level = String(event.level ?? 2);
  item.dataset.kind = event.kind;
  list.prepend(item);
  while (list.children.length > 50) list.lastChild.remove();
}

function renderSignalChoices() {
  const box = $('signals');
  box.replaceChildren();
  for (const [label, s] of state.signals) {
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = s.on;
    input.addEventListener('change', () => {
      s.on = input.checked;
    });
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = s.color;
    const wrapper = document.createElement('label');
    wrapper.append(input, swatch, label);
    box.append(wrapper);
  }
}

function drawSeries(canvas, series, unit) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = { left: 56, right: 8, top: 8, bottom: 20 };
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  let tMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    if (s.t.length > 0) tMax = Math.max(tMax, s.t[s.t.length - 1]);
    for (const v of s.v) {
      if (Number.isFinite(v)) {
        yMin = Math.min(yMin, v);
        yMax = Math.max(yMax, v);
      }
    }
  }
  ctx.strokeStyle = '#e5e7eb';
  ctx.fillStyle = '#6b7280';
  ctx.font = '11px sans-serif';
  ctx.lineWidth = 1;
  if (!Number.isFinite(tMax) || !Number.isFinite(yMin)) {
    ctx.fillText('waiting for data…', pad.left + 8, height / 2);
    return;
  }
  if (yMax - yMin < 1e-9) {
    yMax += 0.5;
    yMin -= 0.5;
  }
  const margin = (yMax - yMin) * 0.08;
  yMin -= margin;
  yMax += margin;
  const tMin = tMax - windowSeconds;
  const x = (t) => pad.left + ((t - tMin) / windowSeconds) * (width - pad.left - pad.right);
  const y = (v) => pad.top + ((yMax - v) / (yMax - yMin)) * (height - pad.top - pad.bottom);
  for (let k = 0; k <= 4; k++) {
    const v = yMin + ((yMax - yMin) * k) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.left, y(v));
    ctx.lineTo(width - pad.right, y(v));
    ctx.stroke();
    ctx.fillText(`${v.toPrecision(3)}${unit}`, 4, y(v) + 4);
  }
  ctx.fillText(`${tMin.toFixed(1)} s`, pad.left, height - 4);
  ctx.fillText(`${tMax.toFixed(1)} s`, width - pad.right - 40, height - 4);
  ctx.lineWidth = 2;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < s.t.length; i++) {
      const v = s.v[i];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(x(s.t[i]), y(v));
      else ctx.moveTo(x(s.t[i]), y(v));
      pen = true;
    }
    ctx.stroke();
  }
}

function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function render() {
  const plot = $('plot');
  drawSeries(
    plot,
    [...state.signals.values()].filter((s) => s.on),
    '',
  );
  plot.dataset.samples = String(state.samples);
  const g = state.timing;
  const timing = $('timing');
  drawSeries(
    timing,
    [
      { t: g.t, v: g.compute, color: '#2563eb' },
      { t: g.t, v: g.period, color: '#ea580c' },
    ],
    ' ms',
  );
  timing.dataset.samples = String(state.timingSamples);
  const us = (ms) => (Number.isFinite(ms) ? `${(ms * 1e3).toFixed(0)} µs` : '—');
  $('timing-text').textContent =
    `compute p50 ${us(percentile(g.compute, 0.5))} p99 ${us(percentile(g.compute, 0.99))} (blue) · ` +
    `period error p99 ${us(percentile(g.period, 0.99))} (orange) · missed deadlines ${g.missed}` +
    (state.logger?.logging ? ` · log dropped ${state.logger.dropped_ticks} ticks` : '');
}

// ---------------------------------------------------------------------------------------------
// Operator

async function command(line) {
  const reply = $('operator-reply');
  if (!state.token) {
    reply.textContent = 'enter the operator token printed by tether first';
    $('token').focus();
    return;
  }
  try {
    const response = await fetch('/api/operator', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ command: line }),
    });
    const body = await response.json();
    reply.textContent = `${line}: ${body.ok ? '' : 'refused: '}${body.message}`;
    reply.dataset.ok = String(body.ok);
  } catch (error) {
    reply.textContent = `${line}: ${error}`;
    reply.dataset.ok = 'false';
  }
}

$('token').value = state.token;
$('token').addEventListener('change', (event) => {
  state.token = event.target.value.trim();
  sessionStorage.setItem('tether-token', state.token);
});
$('estop').addEventListener('click', () => command('estop'));
$('recover').addEventListener('click', () => command('recover'));
$('window-seconds').textContent = String(windowSeconds);
setInterval(render, 100);
connect();
