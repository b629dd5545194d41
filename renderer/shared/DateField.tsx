// A date field. It is the browser's own date field (typing with the keyboard, a calendar to pick from), whose order of
// day, month and year is the browser's, not the language the person chose in Casebench: a French examiner on an
// English browser meets mm/dd/yyyy, where 04/03 reads either way. So the field says beside its box, in the person's
// language, the order this browser takes while it is empty ("mois / jour / année"), and once a date is chosen writes
// it out in that language ("4 mars 2026"), so a day and month swapped by mistake are seen before the record is saved.
import { TextInput, type TextInputProps } from '@mantine/core';
import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import { dateFieldHint } from './dateOrder.ts';

type DateFieldProps = Omit<TextInputProps, 'type' | 'description' | 'inputWrapperOrder'> & {
  /** The field's value (yyyy-mm-dd, or empty), to write out under it. */
  chosen: unknown;
  /**
   * Where the words go: between the label and the box (filter bars, whose boxes line up at the bottom), or under the
   * box (forms, whose rows line up at the top, so the box stays level with its neighbour's).
   */
  hint?: 'above' | 'below';
};

export const DateField = forwardRef<HTMLInputElement, DateFieldProps>(function DateField(
  { chosen, hint = 'above', ...props },
  ref,
) {
  const { t } = useTranslation();
  return (
    <TextInput
      ref={ref}
      type="date"
      {...props}
      description={dateFieldHint(t, chosen, navigator.language)}
      inputWrapperOrder={hint === 'below' ? ['label', 'input', 'description', 'error'] : undefined}
    />
  );
});
