// What every dashboard page shares: who is logged in, live views over server-sent events, the navigation bar's own
// points, and POSTs that carry the session's CSRF token.

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? '';

/** The logged-in player's id; empty when the account is no player (a reader, an auditor...). */
export const me = meta('ledger-player');

const streams = new Map();

/**
 * Calls onView with the view's first state and with every change after it. EventSource reconnects by itself after a
 * dropped connection, and the first message after a reconnect is the current state again, so nothing is missed. A
 * refused stream is looked into once: a login that ended goes to the login page, an unknown player to onMissing.
 */
export function watch(path, onView, { status, onMissing } = {}) {
  let stream = streams.get(path);
  if (!stream) {
    stream = { listeners: [], last: null };
    streams.set(path, stream);
    open(path, stream);
  }
  stream.listeners.push({ onView, status, onMissing });
  if (stream.last) {
    onView(stream.last);
  }
}

/** Stops following {@code path}: its stream closes, its listeners are dropped. */
export function unwatch(path) {
  const stream = streams.get(path);
  if (stream) {
    stream.closed = true;
    stream.source?.close();
    streams.delete(path);
  }
}

function open(path, stream) {
  if (stream.closed) {
    return;
  }
  const source = new EventSource(path);
  stream.source = source;
  const report = (state, text) => stream.listeners.forEach(({ status }) => {
    if (status && status.dataset.state !== state) {
      status.dataset.state = state;
      status.textContent = text;
    }
  });
  source.onmessage = (event) => {
    report('live', 'Live');
    stream.last = JSON.parse(event.data);
    stream.listeners.forEach(({ onView }) => onView(stream.last));
  };
  source.onopen = () => report('live', 'Live');
  source.onerror = async () => {
    if (source.readyState !== EventSource.CLOSED) {
      report('connecting', 'Reconnecting…');
      return;
    }
    report('offline', 'Offline');
    // The stream was refused: ask the view's plain GET why.
    const reason = await fetch(path.replace('/stream', ''), { credentials: 'same-origin' }).catch(() => null);
    if (reason?.status === 401) {
      location.assign('/login');
    } else if (reason?.status === 404) {
      stream.listeners.forEach(({ onMissing }) => onMissing?.());
    } else {
      setTimeout(() => open(path, stream), 5000);
    }
  };
}

/** Sets an element's text; a changed value flashes once, so that a live change catches the eye. */
export function show(element, value) {
  const text = String(value);
  if (!element || element.textContent === text) {
    return;
  }
  const first = element.dataset.shown === undefined;
  element.textContent = text;
  element.dataset.shown = '';
  if (!first) {
    element.classList.remove('changed');
    void element.offsetWidth; // restart the animation
    element.classList.add('changed');
    element.addEventListener('animationend', () => element.classList.remove('changed'), { once: true });
  }
}

/** The logged-in player's points and rank in the navigation bar, live. */
export function showOwnPoints() {
  if (!me) {
    return;
  }
  document.getElementById('nav-me').hidden = false;
  watch(`/api/players/${encodeURIComponent(me)}/stream`, (view) => {
    show(document.getElementById('nav-points'), view.points);
    show(document.getElementById('nav-rank'), `#${view.rank}`);
  });
}

/**
 * POSTs JSON with the page's CSRF token. A request that got no answer, or a 5xx, is sent again as it was: callers
 * put an idempotency key in the body, so a resent request counts once. Refusals (4xx) are answers, not retried.
 * Before a resend the page waits what a 503's Retry-After says (the server's ProblemResponses decides it), else its
 * own back-off.
 */
export async function post(path, body, attempts = 5) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  headers[meta('csrf-header')] = meta('csrf-token');
  for (let attempt = 1; ; attempt++) {
    let response = null;
    try {
      response = await fetch(path, {
        method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin',
      });
      if (response.status === 401) {
        location.assign('/login');
      }
      if (response.status < 500 || attempt >= attempts) {
        return response;
      }
    } catch (unreachable) {
      if (attempt >= attempts) {
        throw unreachable;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, retryDelay(response, attempt)));
  }
}

/** Milliseconds before a resend: a 503's Retry-After in seconds (RFC 9110), or 250 ms doubling per attempt. */
function retryDelay(response, attempt) {
  const retryAfter = response?.status === 503 ? response.headers.get('Retry-After') : null;
  return retryAfter !== null && /^\d+$/.test(retryAfter.trim())
    ? Number(retryAfter.trim()) * 1000
    : 250 * 2 ** attempt;
}

/** A new id for one click; crypto.randomUUID needs a secure context, which plain HTTP off localhost is not. */
export function newId() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function playerLink(playerId, name) {
  const link = document.createElement('a');
  link.href = `/players/${encodeURIComponent(playerId)}`;
  link.textContent = name ?? playerId;
  return link;
}

export function cell(content, className) {
  const td = document.createElement('td');
  if (className) {
    td.className = className;
  }
  td.append(content);
  return td;
}
