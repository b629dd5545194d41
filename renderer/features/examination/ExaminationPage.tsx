// A comparison taken to a documented conclusion: the workspace with the examination around it — annotations,
// snapshots, the conclusion form and records, verification and the hit. /compare/:a/:b opens (or finds) the
// comparison of two acquisitions; /examinations/:id shows one by its id (worklist, links, reload).
// What this user may see and do (blind verification, testing mode) is decided by the host; the page follows
// the workspace's `access` and never asks for what it withholds.
import { Alert, Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  comparisonOrigins,
  type AnnotationLayer,
  type AnnotationView,
  type ConclusionView,
  type StoredAnalysis,
  type ViewState,
  type Workspace as WorkspaceData,
} from '../../../electron/contract/index.ts';
import { callKey, useCall, useSession, useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { href } from '../../app/router.ts';
import { NotFoundPage, PageError } from '../../app/NotFoundPage.tsx';
import { AnnotationDialog, type AnnotationEdit } from './annotations/AnnotationDialog.tsx';
import { AnnotationsPanel } from './annotations/AnnotationsPanel.tsx';
import { ConclusionForm } from './conclusion/ConclusionForm.tsx';
import { ConclusionRecords } from './conclusion/ConclusionRecords.tsx';
import { HitPanel } from './conclusion/HitPanel.tsx';
import { VerificationPanel } from './conclusion/VerificationPanel.tsx';
import { sourceOfSide, type SideSource } from '../../shared/field/layers/sideSource.ts';
import { SnapshotsPanel } from './SnapshotsPanel.tsx';
import { useExamination } from './useExamination.ts';
import { withTestLabels } from './testLabels.ts';
import { Workspace } from './workspace/Workspace.tsx';
import type { ShownAnnotation, Snapshot } from './workspace/workspaceTypes.ts';

type Origin = (typeof comparisonOrigins)[number];

function originFromAddress(): Origin {
  const from = new URLSearchParams(location.hash.split('?')[1] ?? '').get('from');
  return comparisonOrigins.includes(from as Origin) ? (from as Origin) : 'manual';
}

/** /compare/:a/:b — opens the comparison of two acquisitions (the existing one when the pair was compared before). */
export function OpenComparisonPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const a = Number(params.a);
  const b = Number(params.b);
  // The router hands over record ids only; the same one twice names no comparison.
  const valid = a !== b;
  const [origin] = useState(originFromAddress);
  const opened = useCall('examinations.open', { a, b, origin }, { enabled: valid });
  const data = opened.data;
  useEffect(() => {
    if (data) queryClient.setQueryData(callKey('examinations.get', { comparisonId: data.comparison.id }), data);
  }, [data, queryClient]);
  if (!valid) return <NotFoundPage reason={t('compare.sameAcquisition')} />;
  if (opened.error) return <PageError error={opened.error} missing={t('compare.missing')} />;
  if (!data)
    return (
      <Text role="status" aria-live="polite">
        {t('common.loading')}
      </Text>
    );
  return <ExaminationView comparisonId={data.comparison.id} />;
}

/** /examinations/:id */
export function ExaminationPage({ params }: { params: Record<string, string> }) {
  return <ExaminationView comparisonId={Number(params.id)} />;
}

function ExaminationView({ comparisonId }: { comparisonId: number }) {
  const { t } = useTranslation();
  const { query, replace, refresh } = useExamination(comparisonId);
  const workspace = useMemo(() => query.data && withTestLabels(t, query.data), [query.data, t]);
  if (query.error && !query.data) return <PageError error={query.error} missing={t('exam.missing')} />;
  if (!workspace)
    return (
      <Text role="status" aria-live="polite">
        {t('common.loading')}
      </Text>
    );
  return <Examination key={comparisonId} workspace={workspace} replace={replace} refresh={refresh} />;
}

function Examination({
  workspace,
  replace,
  refresh,
}: {
  workspace: WorkspaceData;
  replace: (w: WorkspaceData) => void;
  refresh: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const session = useSession();
  const userId = session?.user.id ?? 0;
  const id = workspace.comparison.id;
  const { access } = workspace;

  // Sides change identity on every refetch; the pictures only when the files do.
  const sideKey = `${workspace.a.acquisitionId}:${workspace.a.topography?.sha256}|${workspace.b.acquisitionId}:${workspace.b.topography?.sha256}|${workspace.a.label}|${workspace.b.label}`;
  const sources = useMemo(
    (): [SideSource, SideSource] => [sourceOfSide(workspace.a), sourceOfSide(workspace.b)],
    [sideKey],
  );

  // The analysis: the one recorded on the comparison, or run once the pictures are drawn.
  const [analysis, setAnalysis] = useState<StoredAnalysis | null>(workspace.analysis);
  const [analysisError, setAnalysisError] = useState<unknown>(null);
  const analyzing = useRef(false);
  useEffect(() => {
    if (workspace.analysis) setAnalysis(workspace.analysis);
  }, [workspace.analysis]);
  const onReady = useCallback(() => {
    if (analysis || analyzing.current || !workspace.tools3d.available) return;
    analyzing.current = true;
    station.call('examinations.analyze', { comparisonId: id }).then(
      (answer) => setAnalysis(answer.analysis),
      (error: unknown) => setAnalysisError(error),
    );
  }, [analysis, workspace.tools3d.available, station, id]);

  const [layer, setLayer] = useState<AnnotationLayer>('similar');
  const [edit, setEdit] = useState<AnnotationEdit | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [restore, setRestore] = useState<{ view: ViewState; nonce: number } | null>(null);
  const [amending, setAmending] = useState<ConclusionView | null>(null);
  const [tab, setTab] = useState<string | undefined>(undefined);

  const shown: ShownAnnotation[] = workspace.annotations
    .filter((a) => !a.withdrawn)
    .map((a) => ({
      key: `annotation-${a.id}`,
      side: a.side === 'a' ? 0 : 1,
      layer: a.layer,
      shape: a.shape,
      highlighted: a.id === selected,
    }));

  const onSnapshot = useCallback(
    async (snapshot: Snapshot) => {
      try {
        const stored = await station.call('snapshots.create', {
          comparisonId: id,
          png: snapshot.png,
          caption: snapshot.caption,
          view: snapshot.view,
        });
        notifications.show({ message: t('exam.snapshot.stored', { id: stored.id }), color: 'green' });
        refresh();
      } catch (error) {
        notifications.show({ message: errorText(error), color: 'red' });
      }
    },
    [station, id, refresh, t, errorText],
  );

  const analysisStatus = analysisError ? (
    <Text size="sm" c="red" role="alert">
      {errorText(analysisError)}
    </Text>
  ) : !workspace.tools3d.available ? (
    <Text size="sm" c="dimmed">
      {t('exam.notice.twoD', { name: (workspace.a.topography ? workspace.b : workspace.a).label })}
    </Text>
  ) : (
    <Text size="sm" role="status" aria-live="polite">
      {t('compare.running')}
    </Text>
  );

  const c = workspace.comparison;
  const header = (
    <Stack gap={4}>
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Anchor href={href('/examinations')} size="sm">
            {t('exam.worklist.title')}
          </Anchor>
          <Text c="dimmed">/</Text>
          <Title order={1} size="h4">
            {t('exam.title', { a: workspace.a.label, b: workspace.b.label })}
          </Title>
          <Badge variant="light" data-testid="comparison-state" data-state={c.state}>
            {t(`exam.state.${c.state}`)}
          </Badge>
          {c.conclusion ? (
            <Badge variant="outline" data-testid="comparison-conclusion">
              {t(`exam.afte.${c.conclusion}`)}
            </Badge>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed">
          {t('exam.access', { role: t(`exam.accessRole.${access.role}`) })}
        </Text>
      </Group>
      {access.blind ? (
        <Alert color="grape" data-testid="blind-banner">
          {t('exam.blindBanner')}
        </Alert>
      ) : null}
      {workspace.test ? (
        <Alert color="cyan" data-testid="test-banner">
          {t('exam.testBanner', {
            name: workspace.test.name,
            position: workspace.test.position,
            of: workspace.test.of,
          })}
        </Alert>
      ) : null}
    </Stack>
  );

  const conclusionTab = (
    <Stack gap="md">
      <ConclusionRecords
        conclusions={workspace.conclusions}
        userId={userId}
        onAmend={access.canAnnotate ? setAmending : undefined}
      />
      {amending ? (
        <ConclusionForm
          workspace={workspace}
          analysisId={analysis?.id ?? null}
          amends={amending}
          onSaved={(w) => {
            setAmending(null);
            replace(w);
          }}
          onCancel={() => setAmending(null)}
        />
      ) : access.canConclude ? (
        <ConclusionForm workspace={workspace} analysisId={analysis?.id ?? null} onSaved={replace} />
      ) : access.cannotConclude ? (
        <Text size="sm" c="dimmed" data-testid="cannot-conclude">
          {t(`exam.cannotConclude.${access.cannotConclude.code}`, { who: access.cannotConclude.who ?? '' })}
        </Text>
      ) : null}
      {workspace.test ? null : <VerificationPanel workspace={workspace} onChanged={refresh} />}
      <HitPanel workspace={workspace} onChanged={refresh} />
    </Stack>
  );

  return (
    <>
      <Workspace
        sources={sources}
        analysis={analysis}
        analysisStatus={analysisStatus}
        onReady={onReady}
        annotations={shown}
        draftLayer={layer}
        onShape={access.canAnnotate ? (shape) => setEdit({ mode: 'create', shape }) : undefined}
        onSnapshot={access.canAnnotate ? onSnapshot : undefined}
        restore={restore}
        header={header}
        defaultTab={tab}
        tabs={[
          {
            value: 'annotations',
            label: t('exam.tab.annotations', { count: workspace.annotations.filter((a) => !a.withdrawn).length }),
            content: (
              <AnnotationsPanel
                annotations={workspace.annotations}
                names={[workspace.a.label, workspace.b.label]}
                selected={selected}
                userId={userId}
                canAnnotate={access.canAnnotate}
                onSelect={(a: AnnotationView) => {
                  setSelected(a.id);
                  if (a.view) setRestore({ view: a.view, nonce: Date.now() });
                }}
                onAmend={(a) => setEdit({ mode: 'amend', annotation: a })}
                onWithdraw={(a) => setEdit({ mode: 'withdraw', annotation: a })}
              />
            ),
          },
          {
            value: 'snapshots',
            label: t('exam.tab.snapshots', { count: workspace.snapshots.length }),
            content: (
              <SnapshotsPanel
                snapshots={workspace.snapshots}
                onRestore={(s) => setRestore({ view: s.view, nonce: Date.now() })}
              />
            ),
          },
          { value: 'conclusion', label: t('exam.tab.conclusion'), content: conclusionTab },
        ]}
      />
      <AnnotationDialog
        comparisonId={id}
        edit={edit}
        defaultLayer={layer}
        onClose={(saved) => {
          setEdit(null);
          if (saved) {
            setLayer(saved.layer);
            setSelected(saved.id);
            setTab('annotations');
            refresh();
          }
        }}
      />
    </>
  );
}
