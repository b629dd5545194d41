// A manager exports a case package from the case page: the whole case or chosen exhibits, why (required, kept in
// the manifest and the audit trail), whether personal data goes with it, the report's language and the file's
// name in the station's exports folder. The export shows its steps and can be cancelled (nothing is left behind);
// once written, the file can be downloaded (browser) or saved elsewhere and shown in its folder (desktop app).
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Progress,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  chosenFileNameProblem,
  isAppError,
  reportLanguages,
  type Case,
  type Item,
} from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { useLongCall } from '../../api/useLongCall.ts';
import { ExportedFile } from './ExportedFile.tsx';
import { suggestedPackageName } from './transfer.ts';
import { packageStepText } from './stepText.ts';

type ReportLanguage = (typeof reportLanguages)[number];

export function ExportPackageModal({
  opened,
  onClose,
  theCase,
  items,
}: {
  opened: boolean;
  onClose: () => void;
  theCase: Case;
  items: Item[];
}) {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const exportCall = useLongCall('packages.export');
  const folder = useCall('packages.exports', { caseId: theCase.id, limit: 1 }, { enabled: opened });
  const [scope, setScope] = useState<'whole' | 'some'>('whole');
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [personalData, setPersonalData] = useState(false);
  const uiLanguage = (reportLanguages as readonly string[]).includes(i18n.language) ? i18n.language : 'en';
  const [language, setLanguage] = useState<ReportLanguage>(uiLanguage as ReportLanguage);
  const [fileName, setFileName] = useState('');
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    if (!opened) return;
    exportCall.reset();
    setScope('whole');
    setChosen([]);
    setReason('');
    setPersonalData(false);
    setFileName(suggestedPackageName(theCase.labCaseNumber, new Date()));
    setTouched(false);
    // Opening the dialog starts a new export; the call's own state is reset with it.
  }, [opened, theCase.labCaseNumber, exportCall.reset]);

  const state = exportCall.state;
  const running = state.phase === 'running';
  const reasonError = touched && !reason.trim() ? t('packages.export.reasonRequired') : null;
  const itemsError = touched && scope === 'some' && chosen.length === 0 ? t('packages.export.itemsRequired') : null;
  const nameProblem = chosenFileNameProblem(fileName.trim());
  const conflict = state.phase === 'failed' && isAppError(state.error, 'conflict');
  const nameError = touched && nameProblem ? t('packages.export.badName', { problem: nameProblem }) : null;

  const submit = () => {
    setTouched(true);
    if (!reason.trim() || (scope === 'some' && chosen.length === 0) || nameProblem) return;
    void exportCall
      .run({
        caseId: theCase.id,
        items: scope === 'some' ? chosen : undefined,
        reason: reason.trim(),
        includePersonalData: personalData,
        fileName: fileName.trim(),
        language,
      })
      .then((output) => {
        if (output) void queryClient.invalidateQueries({ queryKey: ['packages.exports'] });
        if (output) void queryClient.invalidateQueries({ queryKey: ['audit.forCase'] });
      });
  };

  const title = t('packages.export.title', { caseNumber: theCase.labCaseNumber });
  return (
    <Modal
      opened={opened}
      onClose={running ? () => {} : onClose}
      title={title}
      size="lg"
      closeOnEscape={!running}
      closeOnClickOutside={!running}
      withCloseButton={!running}
      closeButtonProps={{ 'aria-label': t('packages.close') }}
    >
      {state.phase === 'done' ? (
        <Stack gap="sm" data-testid="export-result">
          <Alert color="green" title={t('packages.export.done')}>
            {t('packages.export.doneDetail', {
              members: state.output.members,
              acquisitions: state.output.acquisitions,
              items: state.output.items.join(', '),
            })}
          </Alert>
          <ExportedFile
            fileName={state.output.fileName}
            size={state.output.size}
            sha256={state.output.packageSha256}
            folder={folder.data?.folder ?? null}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('packages.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          aria-label={title}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="sm">
            <Radio.Group
              label={t('packages.export.scope')}
              value={scope}
              onChange={(v) => setScope(v as 'whole' | 'some')}
            >
              <Group gap="lg" mt={4}>
                <Radio
                  value="whole"
                  label={t('packages.export.wholeCase', { count: items.length })}
                  disabled={running}
                />
                <Radio value="some" label={t('packages.export.someItems')} disabled={running} />
              </Group>
            </Radio.Group>
            {scope === 'some' ? (
              <Checkbox.Group
                label={t('packages.export.items')}
                value={chosen}
                onChange={setChosen}
                error={itemsError}
                data-testid="export-items"
              >
                <SimpleGrid cols={{ base: 2, sm: 3 }} mt={4} spacing={4}>
                  {items.map((i) => (
                    <Checkbox
                      key={i.id}
                      value={i.exhibitNumber}
                      disabled={running}
                      label={`${i.exhibitNumber} · ${t(`itemKind.${i.kind}`)}`}
                    />
                  ))}
                </SimpleGrid>
              </Checkbox.Group>
            ) : null}
            <Textarea
              label={t('packages.export.reason')}
              description={t('packages.export.reasonHint')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={reasonError}
              required
              autosize
              minRows={2}
              maxLength={500}
              disabled={running}
              data-autofocus
            />
            <Checkbox
              label={t('packages.export.personalData')}
              description={t('packages.export.personalDataHint')}
              checked={personalData}
              onChange={(e) => setPersonalData(e.currentTarget.checked)}
              disabled={running}
            />
            <Group grow align="start">
              <Select
                label={t('packages.export.language')}
                data={reportLanguages.map((l) => ({ value: l, label: t(`packages.languages.${l}`) }))}
                value={language}
                onChange={(v) => v && setLanguage(v as ReportLanguage)}
                allowDeselect={false}
                disabled={running}
              />
              <TextInput
                label={t('packages.export.fileName')}
                description={
                  folder.data ? t('packages.export.fileNameHint', { folder: folder.data.folder }) : undefined
                }
                value={fileName}
                onChange={(e) => setFileName(e.currentTarget.value)}
                error={nameError ?? (conflict ? t('packages.export.nameTaken') : null)}
                disabled={running}
                className="cb-mono"
              />
            </Group>
            {state.phase === 'running' ? (
              <Stack gap={4} data-testid="export-progress">
                <Progress
                  value={Math.round(state.fraction * 100)}
                  animated
                  aria-label={t('packages.export.progress')}
                />
                <Text size="sm" c="dimmed" aria-live="polite">
                  {state.canceling ? t('packages.export.canceling') : packageStepText(t, state.detail)}
                </Text>
              </Stack>
            ) : null}
            {state.phase === 'canceled' ? (
              <Alert color="yellow" role="status">
                {t('packages.export.canceled')}
              </Alert>
            ) : null}
            {state.phase === 'failed' && !conflict ? (
              <Alert color="red" role="alert" data-testid="export-error">
                {errorText(state.error)}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              {running ? (
                <Button variant="default" color="red" onClick={exportCall.cancel} disabled={state.canceling}>
                  {t('packages.export.cancel')}
                </Button>
              ) : (
                <Button variant="default" onClick={onClose}>
                  {t('common.cancel')}
                </Button>
              )}
              <Button type="submit" loading={running}>
                {t('packages.export.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
