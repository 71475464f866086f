// The moderators' console page. It reads the show from api/state and the live feed (api/feed, a WebSocket),
// and sends every action to the JSON API with the session's CSRF token. Viewer text is untrusted: it is only ever
// set as textContent, never parsed as HTML.
//
// Every action reports what actually happened in the status line of the box it was taken in: waiting, sent,
// queued, done or refused (with the words that failed). The API waits briefly for the show's answer; a say-now
// line that is queued is followed on the feed until it airs or is dropped.
'use strict';

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const me = (document.querySelector('meta[name="moderator"]') || {}).content || '';
const myAccount = (document.querySelector('meta[name="account"]') || {}).content || '';
const myRole = (document.querySelector('meta[name="role"]') || {}).content || '';
// The page offers only what the role may do (console.css); the server checks every request anyway.
document.body.dataset.role = myRole;
const NOISE = new Set(['spam', 'abuse', 'injection_attempt']);
const KEEP = 300;

// Readable names for the show's codes (serde's snake_case).
const INTENT_NAMES = {
  product_question: 'product question', price_stock_shipping: 'price/stock/shipping', purchase_intent: 'purchase intent',
  greeting: 'greeting', praise: 'praise', complaint_or_refund: 'complaint/refund', health_or_safety: 'health/safety',
  accessibility_need: 'accessibility need', abuse: 'abuse', spam: 'spam', injection_attempt: 'injection attempt',
  other: 'other',
};
const FACET_NAMES = { hook: 'hook', features: 'features', usage: 'usage', offer: 'offer', faq: 'FAQ' };
const KIND_NAMES = { pitch: 'Pitch', answer: 'Answer', handoff: 'Hand-off', disclosure: 'AI disclosure', filler: 'Holding line', moderator: 'Moderator',
  sold_out: 'Sold out', thanks: 'Thanks' };
const SOURCE_NAMES = { llm: 'LLM', template: 'template', moderator: "moderator's words" };
const MODE_NAMES = { auto: 'auto', approve_first: 'approve first', human_only: 'human only' };

const show = {
  chat: [],          // {comment, label, deleted}
  pending: new Map(),// line -> reply
  transcript: [],    // aired lines, oldest first
  escalations: [],
  health: {},
  support: [],       // gifts, memberships and paid messages, oldest first
  products: [],
  overrides: { products: [], pinned: null },
  moderation: { modes: {}, blocked: [] },
  intents: [],
  actions: [],
  catalog: null,
  features: {},      // which optional parts are configured: obs, store, ingest
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

function words(code) {
  const text = String(code || '').replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function intentText(intent) {
  return INTENT_NAMES[intent] || String(intent || '').replaceAll('_', ' ');
}

/// A line's kind as people say it: "Pitch · hook", "Answer · price/stock/shipping", "Holding line".
function kindText(kind) {
  if (typeof kind === 'string') return KIND_NAMES[kind] || words(kind);
  const [name, detail] = Object.entries(kind || {})[0] || ['line', ''];
  const head = KIND_NAMES[name] || words(name);
  const tail = name === 'pitch' ? (FACET_NAMES[detail] || words(detail)) : intentText(detail);
  return tail ? `${head} · ${tail}` : head;
}

function sourceText(source) {
  return SOURCE_NAMES[source] || words(source);
}

function langText(lang) {
  return lang === 'zh' ? '中文' : lang === 'en' ? 'English' : String(lang || '');
}

/// The feed-level status line under the header (lost events and the like).
function setStatus(text, ok) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = ok ? 'ok' : 'error';
}

/// Shows what became of an action in the status line of the box it was taken in.
function report(statusEl, outcome, text, detail) {
  if (!statusEl) return;
  statusEl.dataset.outcome = outcome;
  statusEl.replaceChildren(text);
  if (detail) statusEl.append(el('span', { class: 'words', text: detail }));
}

// Lines a moderator sent or approved that have not aired yet: line id -> the status line to update.
const following = new Map();

/// What the feed says about a line this page is following: it aired, or the show dropped it.
function followLine(kind, body) {
  if (kind === 'LineAired' && following.has(body.line)) {
    report(following.get(body.line), 'done', `On air now: line-${body.line}`, `“${body.text}”`);
    following.delete(body.line);
  } else if (kind === 'ModeratorLineRefused' && following.has(body.line)) {
    // Checked when sent, refused at air time (the product's data changed in between).
    const rule = body.rule ? ` (rule ${body.rule})` : '';
    report(following.get(body.line), 'refused', `Refused: line-${body.line} was not said: ${body.reason}`,
      body.sentence ? `Failed words: “${body.sentence}”${rule}` : null);
    following.delete(body.line);
  } else if (kind === 'ModeratorAction') {
    const action = body.action || '';
    const notSaid = /^line-(\d+) was not said: (.*)$/.exec(action);
    if (notSaid && following.has(Number(notSaid[1]))) {
      report(following.get(Number(notSaid[1])), 'refused', `Refused: line-${notSaid[1]} was not said: ${notSaid[2]}`);
      following.delete(Number(notSaid[1]));
    } else if (/^cancelled the prepared (moderator line|answer)/.test(action) || /^a moderator's .* was dropped/.test(action)) {
      // The show names no line here; every line this page still follows may be the one.
      for (const [line, statusEl] of following) {
        report(statusEl, 'refused', `Maybe dropped: line-${line} has not aired and the show says “${action}”`);
      }
    }
  }
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
    return { status: 0, data: { error: `the console could not reach the show: ${e}` } };
  }
  let data = {};
  try { data = await response.json(); } catch (_) { /* not JSON */ }
  if (response.status === 401) { window.location.assign('login'); }
  return { status: response.status, data };
}

/// The status line for an action taken in `box` (a section id).
function statusIn(box) {
  return document.getElementById(box);
}

/// Runs one action and reports its outcome in `statusEl`: "Sent" only for what reached the show, "Queued" for
/// what waits (followed on the feed when it has a line), "Refused" with the show's reason and the failing words.
/// A 409 with a confirmation token opens the confirmation panel.
async function act(path, body, statusEl, done) {
  report(statusEl, 'waiting', 'Sending…');
  const { status, data } = await post(path, body);
  const warning = data.warning ? ` (warning: ${data.warning})` : '';
  if (status === 200) {
    const outcome = data.outcome || 'sent';
    const text = data.status || `Sent: ${data.sent || 'done'}`;
    const detail = data.sentence ? null : (data.text && !text.includes(data.text) ? `“${data.text}”` : null);
    report(statusEl, data.warning ? 'queued' : outcome, `${text}${warning}`, detail);
    if (outcome === 'queued' && typeof data.line === 'number') following.set(data.line, statusEl);
    if (outcome === 'done' && typeof data.line === 'number') following.set(data.line, statusEl);
    if (done) done(data);
  } else if (status === 422) {
    let detail = null;
    if (data.sentence) detail = `Failed words: “${data.sentence}”${data.rule ? ` (rule ${data.rule})` : ''}`;
    if (data.repaired) detail = `${detail ? `${detail}. ` : ''}Would say instead: “${data.repaired}”`;
    report(statusEl, 'refused', data.error || data.status || 'Refused by the show', detail);
  } else if (status === 409 && data.confirm) {
    report(statusEl, 'waiting', 'Check the preview above, then confirm.');
    askToConfirm(path, body, data, statusEl);
  } else {
    const field = data.field ? ` [${data.field}]` : '';
    report(statusEl, 'error', `Not sent${field}: ${data.error || (status ? `HTTP ${status}` : 'no connection')}`);
  }
  return status;
}

function askToConfirm(path, body, data, statusEl) {
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
    await act(path, Object.assign({}, body, { confirm: data.confirm }), statusEl);
  };
  document.getElementById('confirm-cancel').onclick = () => {
    panel.hidden = true;
    report(statusEl, 'error', 'Cancelled; nothing was sent.');
  };
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
    const queueStatus = statusIn('queue-status');
    editor.addEventListener('submit', (e) => {
      e.preventDefault();
      act(`api/replies/${reply.line}/edit`, { text: editor.querySelector('textarea').value }, queueStatus);
    });
    const trigger = reply.trigger
      ? el('p', { class: 'trigger', text: `answering ${reply.trigger.user_name}: “${reply.trigger.text}”` }) : null;
    list.append(el('li', { dataset: { line: reply.line } },
      el('span', { class: 'meta', text: `line-${reply.line} · ${kindText(reply.kind)}${reply.product ? ` · ${reply.product}` : ''}` }),
      el('p', { class: 'reply-text', text: reply.text }),
      trigger,
      el('div', { class: 'row-actions' },
        el('button', { class: 'approve', type: 'button', text: 'Approve', onclick: () => act(`api/replies/${reply.line}/approve`, {}, queueStatus) }),
        el('button', { class: 'edit', type: 'button', text: 'Edit', onclick: () => { editor.hidden = !editor.hidden; } }),
        el('button', { class: 'reject', type: 'button', text: 'Reject', onclick: () => act(`api/replies/${reply.line}/reject`, {}, queueStatus) })),
      editor));
  }
}

function viewerButtons(comment, statusId) {
  const statusEl = () => statusIn(statusId);
  return el('div', { class: 'row-actions' },
    el('button', { type: 'button', class: 'delete', text: 'Delete', onclick: () => act('api/comments/delete', { id: comment.id }, statusEl()) }),
    el('button', { type: 'button', class: 'timeout', text: 'Time out 10 min',
      onclick: () => act('api/viewers/timeout', { user_id: comment.user_id, user_name: comment.user_name, seconds: 600 }, statusEl()) }),
    el('button', { type: 'button', class: 'ban danger', text: 'Ban',
      onclick: () => act('api/viewers/ban', { user_id: comment.user_id, user_name: comment.user_name }, statusEl()) }));
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
      el('span', { class: `label ${label.intent}`, text: intentText(label.intent) }),
      label.flood ? el('span', { class: 'label flood', text: 'flood' }) : null,
      el('span', { class: 'meta', text: `${clock(comment.time)} · ${comment.platform} · ${Math.round((label.confidence || 0) * 100)}% ` }),
      el('strong', { text: comment.user_name }), ': ',
      el('span', { class: 'text', text: comment.text }),
      comment.paid ? el('span', { class: 'label', text: `paid ${comment.paid.amount_minor} ${comment.paid.currency}` }) : null,
      viewerButtons(comment, 'chat-status')));
  }
}

/// A viewer needs a person: the page title says so until every care escalation is claimed or handled, and a
/// short tone sounds (where the browser allows audio).
function careAlert(what) {
  show.careAlerts = (show.careAlerts || 0) + 1;
  document.body.dataset.careAlerts = String(show.careAlerts);
  try {
    const Audio = window.AudioContext || window.webkitAudioContext;
    if (Audio) {
      const context = new Audio();
      const tone = context.createOscillator();
      tone.frequency.value = 880;
      tone.connect(context.destination);
      tone.start();
      tone.stop(context.currentTime + 0.25);
    }
  } catch (e) { /* no audio: the title still says it */ }
  updateCareTitle(what);
}

function updateCareTitle(what) {
  const open = show.escalations.filter((e) => e.care && !(e.handling && (e.handling.claimed || e.handling.handled))).length;
  document.title = open > 0 ? `(${open}) Care: ${what || 'a viewer needs a person'} — shopcast console` : 'shopcast console';
}

/// Where an escalation stands, in words: open, claimed by whom since when, handled by whom when.
function handlingText(handling) {
  if (handling && handling.handled) return ['handled', `Handled by ${handling.handled.by} at ${clock(handling.handled.at)}`];
  if (handling && handling.claimed) {
    const mine = me && handling.claimed.by === me ? ' (you)' : '';
    return ['claimed', `Claimed by ${handling.claimed.by}${mine} at ${clock(handling.claimed.at)}`];
  }
  return ['open', 'Open: nobody has claimed it'];
}

function renderEscalations() {
  updateCareTitle();
  const list = document.getElementById('escalations');
  list.replaceChildren();
  document.getElementById('escalations-empty').hidden = show.escalations.length > 0;
  // Viewers who need a person for their own sake (a crisis, a child, a scam...) come first, newest first.
  const ordered = show.escalations.slice().reverse();
  ordered.sort((a, b) => (b.care ? 1 : 0) - (a.care ? 1 : 0));
  for (const escalation of ordered) {
    const { comment, intent, reason, care } = escalation;
    const handling = escalation.handling || {};
    const [state, text] = handlingText(handling);
    const target = { id: comment.id, platform: comment.platform };
    const statusEl = () => statusIn('escalations-status');
    const claimedByOther = handling.claimed && handling.claimed.by !== me;
    const steps = state === 'handled' ? [] : [
      !handling.claimed ? el('button', { type: 'button', class: 'claim primary', text: 'Claim', onclick: () => act('api/escalations/claim', target, statusEl()) }) : null,
      claimedByOther ? el('button', { type: 'button', class: 'take-over', text: 'Take over', onclick: () => act('api/escalations/claim', Object.assign({ take_over: true }, target), statusEl()) }) : null,
      handling.claimed ? el('button', { type: 'button', class: 'release', text: 'Release', onclick: () => act('api/escalations/release', target, statusEl()) }) : null,
      el('button', { type: 'button', class: 'handled', text: 'Mark handled', onclick: () => act('api/escalations/handled', target, statusEl()) }),
    ];
    list.append(el('li', { class: `escalation ${state}${care ? ' care' : ''}`, dataset: { comment: comment.id, platform: comment.platform } },
      care ? el('span', { class: `label care ${care}`, text: `Care: ${care}` }) : el('span', { class: `label ${intent}`, text: intentText(intent) }),
      el('span', { class: 'meta', text: `${clock(comment.time)} · ${comment.platform} ` }),
      el('strong', { text: comment.user_name }), ': ', el('span', { class: 'text', text: comment.text }),
      reason ? el('p', { class: 'reason', text: `Why: ${reason}` }) : null,
      el('p', { class: `handling ${state}`, text }),
      el('div', { class: 'row-actions' }, ...steps),
      viewerButtons(comment, 'escalations-status')));
  }
}

function renderTranscript() {
  const list = document.getElementById('transcript');
  list.replaceChildren();
  for (const line of show.transcript.slice().reverse()) {
    list.append(el('li', { dataset: { line: line.line } },
      el('span', { class: 'kind', text: kindText(line.kind) }),
      el('span', { class: 'meta', text: ` · ${clock(line.wall)} · ${sourceText(line.source)}${line.product ? ` · ${line.product}` : ''} · ${langText(line.lang)}` }),
      el('p', { class: 'text', text: line.text }),
      line.trigger ? el('p', { class: 'trigger', text: `answering ${line.trigger.user_name}: “${line.trigger.text}”` }) : null,
      line.note ? el('p', { class: 'why', text: `why: ${line.note}` }) : null));
  }
}

function productForms(product) {
  const statusEl = () => statusIn('products-status');
  const stock = el('form', { class: 'stock-form' },
    el('input', { type: 'number', min: 0, class: 'narrow', 'aria-label': `Stock of ${product.title}`, placeholder: 'stock' }),
    el('button', { type: 'submit', text: 'Set' }));
  stock.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = stock.querySelector('input').value.trim();
    act('api/stock', { product: product.id, stock: value === '' ? null : value }, statusEl());
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
    act('api/price', body, statusEl());
  });
  const sale = el('form', { class: 'sale-form' },
    el('input', { type: 'text', class: 'narrow', inputmode: 'decimal', 'aria-label': `Flash-sale price of ${product.title}`, placeholder: 'sale price' }),
    el('input', { type: 'number', min: 1, max: 1440, class: 'narrow minutes', 'aria-label': 'Minutes', value: 10 }),
    el('button', { type: 'submit', text: 'Start…' }),
    el('button', { type: 'button', text: 'Stop', onclick: () => act('api/flash-sale/stop', { product: product.id }, statusEl()) }));
  sale.addEventListener('submit', (e) => {
    e.preventDefault();
    act('api/flash-sale/start', { product: product.id, price: sale.querySelector('input').value, minutes: sale.querySelector('.minutes').value }, statusEl());
  });
  return { stock, price, sale };
}

// What the console changed on a product and still holds over file reloads, with what the file says when that
// differs (a conflict), and a button that gives the product back to the file.
function overrideNote(product, held) {
  const shownStock = (n) => (n === null || n === undefined ? 'unknown' : String(n));
  const parts = [];
  if (held.price) parts.push(`price ${held.price.price}${held.price.conflict ? ` (file: ${held.price.file_price})` : ''}`);
  if (held.stock) parts.push(`stock ${shownStock(held.stock.stock)}${held.stock.conflict ? ` (file: ${shownStock(held.stock.file_stock)})` : ''}`);
  if (held.flash_sale) parts.push(`flash sale ${held.flash_sale.price} until ${clock(held.flash_sale.ends_at)}`);
  const note = el('p', { class: 'override-note' },
    `Set in the console by ${held.by}: ${parts.join('; ')}`);
  if (held.price || held.stock) {
    note.append(' ', el('button', { type: 'button', class: 'clear-override', text: 'Use the file\'s values',
      onclick: () => act('api/override/clear', { product: product.id }, statusIn('products-status')) }));
  }
  return note;
}

function renderProducts() {
  const body = document.querySelector('#products tbody');
  body.replaceChildren();
  for (const product of show.products) {
    const forms = productForms(product);
    const held = (show.overrides.products || []).find((o) => o.product === product.id);
    body.append(el('tr', { dataset: { product: product.id }, class: held ? 'overridden' : '' },
      el('td', {}, el('strong', { text: product.title }), el('br'), el('span', { class: 'meta', text: product.id }),
        held ? overrideNote(product, held) : null),
      el('td', { text: `${product.price}${product.compare_at ? ` (was ${product.compare_at})` : ''}` }),
      el('td', { text: product.stock === null || product.stock === undefined ? 'unknown' : String(product.stock) }),
      el('td', {}, el('button', { type: 'button', class: 'pin', text: 'Pin', onclick: () => act('api/pin', { product: product.id }, statusIn('products-status')) })),
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
    const select = el('select', { 'aria-label': `Replies to ${intentText(intent)}`, dataset: { intent } },
      ...['auto', 'approve_first', 'human_only'].map((mode) => el('option', { value: mode, text: MODE_NAMES[mode] })));
    select.value = show.moderation.modes[intent] || 'auto';
    select.addEventListener('change', () => act('api/moderation', { intent, mode: select.value }, statusIn('moderation-status')));
    body.append(el('tr', {}, el('td', { text: words(intentText(intent)) }), el('td', {}, select)));
  }
  const blocked = document.getElementById('blocked');
  blocked.replaceChildren();
  for (const viewer of show.moderation.blocked) {
    blocked.append(el('li', {},
      el('strong', { text: viewer.user_name }), el('span', { class: 'meta', text: ` ${viewer.user_id} · ${viewer.until ? `timed out until ${clock(viewer.until)}` : 'banned'} ` }),
      el('button', { type: 'button', text: 'Lift', onclick: () => act('api/viewers/unblock', { user_id: viewer.user_id }, statusIn('moderation-status')) })));
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

function supportText(s) {
  const amount = s.amount ? ` (${s.amount.amount_minor} ${s.amount.currency} minor units)` : '';
  const what = s.kind === 'gift' ? `gift: ${s.name} x${s.count}` : s.kind === 'membership' ? 'membership' : 'paid message';
  return `${s.platform} · ${s.user_name} · ${what}${amount} — ${s.text}`;
}

function renderSupport() {
  const list = document.getElementById('support');
  list.replaceChildren();
  document.getElementById('support-empty').hidden = show.support.length > 0;
  for (const s of show.support.slice().reverse().slice(0, 30)) {
    list.append(el('li', {}, el('span', { class: 'meta', text: `${clock(s.time)} ` }), supportText(s)));
  }
}

function renderAll() {
  renderPending(); renderChat(); renderEscalations(); renderTranscript(); renderProducts(); renderModeration(); renderHealth();
  renderSupport();
}

// ---------------------------------------------------------------- state and feed

function loadSnapshot(state) {
  show.chat = state.chat || [];
  show.pending = new Map((state.pending || []).map((r) => [r.line, r]));
  show.transcript = state.transcript || [];
  show.escalations = state.escalations || [];
  show.health = state.health || {};
  show.support = state.support || [];
  show.products = state.products || [];
  show.overrides = state.overrides || { products: [], pinned: null };
  show.moderation = state.moderation || show.moderation;
  show.actions = state.actions || [];
  show.catalog = state.catalog || null;
  show.pace = state.pace || { pace: 'usual' };
  show.features = state.features || {};
  if (show.intents.length === 0) {
    show.intents = state.intents || [];
    const filter = document.getElementById('chat-filter');
    for (const intent of show.intents) filter.append(el('option', { value: intent, text: intentText(intent) }));
  }
  applyFeatures();
  renderAll();
  renderPace();
}

/// The host's pace: plain (slow, short sentences, prices said twice) or usual, with why and until when.
function renderPace() {
  const pace = show.pace || { pace: 'usual' };
  let text = pace.pace === 'plain' ? 'Pace: slow, plain speech' : 'Pace: usual';
  if (pace.pace === 'plain' && pace.until) text += ` until ${new Date(pace.until).toLocaleTimeString()}`;
  if (pace.why) text += ` (${pace.why})`;
  document.getElementById('pace-now').textContent = text;
}

/// Controls only for what this show has configured: OBS's buttons need an [obs] section.
function applyFeatures() {
  document.getElementById('obs-controls').hidden = !show.features.obs;
}

function bounded(list, item) {
  list.push(item);
  if (list.length > KEEP) list.shift();
}

function applyEvent(event) {
  const [kind, body] = Object.entries(event)[0];
  followLine(kind, body);
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
    case 'Escalated':
      if (!show.escalations.some((e) => e.comment.id === body.comment.id && e.comment.platform === body.comment.platform)) {
        bounded(show.escalations, Object.assign({ handling: {} }, body));
        if (body.care) careAlert(body.care);
      }
      renderEscalations(); break;
    case 'ReplyPending': show.pending.set(body.line, body); renderPending(); break;
    case 'ReplyResolved': show.pending.delete(body.line); renderPending(); break;
    case 'ModeratorAction': bounded(show.actions, { time: Date.now(), action: body.action }); renderModeration(); break;
    case 'SourceHealth': {
      const old = show.health[body.source];
      const since = old && old.healthy === body.healthy ? old.since : Date.now();
      show.health[body.source] = { healthy: body.healthy, detail: body.detail, since };
      renderHealth(); break;
    }
    case 'Support': bounded(show.support, body); renderSupport(); break;
    case 'PaceChanged': show.pace = body; renderPace(); break;
    case 'CatalogLoaded': case 'CatalogRejected':
      // The products themselves arrive as a "products" message when the live queue changes.
      show.catalog = { path: body.path, products: body.products, diagnostics: body.diagnostics || [], rejected: kind === 'CatalogRejected' };
      renderProducts(); break;
    default: break;
  }
}

async function refresh() {
  try {
    const response = await fetch('api/state', { credentials: 'same-origin' });
    if (response.status === 401) { window.location.assign('login'); return; }
    if (response.ok) loadSnapshot(await response.json());
  } catch (_) { /* the feed's reconnect reports the outage */ }
}

let retryDelay = 500;
function connect() {
  // Relative to the page, like every other path here: a fleet serves a room's console under /rooms/<id>/.
  const feed = new URL('api/feed', window.location.href);
  feed.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(feed.href);
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
    else if (data.type === 'overrides') { show.overrides = data.overrides; renderProducts(); }
    else if (data.type === 'care_raised_again') { careAlert(`raised again: ${data.id}`); }
    else if (data.type === 'escalation') {
      for (const escalation of show.escalations) {
        if (escalation.comment.id === data.id && escalation.comment.platform === data.platform) escalation.handling = data.handling;
      }
      renderEscalations();
    }
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
    const response = await fetch('healthz', { credentials: 'same-origin' });
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
    'abort': ['api/line/abort', 'on-air-status'], 'cancel-next': ['api/line/cancel-next', 'on-air-status'],
    'prev-product': ['api/products/previous', 'on-air-status'], 'next-product': ['api/products/next', 'on-air-status'],
    'unpin': ['api/unpin', 'on-air-status'],
    'hand-over': ['api/hand-over', 'on-air-status'], 'take-back': ['api/take-back', 'on-air-status'],
    'pace-plain': ['api/pace/plain', 'on-air-status'], 'pace-usual': ['api/pace/usual', 'on-air-status'],
    'obs-start-streaming': ['api/obs/start-streaming', 'obs-status'], 'obs-stop-streaming': ['api/obs/stop-streaming', 'obs-status'],
    'obs-start-recording': ['api/obs/start-recording', 'obs-status'], 'obs-stop-recording': ['api/obs/stop-recording', 'obs-status'],
  };
  for (const [id, [path, status]] of Object.entries(buttons)) {
    document.getElementById(id).addEventListener('click', () => act(path, {}, statusIn(status)));
  }
  const account = myAccount && myAccount !== me ? ` via ${myAccount}` : '';
  document.getElementById('whoami').textContent = me ? `You: ${me}${account} (${myRole})` : '';
  document.getElementById('say-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = document.getElementById('say-text');
    const lang = document.getElementById('say-lang').value;
    const body = { text: text.value };
    if (lang) body.lang = lang;
    // The words stay in the box unless the show took them, so refused words can be fixed and sent again.
    act('api/say', body, statusIn('say-status'), (data) => { if (data.outcome !== 'refused') text.value = ''; });
  });
  for (const id of ['chat-filter', 'hide-noise', 'chat-search']) {
    document.getElementById(id).addEventListener('input', renderChat);
  }
  document.getElementById('logout').addEventListener('click', async () => {
    await post('logout');
    window.location.assign('login');
  });
  connect();
  pollHealth();
  setInterval(pollHealth, 5000);
}

wire();
