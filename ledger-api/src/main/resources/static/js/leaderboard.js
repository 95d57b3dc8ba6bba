// The live leaderboard: the top 50, pushed by the server whenever it changes, all time or within a season (the
// running one by default).
import { cell, me, playerLink, showOwnPoints, unwatch, watch } from './ledger.js';

const LIMIT = 50;
const rows = document.getElementById('leaderboard-rows');
const summary = document.getElementById('leaderboard-summary');

const picker = document.getElementById('season');
let following = null;

showOwnPoints();
pickSeason();

async function pickSeason() {
  const seasons = await fetch('/api/seasons', { credentials: 'same-origin' })
      .then((reply) => (reply.ok ? reply.json() : { current: null, items: [] }))
      .catch(() => ({ current: null, items: [] }));
  for (const season of seasons.items) {
    const option = document.createElement('option');
    option.value = season.seasonId;
    option.textContent = `${season.name} (${season.status})`;
    picker.append(option);
  }
  picker.value = seasons.current ?? '';
  picker.addEventListener('change', follow);
  follow();
}

function follow() {
  if (following) {
    unwatch(following);
  }
  const season = picker.value ? `&season=${encodeURIComponent(picker.value)}` : '';
  following = `/api/leaderboard/stream?limit=${LIMIT}${season}`;
  rows.dataset.season = picker.value;
  // Not the last season's rows under the new season's name while its first page is on its way.
  const loading = document.createElement('tr');
  loading.append(cell('Loading…', 'empty'));
  loading.firstChild.colSpan = 4;
  rows.replaceChildren(loading);
  watch(following, render, { status: document.getElementById('live-state') });
}

function render(page) {
  if (page.items.length === 0) {
    const empty = document.createElement('tr');
    empty.append(cell('No players yet.', 'empty'));
    empty.firstChild.colSpan = 4;
    rows.replaceChildren(empty);
  } else {
    rows.replaceChildren(...page.items.map(row));
  }
  const shown = page.items.length < page.total ? `the top ${page.items.length} of ${page.total} players` :
      `${page.total} ${page.total === 1 ? 'player' : 'players'}`;
  summary.textContent = `Points, highest first; on equal points, whoever reached them first. Showing ${shown}.`;
}

function row(entry) {
  const tr = document.createElement('tr');
  tr.dataset.player = entry.playerId;
  const rank = document.createElement('span');
  rank.textContent = entry.rank;
  if (entry.rank <= 3) {
    rank.className = `medal medal-${entry.rank}`;
  }
  const name = document.createDocumentFragment();
  name.append(playerLink(entry.playerId, entry.name));
  if (entry.playerId === me) {
    tr.className = 'mine';
    const you = document.createElement('span');
    you.className = 'you';
    you.textContent = '(you)';
    name.append(you);
  }
  tr.append(cell(rank, 'num rank'), cell(name), cell(String(entry.points), 'num points-cell'),
      cell(String(entry.matches), 'num'));
  return tr;
}
