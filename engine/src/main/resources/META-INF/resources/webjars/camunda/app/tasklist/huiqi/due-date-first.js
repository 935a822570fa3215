// Tasklist lists a filter's tasks by creation unless its address says otherwise (it reads ?sorting= from its
// own URL and hands that to the filter's query). County staff see their tasks by due date, overdue first
// (issue 13), however they come in: this script, loaded by scripts/config.js before the app starts, adds that
// sorting to an address without one. A sorting the user picks in the list is in the address and stays.
const SORTING = encodeURIComponent(JSON.stringify([{sortBy: 'dueDate', sortOrder: 'asc'}]));

function dueDateFirst() {
  const hash = window.location.hash || '#/';
  if (!hash.startsWith('#/') || hash.startsWith('#/login') || /[?&]sorting=/.test(hash)) {
    return;
  }
  const next = hash + (hash.includes('?') ? '&' : '?') + 'sorting=' + SORTING;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search + next);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

dueDateFirst();
window.addEventListener('hashchange', dueDateFirst);

// No default export: Tasklist would take it for a plugin.
