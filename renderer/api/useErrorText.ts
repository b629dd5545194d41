import { useTranslation } from 'react-i18next';
import { errorText, validationText } from './errors.ts';

export function useErrorText() {
  const { t } = useTranslation();
  return {
    errorText: (error: unknown) => errorText(t, error),
    // Field errors the host sent (type 'server') already carry its specific sentence; the form's own go through the patterns.
    fieldText: (error: { message?: string; type?: string } | undefined) =>
      error?.type === 'server' ? error.message : validationText(t, error?.message),
  };
}
