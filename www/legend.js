// @ts-check
// The legend of the frame list's colours ("Colours" in the list's bar): each of Wireshark's
// default colouring rules the core applies, with a sample, its name and meaning in the page's
// language, and its display filter (code, never translated).

import { has, setText, t } from './i18n.js';
import { element } from './elements.js';

/** @typedef {import('./types.js').ColorRule} ColorRule */

export class Legend {
  constructor() {
    this.button = element('legend-button', HTMLButtonElement);
    this.panel = element('legend');
    this.list = element('legend-list');
    /** The rules as the core gave them, to draw the legend again in another language. */
    /** @type {ColorRule[]} */
    this.rules = [];
    this.button.addEventListener('click', () => {
      const show = this.panel.hidden;
      this.panel.hidden = !show;
      this.button.setAttribute('aria-expanded', String(show));
    });
  }

  /** @param {ColorRule[]} rules */
  show(rules) {
    this.rules = rules;
    this.list.replaceChildren(
      ...rules.map((rule) => {
        const item = document.createElement('li');
        item.dataset.rule = rule.id;
        item.title = t('legend.rule', { fg: rule.foreground, bg: rule.background });
        const swatch = document.createElement('span');
        swatch.className = `swatch color-${rule.id}`;
        setText(swatch, 'legend.sample');
        swatch.setAttribute('aria-hidden', 'true');
        const name = document.createElement('strong');
        coreText(name, `rule.${rule.id}.name`, rule.name);
        const meaning = document.createElement('span');
        meaning.className = 'meaning';
        coreText(meaning, `rule.${rule.id}.meaning`, rule.meaning);
        // Wireshark's display filter of the rule: code, never translated.
        const filter = document.createElement('code');
        filter.className = 'filter';
        filter.translate = false;
        filter.textContent = rule.filter;
        filter.title = rule.filter;
        item.append(swatch, name, meaning, filter);
        return item;
      }),
    );
  }

  /** Draws the legend again in the page's language. */
  relabel() {
    this.show(this.rules);
  }
}

/**
 * The core names and explains its colouring rules in English: the locale's 'rule.<id>.name' /
 * '.meaning' translate them, and an untranslated one is marked as English.
 * @param {HTMLElement} element
 * @param {string} key
 * @param {string} english
 */
function coreText(element, key, english) {
  if (has(key)) {
    element.textContent = t(key);
  } else {
    element.textContent = english;
    element.lang = 'en';
  }
}
