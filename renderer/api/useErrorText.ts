import { useTranslation } from 'react-i18next';
import { errorText, validationText } from './errors.ts';

export function useErrorText() {
  const { t } = useTranslation();
  return {
    errorText: (error: unknown) => errorText(t, error),
    fieldText: (error: { message?: string } | undefined) => validationText(t, error?.message),
  };
}
