// @ts-check
// English texts of the page, the embeddable element and its example page. Keys are grouped by
// where they appear; www/locales/zh.js has the same keys. How to add one: see www/i18n.js.
// {name} is a parameter; { one, other } entries are chosen by the {count} parameter.

export default {
  // The language switch. Its options name each language in itself ("English", "简体中文"),
  // the same in every language, so they are in index.html, not here.
  'lang.label': 'Language',

  // Header
  'header.open': 'Open a capture…',
  'header.example': "Open the tutorial's capture",
  'header.privacy': 'Files stay in this browser',
  'header.privacy.title': 'The file is read by WebAssembly inside this page; it is never uploaded.',

  // The empty state
  'empty.title': 'See every frame of a packet capture',
  'empty.reads': "{product} reads {pcap} and {pcapng} files (gzip-compressed too), lists every frame with Wireshark's columns and follows each TCP connection.",
  'empty.drop': "Drop a capture anywhere on this page, choose one with {open}, or start with the tutorial's capture: one small HTTP request over TCP.",
  'empty.promise': 'Your file never leaves this computer: it is read by WebAssembly inside this page, and the page loads nothing but its own files.',

  // The capture summary
  'info.label': 'Capture',
  'info.file': 'File',
  'info.format': 'Format',
  'info.links': 'Link types',
  'info.frames': 'Frames',
  'info.first': 'First frame',
  'info.span': 'Time span',

  // Numbers and units
  'number': '{n}',
  'unit.s': '{n} s',
  'unit.ms': '{n} ms',
  'size.b': '{n} B',
  'size.kib': '{n} KiB',
  'size.mib': '{n} MiB',
  'size.gib': '{n} GiB',
  'size.kb': '{n} kB',
  'size.mb': '{n} MB',
  'list.separator': ', ',

  // Progress and the status bar
  'progress.read': 'Read {done} of {total}, {count} frames so far',
  'progress.loading': 'Loading…',
  'status.ready': 'Ready.',
  'status.reading': 'Reading {name}…',
  'status.read': { one: '{count} frame read from {name}.', other: '{count} frames read from {name}.' },
  'status.stopped': { one: '{count} frame read from {name}; reading stopped early.', other: '{count} frames read from {name}; reading stopped early.' },
  'status.notCapture': '{name} could not be read as a capture.',
  'status.failed': 'Could not read the file.',
  'status.frameSelected': 'Frame {frame} of {total} selected.',
  'status.rowSelected': 'Row {row} of {total} selected.',
  'status.showingAll': { one: 'Showing the one frame.', other: 'Showing all {count} frames.' },
  'status.showingStream': 'Showing {shown} of {total} frames: {filter}.',
  'status.addressRefused': 'The capture address was refused.',

  // Messages: errors the page composes, and the capture's problems (their text is the core's)
  'message.error': 'Error',
  'message.problem': 'Problem',
  'problem.empty': 'Empty file',
  'problem.not_a_capture': 'Not a capture',
  'problem.truncated': 'Capture cut short',
  'problem.corrupt': 'Damaged capture',
  'problem.skipped': 'Part of the capture was skipped',
  'problem.whereFrame': ' (frame {frame}, byte offset {offset})',
  'problem.where': ' (byte offset {offset})',
  'error.worker': 'The reading worker failed to start or crashed. Reload the page to try again.',
  'error.workerDetail': 'The reading worker failed to start or crashed: {detail}. Reload the page to try again.',
  'error.noStream': 'This capture has no TCP stream {stream}.',
  'error.foreignAddress': 'The capture address "{address}" is not a file of this site ({origin}): only captures served from here can be opened by address. Download it and open it with "{open}" instead.',
  'error.streamParam': '"stream={value}" is not a TCP stream number (0, 1, 2…).',
  'error.png': 'The PNG could not be made: {detail}',
  'drop.several': '{count} files were dropped; only the first, {name}, is opened.',

  // The conversations table
  'conv.title': 'TCP conversations {count}',
  'conv.count': '({count})',
  'conv.hint': 'Choose one to list only its frames and draw its ladder.',
  'conv.col.stream': 'Stream',
  'conv.col.client': 'Client',
  'conv.col.server': 'Server',
  'conv.col.packets': 'Packets →/←',
  'conv.col.bytes': 'Bytes →/←',
  'conv.col.duration': 'Duration',
  'conv.col.handshake': 'Handshake',
  'conv.col.close': 'Close',
  'conv.col.connState': 'conn_state',
  'conv.choose': 'Stream {stream}: list only its frames',
  'conv.guessed': 'No SYN was seen: client and server were guessed from the ports.',
  'conv.packets': { one: '{count} packet: {out} from the client, {in} from the server', other: '{count} packets: {out} from the client, {in} from the server' },
  'conv.bytes': 'TCP payload: {out} bytes from the client, {in} bytes from the server',
  'conv.frames': 'frames {list}',
  'conv.history': 'history {history}',

  // The frame list and its legend
  'frames.title': 'Frames',
  'frames.label': 'Frames',
  'frames.col.number': 'No.',
  'frames.col.time': 'Time',
  'frames.col.source': 'Source',
  'frames.col.destination': 'Destination',
  'frames.col.protocol': 'Protocol',
  'frames.col.length': 'Length',
  'frames.col.info': 'Info',
  'filter.remove': 'Remove the filter {filter}',
  'filter.removeTitle': 'Show every frame again',
  'legend.button': 'Colours',
  'legend.label': 'What the row colours mean',
  'legend.note': "Rows are coloured by the first of Wireshark's default colouring rules that matches the frame.",
  'legend.sample': 'Aa',
  'legend.rule': "Wireshark's colours: text {fg} on {bg}",
  // Legend rules are named and explained by the core (crate/src/colors.rs) in English;
  // 'rule.<id>.name' and 'rule.<id>.meaning' translate them (English needs none).

  // The ladder pane
  'ladder.title': 'Ladder {stream}',
  'ladder.stream': '· tcp.stream {stream}',
  'ladder.lang': 'Language',
  'ladder.time': 'Time',
  'ladder.axis.folded': 'one row per segment',
  'ladder.axis.proportional': 'proportional',
  'ladder.expand': 'Expand folded data',
  'ladder.tools': 'Export the ladder',
  'ladder.svg': 'Download SVG',
  'ladder.png': 'Download PNG',
  'ladder.mermaid': 'Copy Mermaid',
  'ladder.embed': 'Copy embed snippet',
  'ladder.svgDone': 'SVG downloaded.',
  'ladder.pngDone': 'PNG downloaded.',
  'ladder.mermaidCopied': 'Mermaid text copied.',
  'ladder.embedCopied': 'Embed snippet copied.',
  'ladder.copyByHand': 'The clipboard is not available here: copy this text.',
  'ladder.explanation': 'Explanation of the chosen segment',
  'ladder.hint': 'Click an arrow (or use the arrow keys) to see what that segment does.',
  'ladder.notInStream': 'Frame {frame} is not part of this connection.',
  'ladder.badSvg': 'The ladder could not be drawn: the core returned an SVG that does not parse.',
  'png.noCanvas': 'This browser cannot draw on a canvas.',
  'png.failed': 'The PNG could not be made (the picture may be too large).',

  // The drop overlay
  'drop.title': 'Drop the capture to open it',
  'drop.note': 'It is read here, never uploaded.',

  // <tcp-timeline> (www/embed.js)
  'embed.noSrc': '<tcp-timeline> needs a src attribute: a capture on this site.',
  'embed.foreign': 'Cannot read {src}: only captures served by the same site as this page ({origin}) can be shown.',
  'embed.badStream': 'stream="{value}" is not a TCP stream number.',
  'embed.reading': 'Reading {src}…',
  'embed.notCapture': '{path} is not a capture.',
  'embed.noWorker': 'The tcp-timeline worker could not start.',
  'embed.noWorkerDetail': 'The tcp-timeline worker could not start: {detail}.',

  // www/embed-example.html
  'example.title': 'tcp-timeline: the embeddable ladder',
  'example.heading': 'An HTTP request over TCP, segment by segment',
  'example.intro': 'The element below reads {file} from this site, in your browser, and draws its first TCP connection. Click an arrow (or focus it and use the arrow keys) to read what that segment does.',
  'example.page': 'The same capture in the full page, opened straight into its ladder: {link}.',
};
