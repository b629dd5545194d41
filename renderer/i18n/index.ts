// Every string the UI shows goes through i18next, in English, French, Spanish and Arabic (INTERPOL's languages);
// a test keeps the four complete. The document's `lang` and `dir` follow the language, so Arabic lays out right to
// left. Before sign-in the browser's last choice (or its own language) applies; after sign-in the user's choice,
// kept by the station, does (see LanguageSync).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { es } from './es.ts';
import { ar } from './ar.ts';
import { revealReorderingControls } from '../../electron/contract/bidiControls.ts';

export const languages = { en: 'English', fr: 'Français', es: 'Español', ar: 'العربية' } as const;
export type Language = keyof typeof languages;
export const resources = { en, fr, es, ar };

const languageKey = 'casebench.language';

/**
 * How values enter translated sentences. React escapes markup, so the only escaping left is of direction
 * controls in text people typed: a right-to-left override in an exhibit number would otherwise disguise it and
 * reverse the rest of the sentence (the comparison title, a dialog's title, an audit line).
 */
export const interpolation = { escapeValue: true, escape: (value: string) => revealReorderingControls(value) };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && value in languages;
}

/** The language to start with: this browser's last choice, else the first of its own languages we have. */
function startingLanguage(): Language {
  const stored = localStorage.getItem(languageKey);
  if (isLanguage(stored)) return stored;
  const preferred = (navigator.languages ?? [navigator.language]).map((l) => l.slice(0, 2).toLowerCase());
  return preferred.find(isLanguage) ?? 'en';
}

export function initI18n() {
  const lng = startingLanguage();
  void i18next.use(initReactI18next).init({
    resources: Object.fromEntries(Object.entries(resources).map(([code, translation]) => [code, { translation }])),
    lng,
    fallbackLng: 'en',
    interpolation,
    returnNull: false,
  });
  const applyDirection = (language: string) => {
    document.documentElement.lang = language;
    document.documentElement.dir = i18next.dir(language);
  };
  applyDirection(lng);
  i18next.on('languageChanged', (language) => {
    localStorage.setItem(languageKey, language);
    applyDirection(language);
  });
  return i18next;
}
