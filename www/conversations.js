// @ts-check
// The TCP conversations table: one row per connection as the core summarised it (endpoints,
// packets, bytes, duration, handshake and close in words, Zeek's conn_state). Choosing a row
// (click, or Enter/Space on its Stream button; arrow keys move between rows) asks the page to
// list only that stream's frames. Headers sort the table.
//
// Packet-derived text is only ever set with textContent.

/** @typedef {import('./types.js').Connection} Connection */

/** @type {Record<string, (c: Connection) => number | string>} */
const SORT_KEYS = {
  stream: (c) => c.stream,
  client: (c) => c.client,
  server: (c) => c.server,
  packets: (c) => c.packets.client_to_server + c.packets.server_to_client,
  bytes: (c) => c.bytes.client_to_server + c.bytes.server_to_client,
  duration: (c) => c.duration,
  handshake: (c) => c.handshake_text,
  close: (c) => c.close_text,
  conn_state: (c) => c.conn_state,
};

export class Conversations {
  /**
   * @param {HTMLTableElement} table
   * @param {{ onChoose: (stream: number) => void }} options
   */
  constructor(table, options) {
    this.table = table;
    this.onChoose = options.onChoose;
    this.body = /** @type {HTMLTableSectionElement} */ (table.tBodies[0]);
    /** @type {Connection[]} */
    this.connections = [];
    /** @type {number | null} */
    this.chosen = null;
    this.sortKey = 'stream';
    this.ascending = true;

    for (const th of table.querySelectorAll('thead th')) {
      const header = /** @type {HTMLElement} */ (th);
      header.querySelector('button')?.addEventListener('click', () => this.sortBy(header.dataset.key ?? 'stream'));
    }
    this.body.addEventListener('click', (event) => {
      const row = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('tr'));
      if (!row || row.dataset.stream === undefined) return;
      // A click on the row's button is handled by the button itself.
      if (/** @type {Element} */ (event.target).closest('button')) return;
      this.onChoose(Number(row.dataset.stream));
    });
    this.body.addEventListener('keydown', (event) => {
      const button = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('button'));
      if (!button) return;
      const rows = [...this.body.rows];
      const at = rows.findIndex((r) => r.contains(button));
      /** @type {Record<string, number>} */
      const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = rows[Math.max(0, Math.min(rows.length - 1, moves[event.key]))];
      next?.querySelector('button')?.focus();
    });
  }

  /** @param {Connection[]} connections */
  show(connections) {
    this.connections = connections;
    this.chosen = null;
    this.render();
  }

  /** @param {number | null} stream */
  setChosen(stream) {
    this.chosen = stream;
    for (const row of this.body.rows) {
      const chosen = Number(row.dataset.stream) === stream;
      row.classList.toggle('chosen', chosen);
      row.querySelector('button')?.setAttribute('aria-pressed', String(chosen));
    }
  }

  /** @param {string} key */
  sortBy(key) {
    if (!(key in SORT_KEYS)) return;
    this.ascending = key === this.sortKey ? !this.ascending : true;
    this.sortKey = key;
    for (const th of this.table.querySelectorAll('thead th')) {
      const header = /** @type {HTMLElement} */ (th);
      if (header.dataset.key === key) header.setAttribute('aria-sort', this.ascending ? 'ascending' : 'descending');
      else header.removeAttribute('aria-sort');
    }
    this.render();
  }

  render() {
    const keyOf = SORT_KEYS[this.sortKey];
    const sign = this.ascending ? 1 : -1;
    const sorted = [...this.connections].sort((a, b) => {
      const x = keyOf(a);
      const y = keyOf(b);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
      return sign * order || a.stream - b.stream;
    });
    this.body.replaceChildren(...sorted.map((c) => this.makeRow(c)));
    this.setChosen(this.chosen);
  }

  /** @param {Connection} c */
  makeRow(c) {
    const row = document.createElement('tr');
    row.dataset.stream = String(c.stream);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'stream-button';
    button.textContent = String(c.stream);
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-label', `Stream ${c.stream}: list only its frames`);
    button.addEventListener('click', () => this.onChoose(c.stream));
    const streamCell = document.createElement('th');
    streamCell.scope = 'row';
    streamCell.className = 'num';
    streamCell.append(button);
    row.append(streamCell);
    const guessed = c.roles_guessed ? 'No SYN was seen: client and server were guessed from the ports.' : '';
    /** @type {[string, string, string?][]} text, class, title */
    const cells = [
      [c.client, 'endpoint', guessed],
      [c.server, 'endpoint', guessed],
      [`${c.packets.client_to_server} / ${c.packets.server_to_client}`, 'num', `${c.packets.client_to_server + c.packets.server_to_client} packets: ${c.packets.client_to_server} from the client, ${c.packets.server_to_client} from the server`],
      [`${formatBytes(c.bytes.client_to_server)} / ${formatBytes(c.bytes.server_to_client)}`, 'num', `TCP payload: ${c.bytes.client_to_server} bytes from the client, ${c.bytes.server_to_client} bytes from the server`],
      [formatDuration(c.duration), 'num', `${c.duration} s`],
      [c.handshake_text, 'words', c.handshake.frames.length ? `frames ${c.handshake.frames.join(', ')}` : ''],
      [c.close_text, 'words', c.close.frames.length ? `frames ${c.close.frames.join(', ')}` : ''],
      [c.conn_state, 'state', `history ${c.history}`],
    ];
    for (const [text, className, title] of cells) {
      const cell = document.createElement('td');
      cell.className = className;
      cell.textContent = text;
      if (title) cell.title = title;
      row.append(cell);
    }
    return row;
  }
}

/** @param {number} bytes */
function formatBytes(bytes) {
  if (bytes < 10_000) return String(bytes);
  if (bytes < 10_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** @param {number} seconds */
function formatDuration(seconds) {
  if (seconds < 1) return `${(seconds * 1000).toFixed(3)} ms`;
  return `${seconds.toFixed(3)} s`;
}
