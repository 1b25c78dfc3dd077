// @ts-check
// The page's language switch (the select in the toolbar): the choice goes to www/i18n.js, which
// redraws every keyed text; what is drawn otherwise (the conversations' rows, the colours'
// legend) is drawn again, and the ladder follows the page (its own select can still set it
// apart).

import { getLang, onLangChange, parseLang, setLang } from './i18n.js';
import { element } from './elements.js';

/**
 * @param {{ redraw: (() => void)[], follow: (lang: import('./i18n.js').Lang) => void }} options
 * `redraw`: what to draw again after a switch; `follow`: what takes the page's language.
 */
export function wireLanguage(options) {
  const select = element('page-lang', HTMLSelectElement);
  // The page's language was set before the first paint (www/page-lang.js).
  select.value = getLang();
  select.addEventListener('change', () => {
    const lang = parseLang(select.value);
    if (lang) setLang(lang);
  });
  onLangChange((lang) => {
    select.value = lang;
    for (const redraw of options.redraw) redraw();
    options.follow(lang);
  });
}
