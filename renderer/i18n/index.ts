// Every string the UI shows goes through i18next. English is complete; other languages add a resource file.
// The document's `dir` follows the language so a right-to-left translation lays out mirrored.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';

const languageKey = 'casebench.language';
export const languages = { en: 'English' } as const;

export function initI18n() {
  const stored = localStorage.getItem(languageKey);
  const lng = stored && stored in languages ? stored : 'en';
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
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
