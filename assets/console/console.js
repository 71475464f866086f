// The moderators' console page. It reads the show from /api/state and the live feed (/api/feed, a WebSocket),
// and sends every action to the JSON API with the session's CSRF token. Viewer text is untrusted: it is only ever
// set as textContent, never parsed as HTML.
'use strict';

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const NOISE = new Set(['spam', 'abuse', 'injection_attempt']);
const KEEP = 300;

const show = {
  chat: [],          // {comment, label, deleted}
  pending: new Map(),// line -> reply
  transcript: [],    // aired lines, oldest first
  escalations: [],
  health: {},
  products: [],
  moderation: { modes: {}, blocked: [] },
  intents: [],
  actions: [],
  catalog: null,
};

// ---------------------------------------------------------------- helpers

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clock(ms) {
  if (typeof ms !== 'number') return '';
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function kindText(kind) {
  if (typeof kind === 'string') return kind;
  const [name, detail] = Object.entries(kind || {})[0] || ['line', ''];
  return `${name} (${detail})`;
}

function setStatus(text, ok) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = ok ? 'ok' : 'error';
}

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body || {}),
    });
  } catch (e) {
    setStatus(`The console could not reach the show: ${e}`, false);
    return { status: 0, data: {} };
  }
  let data = {};
  try { data = await response.json(); } catch (_) { /* not JSON */ }
  if (response.status === 401) { window.location.assign('/login'); }
  return { status: response.status, data };
}

/// Runs one action and reports the outcome; a 409 with a confirmation token opens the confirmation panel.
async function act(path, body, done) {
  const { status, data } = await post(path, body);
  if (status === 200) {
    setStatus(`Sent: ${data.sent || 'done'}${data.warning ? ` (warning: ${data.warning})` : ''}`, !data.warning);
    if (done) done(data);
  } else if (status === 409 && data.confirm) {
    askToConfirm(path, body, data);
  } else {
    const field = data.field ? ` [${data.field}]` : '';
    setStatus(`Not sent${field}: ${data.error || `HTTP ${status}`}`, false);
  }
  return status;
}

function askToConfirm(path, body, data) {
  const panel = document.getElementById('confirm');
  const preview = data.preview || {};
  document.getElementById('confirm-message').textContent = preview.message || data.error;
  const details = document.getElementById('confirm-details');
  details.replaceChildren();
  const add = (term, value) => { if (value) details.append(el('dt', { text: term }), el('dd', { text: value })); };
  if (preview.price) add('Price', `${preview.price.from} → ${preview.price.to}`);
  if (preview.compare_at) add('Reference price', `${preview.compare_at.from || 'none'} → ${preview.compare_at.to || 'none'}`);
  add('Discount shown', preview.discount);
  add('Ends at', preview.ends_at ? new Date(preview.ends_at).toLocaleString() : null);
  panel.hidden = false;
  const button = document.getElementById('confirm-button');
  button.onclick = async () => {
    panel.hidden = true;
    await act(path, Object.assign({}, body, { confirm: data.confirm }));
  };
  document.getElementById('confirm-cancel').onclick = () => { panel.hidden = true; setStatus('Cancelled; nothing was sent.', true); };
  button.focus();
}

// ---------------------------------------------------------------- rendering

function renderPending() {
  const list = document.getElementById('pending');
  // Keep what a moderator is typing into an open editor: the list is rebuilt whenever the queue changes.
  const drafts = new Map();
  for (const item of list.querySelectorAll('li[data-line]')) {
    const form = item.querySelector('.edit-form');
    if (form && !form.hidden) drafts.set(item.dataset.line, form.querySelector('textarea').value);
  }
  list.replaceChildren();
  document.getElementById('pending-empty').hidden = show.pending.size > 0;
  for (const reply of show.pending.values()) {
    const editor = el('form', { class: 'edit-form', hidden: true },
      el('textarea', { class: 'edit-text', rows: 2, maxlength: 500, 'aria-label': 'New words for this reply' }),
      el('button', { class: 'save-edit primary', type: 'submit', text: 'Approve edited' }));
    const draft = drafts.get(String(reply.line));
    editor.querySelector('textarea').value = draft === undefined ? reply.text : draft;
    if (draft !== undefined) editor.hidden = false;
    editor.addEventListener('submit', (e) => {
      e.preventDefault();
      act(`/api/replies/${reply.line}/edit`, { text: editor.querySelector('textarea').value });
    });
    const trigger = reply.trigger
      ? el('p', { class: 'trigger', text: `answering ${reply.trigger.user_name}: “${reply.trigger.text}”` }) : null;
    list.append(el('li', { dataset: { line: reply.line } },
      el('span', { class: 'meta', text: `line ${reply.line} · ${kindText(reply.kind)}${reply.product ? ` · ${reply.product}` : ''}` }),
      el('p', { class: 'reply-text', text: reply.text }),
      trigger,
      el('div', { class: 'row-actions' },
        el('button', { class: 'approve', type: 'button', text: 'Approve', onclick: () => act(`/api/replies/${reply.line}/approve`) }),
        el('button', { class: 'edit', type: 'button', text: 'Edit', onclick: () => { editor.hidden = !editor.hidden; } }),
        el('button', { class: 'reject', type: 'button', text: 'Reject', onclick: () => act(`/api/replies/${reply.line}/reject`) })),
      editor));
  }
}

function viewerButtons(comment) {
  return el('div', { class: 'row-actions' },
    el('button', { type: 'button', class: 'delete', text: 'Delete', onclick: () => act('/api/comments/delete', { id: comment.id }) }),
    el('button', { type: 'button', class: 'timeout', text: 'Time out 10 min',
      onclick: () => act('/api/viewers/timeout', { user_id: comment.user_id, user_name: comment.user_name, seconds: 600 }) }),
    el('button', { type: 'button', class: 'ban danger', text: 'Ban',
      onclick: () => act('/api/viewers/ban', { user_id: comment.user_id, user_name: comment.user_name }) }));
}

function renderChat() {
  const filter = document.getElementById('chat-filter').value;
  const hideNoise = document.getElementById('hide-noise').checked;
  const search = document.getElementById('chat-search').value.trim().toLowerCase();
  const list = document.getElementById('chat');
  list.replaceChildren();
  for (const entry of show.chat.slice().reverse()) {
    const { comment, label } = entry;
    if (filter && label.intent !== filter) continue;
    if (hideNoise && (NOISE.has(label.intent) || label.flood)) continue;
    if (search && !`${comment.user_name} ${comment.text}`.toLowerCase().includes(search)) continue;
    list.append(el('li', { class: entry.deleted ? 'deleted' : '', dataset: { comment: comment.id } },
      el('span', { class: `label ${label.intent}`, text: label.intent.replaceAll('_', ' ') }),
      label.flood ? el('span', { class: 'label flood', text: 'flood' }) : null,
      el('span', { class: 'meta', text: `${clock(comment.time)} · ${comment.platform} · ${Math.round((label.confidence || 0) * 100)}% ` }),
      el('strong', { text: comment.user_name }), ': ',
      el('span', { class: 'text', text: comment.text }),
      comment.paid ? el('span', { class: 'label', text: `paid ${comment.paid.amount_minor} ${comment.paid.currency}` }) : null,
      viewerButtons(comment)));
  }
}

function renderEscalations() {
  const list = document.getElementById('escalations');
  list.replaceChildren();
  for (const { comment, intent } of show.escalations.slice().reverse()) {
    list.append(el('li', {},
      el('span', { class: `label ${intent}`, text: intent.replaceAll('_', ' ') }),
      el('span', { class: 'meta', text: `${clock(comment.time)} · ${comment.platform} ` }),
      el('strong', { text: comment.user_name }), ': ', el('span', { class: 'text', text: comment.text }),
      viewerButtons(comment)));
  }
}

function renderTranscript() {
  const list = document.getElementById('transcript');
  list.replaceChildren();
  for (const line of show.transcript.slice().reverse()) {
    list.append(el('li', { dataset: { line: line.line } },
      el('span', { class: 'meta', text: `${clock(line.wall)} · ${kindText(line.kind)} · ${line.source}${line.product ? ` · ${line.product}` : ''} · ${line.lang}` }),
      el('p', { class: 'text', text: line.text }),
      line.trigger ? el('p', { class: 'trigger', text: `answering ${line.trigger.user_name}: “${line.trigger.text}”` }) : null,
      line.note ? el('p', { class: 'why', text: `why: ${line.note}` }) : null));
  }
}

function productForms(product) {
  const stock = el('form', { class: 'stock-form' },
    el('input', { type: 'number', min: 0, class: 'narrow', 'aria-label': `Stock of ${product.title}`, placeholder: 'stock' }),
    el('button', { type: 'submit', text: 'Set' }));
  stock.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = stock.querySelector('input').value.trim();
    act('/api/stock', { product: product.id, stock: value === '' ? null : value });
  });
  const price = el('form', { class: 'price-form' },
    el('input', { type: 'text', class: 'narrow price', inputmode: 'decimal', 'aria-label': `New price of ${product.title}`, placeholder: product.price_amount }),
    el('input', { type: 'text', class: 'narrow compare', inputmode: 'decimal', 'aria-label': `Reference price of ${product.title}`, placeholder: 'was (opt.)' }),
    el('button', { type: 'submit', text: 'Change…' }));
  price.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { product: product.id, price: price.querySelector('.price').value };
    const compare = price.querySelector('.compare').value.trim();
    if (compare !== '') body.compare_at = compare === '-' ? null : compare;
    act('/api/price', body);
  });
  const sale = el('form', { class: 'sale-form' },
    el('input', { type: 'text', class: 'narrow', inputmode: 'decimal', 'aria-label': `Flash-sale price of ${product.title}`, placeholder: 'sale price' }),
    el('input', { type: 'number', min: 1, max: 1440, class: 'narrow minutes', 'aria-label': 'Minutes', value: 10 }),
    el('button', { type: 'submit', text: 'Start…' }),
    el('button', { type: 'button', text: 'Stop', onclick: () => act('/api/flash-sale/stop', { product: product.id }) }));
  sale.addEventListener('submit', (e) => {
    e.preventDefault();
    act('/api/flash-sale/start', { product: product.id, price: sale.querySelector('input').value, minutes: sale.querySelector('.minutes').value });
  });
  return { stock, price, sale };
}

function renderProducts() {
  const body = document.querySelector('#products tbody');
  body.replaceChildren();
  for (const product of show.products) {
    const forms = productForms(product);
    body.append(el('tr', { dataset: { product: product.id } },
      el('td', {}, el('strong', { text: product.title }), el('br'), el('span', { class: 'meta', text: product.id })),
      el('td', { text: `${product.price}${product.compare_at ? ` (was ${product.compare_at})` : ''}` }),
      el('td', { text: product.stock === null || product.stock === undefined ? 'unknown' : String(product.stock) }),
      el('td', {}, el('button', { type: 'button', class: 'pin', text: 'Pin', onclick: () => act('/api/pin', { product: product.id }) })),
      el('td', {}, forms.stock), el('td', {}, forms.price), el('td', {}, forms.sale)));
  }
  const catalog = show.catalog;
  document.getElementById('catalog-status').textContent = catalog
    ? `${catalog.rejected ? 'Rejected a change to' : 'Loaded'} ${catalog.path}${catalog.rejected ? '' : `: ${catalog.products} products`}, ${catalog.diagnostics.length} diagnostics`
    : '';
}

function renderModeration() {
  const body = document.querySelector('#modes tbody');
  body.replaceChildren();
  for (const intent of show.intents) {
    const select = el('select', { 'aria-label': `Replies to ${intent.replaceAll('_', ' ')}`, dataset: { intent } },
      ...['auto', 'approve_first', 'human_only'].map((mode) => el('option', { value: mode, text: mode.replace('_', ' ') })));
    select.value = show.moderation.modes[intent] || 'auto';
    select.addEventListener('change', () => act('/api/moderation', { intent, mode: select.value }));
    body.append(el('tr', {}, el('td', { text: intent.replaceAll('_', ' ') }), el('td', {}, select)));
  }
  const blocked = document.getElementById('blocked');
  blocked.replaceChildren();
  for (const viewer of show.moderation.blocked) {
    blocked.append(el('li', {},
      el('strong', { text: viewer.user_name }), el('span', { class: 'meta', text: ` ${viewer.user_id} · ${viewer.until ? `timed out until ${clock(viewer.until)}` : 'banned'} ` }),
      el('button', { type: 'button', text: 'Lift', onclick: () => act('/api/viewers/unblock', { user_id: viewer.user_id }) })));
  }
  const actions = document.getElementById('actions');
  actions.replaceChildren();
  for (const action of show.actions.slice().reverse()) {
    actions.append(el('li', {}, el('span', { class: 'meta', text: `${clock(action.time)} ` }), action.action));
  }
}

function renderHealth() {
  const list = document.getElementById('adapters');
  list.replaceChildren();
  for (const [source, status] of Object.entries(show.health)) {
    list.append(el('li', { class: status.healthy ? 'healthy' : 'unhealthy' },
      `${source}: ${status.healthy ? 'up' : 'down'} since ${clock(status.since)}${status.detail ? ` (${status.detail})` : ''}`));
  }
}

function renderAll() {
  renderPending(); renderChat(); renderEscalations(); renderTranscript(); renderProducts(); renderModeration(); renderHealth();
}

// ---------------------------------------------------------------- state and feed

function loadSnapshot(state) {
  show.chat = state.chat || [];
  show.pending = new Map((state.pending || []).map((r) => [r.line, r]));
  show.transcript = state.transcript || [];
  show.escalations = state.escalations || [];
  show.health = state.health || {};
  show.products = state.products || [];
  show.moderation = state.moderation || show.moderation;
  show.actions = state.actions || [];
  show.catalog = state.catalog || null;
  if (show.intents.length === 0) {
    show.intents = state.intents || [];
    const filter = document.getElementById('chat-filter');
    for (const intent of show.intents) filter.append(el('option', { value: intent, text: intent.replaceAll('_', ' ') }));
  }
  renderAll();
}

function bounded(list, item) {
  list.push(item);
  if (list.length > KEEP) list.shift();
}

function applyEvent(event) {
  const [kind, body] = Object.entries(event)[0];
  switch (kind) {
    case 'LineAired':
      if (!show.transcript.some((l) => l.line === body.line)) bounded(show.transcript, body);
      renderTranscript();
      if (show.pending.delete(body.line)) renderPending();
      break;
    case 'CommentTriaged':
      if (!show.chat.some((c) => c.comment.id === body.comment.id && c.comment.platform === body.comment.platform)) {
        bounded(show.chat, { comment: body.comment, label: body.label, deleted: false });
      }
      renderChat(); break;
    case 'Escalated': bounded(show.escalations, body); renderEscalations(); break;
    case 'ReplyPending': show.pending.set(body.line, body); renderPending(); break;
    case 'ReplyResolved': show.pending.delete(body.line); renderPending(); break;
    case 'ModeratorAction': bounded(show.actions, { time: Date.now(), action: body.action }); renderModeration(); break;
    case 'SourceHealth': {
      const old = show.health[body.source];
      const since = old && old.healthy === body.healthy ? old.since : Date.now();
      show.health[body.source] = { healthy: body.healthy, detail: body.detail, since };
      renderHealth(); break;
    }
    case 'CatalogLoaded': case 'CatalogRejected':
      // The products themselves arrive as a "products" message when the live queue changes.
      show.catalog = { path: body.path, products: body.products, diagnostics: body.diagnostics || [], rejected: kind === 'CatalogRejected' };
      renderProducts(); break;
    default: break;
  }
}

async function refresh() {
  try {
    const response = await fetch('/api/state', { credentials: 'same-origin' });
    if (response.status === 401) { window.location.assign('/login'); return; }
    if (response.ok) loadSnapshot(await response.json());
  } catch (_) { /* the feed's reconnect reports the outage */ }
}

let retryDelay = 500;
function connect() {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${window.location.host}/api/feed`);
  const feedState = document.getElementById('feed-state');
  socket.addEventListener('open', () => {
    retryDelay = 500;
    document.body.dataset.feed = 'live';
    feedState.textContent = 'live';
  });
  socket.addEventListener('message', (message) => {
    let data;
    try { data = JSON.parse(message.data); } catch (_) { return; }
    if (data.type === 'snapshot') loadSnapshot(data.state);
    else if (data.type === 'event') applyEvent(data.event);
    else if (data.type === 'moderation') { show.moderation = data.moderation; renderModeration(); }
    else if (data.type === 'products') { show.products = data.products; renderProducts(); }
    else if (data.type === 'comment_deleted') {
      for (const entry of show.chat) if (entry.comment.id === data.id) entry.deleted = true;
      renderChat();
    } else if (data.type === 'lagged') {
      setStatus(data.note || `The feed skipped ${data.skipped} events; reloading.`, false);
      refresh();
    } else if (data.type === 'closed') {
      feedState.textContent = data.note;
    }
  });
  socket.addEventListener('close', () => {
    document.body.dataset.feed = 'lost';
    feedState.textContent = 'feed lost; reconnecting…';
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 10000);
  });
}

async function pollHealth() {
  try {
    const response = await fetch('/healthz', { credentials: 'same-origin' });
    if (response.status === 401) return;
    const health = await response.json();
    const summary = document.getElementById('health-summary');
    summary.textContent = health.status === 'ok' ? 'healthy' : `unhealthy: ${health.problems.join('; ')}`;
    summary.className = health.status === 'ok' ? '' : 'bad';
    document.getElementById('health-detail').textContent =
      `director: ${health.director.age_ms ?? '–'} ms ago · stage heartbeat: ${health.stage.age_ms ?? '–'} ms ago`;
  } catch (_) { /* shown by the feed state */ }
}

// ---------------------------------------------------------------- wiring

function wire() {
  const buttons = {
    'abort': ['/api/line/abort'], 'cancel-next': ['/api/line/cancel-next'],
    'prev-product': ['/api/products/previous'], 'next-product': ['/api/products/next'], 'unpin': ['/api/unpin'],
    'hand-over': ['/api/hand-over'], 'take-back': ['/api/take-back'],
    'obs-start-streaming': ['/api/obs/start-streaming'], 'obs-stop-streaming': ['/api/obs/stop-streaming'],
    'obs-start-recording': ['/api/obs/start-recording'], 'obs-stop-recording': ['/api/obs/stop-recording'],
  };
  for (const [id, [path]] of Object.entries(buttons)) {
    document.getElementById(id).addEventListener('click', () => act(path));
  }
  document.getElementById('say-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = document.getElementById('say-text');
    const lang = document.getElementById('say-lang').value;
    const body = { text: text.value };
    if (lang) body.lang = lang;
    act('/api/say', body, () => { text.value = ''; });
  });
  for (const id of ['chat-filter', 'hide-noise', 'chat-search']) {
    document.getElementById(id).addEventListener('input', renderChat);
  }
  document.getElementById('logout').addEventListener('click', async () => {
    await post('/logout');
    window.location.assign('/login');
  });
  connect();
  pollHealth();
  setInterval(pollHealth, 5000);
}

wire();
