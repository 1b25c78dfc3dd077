// @ts-check
// The page: its parts made and wired together, nothing more. Each part is a module that owns
// a part of index.html and of the page's state, and says what it promises at its top:
//
//   www/opening.js      opening a capture (picker, drop, example, ?capture=), its progress,
//                       and once it is read its summary (captureinfo.js), problems,
//                       conversations and colours (legend.js)
//   www/framelist.js    the frame list: rows from the worker, columns, time format, go to frame
//   www/filtering.js    the display filter in effect, and what follows from it
//   www/framedetail.js  the selected frame's detail tree and bytes
//   www/ladderpane.js   the chosen connection's ladder and its exports
//   www/menus.js        a frame's context menu, Follow TCP stream, keyboard shortcuts, dialogs
//   www/address.js      the view kept in the address's hash (#filter=…&frame=N&stream=N)
//   www/language.js     the page's language switch
//   www/messages.js, www/statusbar.js   errors and notes; the status line and progress bar
//
// The capture is read in www/worker.js, asked only through www/client.js. Packet-derived and
// file-derived text is only ever inserted with textContent (the ladder's SVG, escaped by Rust,
// is parsed as an SVG document in www/ladder.js). Every text the page writes comes from
// www/locales/ through www/i18n.js (setText / setAttr redraw on a language switch); file names
// and addresses go in as data(), never translated.
//
// Requests the worker may not know yet (display filters, details, follow) time out politely:
// the page says it got no answer and everything else keeps working; for the filters the
// conversations table writes (tcp.stream == N, or none) it falls back to the older stream
// filter message.

import { WorkerClient } from './client.js';
import { Conversations } from './conversations.js';
import { splitWorkspace } from './splitter.js';
import { element } from './elements.js';
import { Messages, errorMessage } from './messages.js';
import { StatusBar } from './statusbar.js';
import { FrameList } from './framelist.js';
import { Legend } from './legend.js';
import { FrameDetail } from './framedetail.js';
import { LadderPane } from './ladderpane.js';
import { DisplayFilter } from './filtering.js';
import { AddressState } from './address.js';
import { Menus } from './menus.js';
import { Opening } from './opening.js';
import { wireLanguage } from './language.js';

// ?readers=1 or ?readers=2 reads captures in one Worker, or in two (reading and keeping apart),
// whatever the machine (see worker.js): for comparing the two. The worker starts first, so that
// it warms its core while the page sets itself up.
const readers = new URLSearchParams(location.search).get('readers');
const workerUrl = new URL(`./worker.js${readers === '1' || readers === '2' ? `?readers=${readers}` : ''}`, import.meta.url);
const client = new WorkerClient(new Worker(workerUrl, { type: 'module', name: 'tcp-timeline' }), {
  onEvent: (message) => opening.onEvent(message),
  onFailure: (event) => opening.onFailure(event),
});

const messages = new Messages();
const status = new StatusBar();

const list = new FrameList({
  client,
  status,
  onFrame(number, changed) {
    if (changed) address.schedule();
    detail.want(number);
    ladder.highlight(number);
  },
  onError: (error) => messages.error(errorMessage(error)),
});
const legend = new Legend();

// The splitters beside the ladder (which it can collapse to a strip) and under the list.
splitWorkspace(/** @type {HTMLElement} */ (document.querySelector('main.workspace')));

const ladder = new LadderPane({
  client,
  messages,
  capture: () => opening.capture,
  // The list shows the ladder's stream: the frame's row is selected there.
  onChoose: (frame) => list.selectFrame(frame),
});

const conversations = new Conversations(element('conversations', HTMLTableElement), {
  onChoose: (stream) => filter.chooseStream(stream),
});

const detail = new FrameDetail({
  client,
  onChange(shown) {
    if (shown === null) menus.close(false);
    else menus.update();
  },
  onFollow: () => menus.followSelected(),
});

const filter = new DisplayFilter({
  client,
  status,
  list,
  detail,
  ladder,
  conversations,
  onChange() {
    address.update();
  },
});

const address = new AddressState({
  filter,
  list,
  ladder,
  hasStream: (stream) => conversations.hasStream(stream),
  onNoStream: (stream) => messages.error({ key: 'error.noStream', params: { stream: String(stream) } }),
});

const menus = new Menus({ client, list, detail, filter });

wireLanguage({
  redraw: [() => conversations.relabel(), () => legend.relabel()],
  follow: (lang) => ladder.followLang(lang),
});

/** @type {Opening} */
const opening = new Opening({ client, status, messages, list, legend, filter, detail, menus, ladder, conversations, address });
opening.openFromAddress();

if ('requestIdleCallback' in window) window.requestIdleCallback(() => opening.prewarmPanes(), { timeout: 2000 });
else setTimeout(() => opening.prewarmPanes(), 500);
