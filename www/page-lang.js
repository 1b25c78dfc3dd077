// @ts-check
// A page of the tool in its reader's language before its first paint: index.html and
// www/embed-example.html load this module with blocking="render", so a reader of 简体中文 never
// sees the English of the HTML, nor the layout move when it is replaced.
import { getLang, setLang } from './i18n.js';

setLang(getLang(), { save: false });
