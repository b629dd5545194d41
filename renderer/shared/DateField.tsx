// A date field. It is the browser's own date field (typing with the keyboard, a calendar to pick from), whose order of
// day, month and year is the browser's, not the language the person chose in Casebench: a French examiner on an
// English browser meets mm/dd/yyyy, where 04/03 reads either way. So the field says under its label, in the person's
// language, the order this browser takes while it is empty ("mois / jour / année"), and once a date is chosen writes
// it out in that language ("4 mars 2026"), so a day and month swapped by mistake are seen before the record is saved.
import { TextInput, type TextInputProps } from '@mantine/core';
import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import { dateFieldHint } from './dateOrder.ts';

type DateFieldProps = Omit<TextInputProps, 'type' | 'description'> & {
  /** The field's value (yyyy-mm-dd, or empty), to write out under it. */
  chosen: unknown;
};

export const DateField = forwardRef<HTMLInputElement, DateFieldProps>(function DateField({ chosen, ...props }, ref) {
  const { t } = useTranslation();
  return <TextInput ref={ref} type="date" {...props} description={dateFieldHint(t, chosen, navigator.language)} />;
});
