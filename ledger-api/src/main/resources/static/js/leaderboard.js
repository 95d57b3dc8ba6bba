// The live leaderboard: the top 50, pushed by the server whenever it changes.
import { cell, me, playerLink, showOwnPoints, watch } from './ledger.js';

const LIMIT = 50;
const rows = document.getElementById('leaderboard-rows');
const summary = document.getElementById('leaderboard-summary');

showOwnPoints();
watch(`/api/leaderboard/stream?limit=${LIMIT}`, render, { status: document.getElementById('live-state') });

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
