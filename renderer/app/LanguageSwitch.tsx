// The language switch: in the header for a signed-in user (kept by the station, so it follows them to any browser and
// into their reports), on the sign-in screens for this browser only. Mantine's direction follows the language, so
// Arabic mirrors the whole layout.
import { NativeSelect, useDirection } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, languages, type Language } from '../i18n/index.ts';
import { useCall, useStation } from '../api/hooks.tsx';

export function LanguageSelect({ onChosen }: { onChosen?: (language: Language) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      size="xs"
      aria-label={t('shell.language')}
      value={i18n.language}
      onChange={(event) => {
        const language = event.currentTarget.value;
        if (!isLanguage(language)) return;
        void i18n.changeLanguage(language);
        onChosen?.(language);
      }}
      data={Object.entries(languages).map(([value, label]) => ({ value, label }))}
      w={110}
    />
  );
}

/** After sign-in: the language the user chose last (on any browser) replaces this browser's. */
export function useUserLanguage(): (language: Language) => void {
  const { i18n } = useTranslation();
  const station = useStation();
  const preferences = useCall('preferences.get', {});
  const chosen = preferences.data?.language;
  useEffect(() => {
    if (chosen && chosen !== i18n.language) void i18n.changeLanguage(chosen);
  }, [chosen, i18n]);
  return (language) =>
    void station.call('preferences.setLanguage', { language }).then(() => preferences.refetch(), station.noteError);
}

/** Keeps Mantine's layout direction on the language's (right to left for Arabic). */
export function DirectionSync() {
  const { i18n } = useTranslation();
  const { setDirection } = useDirection();
  useEffect(() => {
    const apply = (language: string) => setDirection(i18n.dir(language));
    apply(i18n.language);
    i18n.on('languageChanged', apply);
    return () => i18n.off('languageChanged', apply);
  }, [i18n, setDirection]);
  return null;
}
