// A player's page: their standing and recent matches, live; and for a logged-in player on someone else's page, the
// buttons that record their own match against them.
import { cell, me, newId, playerLink, post, show, showOwnPoints, watch } from './ledger.js';

const viewed = document.querySelector('meta[name="ledger-viewed"]').content;
const $ = (id) => document.getElementById(id);
const RESULT_WORDS = { WIN: 'Win', LOSS: 'Loss', DRAW: 'Draw' };

let name = viewed;

// position: a write's Ledger-Position this view is known to include (reads of the history then wait for it too).
function render(view, position) {
  name = view.name;
  show($('player-name'), view.name);
  document.title = `${view.name} · Match Ledger`;
  show($('player-points'), view.points);
  show($('player-rank'), `#${view.rank}`);
  show($('player-wins'), view.wins);
  show($('player-draws'), view.draws);
  show($('player-losses'), view.losses);
  show($('player-matches'), view.matches);
  show($('declare-opponent'), view.name);
  $('declare').hidden = !me || me === viewed;
  recent.refresh(view.matches, position);
}

// After this page's own write: the view and the history as of at least that write, at once, not when the stream
// next pushes (minPosition makes the read wait until the read model has the write).
async function showAt(position) {
  const response = await fetch(`/api/players/${encodeURIComponent(viewed)}?minPosition=${position}`,
      { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => null);
  if (response?.ok) {
    render(await response.json(), position);
  }
}

// Recent matches come from their own read model, which may be a moment behind the standings: ask again until it
// has as many matches as the standing counts. Hidden when the service has no history to give.
const recent = {
  loading: false,
  wanted: null,
  tries: 0,
  async refresh(matches, position) {
    this.wanted = matches;
    if (this.loading) {
      return;
    }
    this.loading = true;
    try {
      const atLeast = position ? `&minPosition=${position}` : '';
      const response = await fetch(`/api/players/${encodeURIComponent(viewed)}/matches?size=20${atLeast}`,
          { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => null);
      if (!response?.ok) {
        $('history').hidden = true;
        return;
      }
      const page = await response.json();
      renderHistory(page.items);
      this.tries = page.total < this.wanted ? this.tries + 1 : 0;
    } finally {
      this.loading = false;
    }
    if (this.tries > 0 && this.tries < 10) {
      setTimeout(() => this.refresh(this.wanted), 500);
    }
  },
};

function renderHistory(items) {
  $('history').hidden = items.length === 0;
  $('history-rows').replaceChildren(...items.map((match) => {
    const tr = document.createElement('tr');
    if (match.voided) {
      tr.className = 'voided';
    }
    const when = document.createElement('time');
    when.dateTime = match.occurredAt;
    when.textContent = new Date(match.occurredAt).toLocaleString();
    const result = document.createElement('span');
    result.className = `result result-${match.result}`;
    result.textContent = RESULT_WORDS[match.result] + (match.voided ? ' (voided)' : '');
    tr.append(cell(when), cell(playerLink(match.opponentId)), cell(result),
        cell(`${match.points > 0 ? '+' : ''}${match.points}`, 'num'), cell(String(match.totalAfter), 'num'));
    return tr;
  }));
  drawChart(items.map((match) => match.totalAfter).reverse());
}

/** The total after each recent match, oldest first, as a line. */
function drawChart(totals) {
  $('chart').hidden = totals.length < 2;
  if (totals.length < 2) {
    return;
  }
  const width = 600;
  const height = 160;
  const pad = 8;
  const low = Math.min(...totals);
  const high = Math.max(...totals);
  const span = high - low || 1;
  const x = (i) => pad + (i * (width - 2 * pad)) / (totals.length - 1);
  const y = (total) => height - pad - ((total - low) * (height - 2 * pad)) / span;
  const line = totals.map((total, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(total).toFixed(1)}`).join(' ');
  const area = `${line} L${x(totals.length - 1).toFixed(1)},${height - pad} L${pad},${height - pad} Z`;
  const svg = $('chart-svg');
  const ns = 'http://www.w3.org/2000/svg';
  const path = (d, className) => {
    const element = document.createElementNS(ns, 'path');
    element.setAttribute('d', d);
    element.setAttribute('class', className);
    return element;
  };
  svg.replaceChildren(path(area, 'area'), path(line, 'line'));
  $('chart-caption').textContent = `Total after each of the last ${totals.length} matches: from ${totals[0]} to `
      + `${totals[totals.length - 1]} (lowest ${low}, highest ${high}).`;
}

// The buttons. Each click is one match with an id of its own; a failed send is retried with the same id, so the
// ledger counts it once however often it arrives.
const buttons = [$('concede-loss'), $('declare-draw')];
$('concede-loss').addEventListener('click', () => declare('LOSS'));
$('declare-draw').addEventListener('click', () => declare('DRAW'));

function declare(result, matchId = `web-${newId()}`, entry = document.createElement('li')) {
  const happened = result === 'LOSS' ? `lost to ${name}` : `drew with ${name}`;
  const what = `You ${happened}`;
  entry.dataset.state = 'sending';
  entry.textContent = `${what}: sending…`;
  if (!entry.isConnected) {
    $('declarations').prepend(entry);
  }
  buttons.forEach((button) => { button.disabled = true; });
  say('Sending…', 'sending');
  send(result, matchId)
    .then(async (response) => {
      const body = await response.json().catch(() => null);
      if (response.ok) {
        const total = body.players.find((share) => share.playerId === me)?.total;
        entry.dataset.state = 'recorded';
        entry.textContent = `${what}. Your total: ${total}.`;
        say(`Recorded: you ${happened}. Your total is now ${total}.`, 'recorded');
        showAt(body.position);
      } else {
        entry.dataset.state = 'refused';
        entry.textContent = `${what}: refused. ${body?.detail ?? ''}`;
        say(`Not recorded: ${body?.detail ?? `the ledger answered ${response.status}`}`, 'failed');
      }
    })
    .catch(() => {
      entry.dataset.state = 'failed';
      entry.textContent = `${what}: no answer from the ledger. `;
      const again = document.createElement('button');
      again.type = 'button';
      again.className = 'button';
      again.textContent = 'Send again';
      // The same match id: if the first send did arrive, the ledger answers with it and counts nothing twice.
      again.addEventListener('click', () => declare(result, matchId, entry));
      entry.append(again);
      say('No answer from the ledger. “Send again” sends the same match, which is never counted twice.', 'failed');
    })
    .finally(() => buttons.forEach((button) => { button.disabled = false; }));
}

function send(result, matchId) {
  return post('/api/me/matches', { matchId, opponentId: viewed, result });
}

function say(text, state) {
  $('declaration-status').textContent = text;
  $('declaration-status').dataset.state = state;
}

showOwnPoints();
watch(`/api/players/${encodeURIComponent(viewed)}/stream`, render, {
  status: $('live-state'),
  onMissing: () => {
    $('player-missing').hidden = false;
    $('player-stats').hidden = true;
  },
});
