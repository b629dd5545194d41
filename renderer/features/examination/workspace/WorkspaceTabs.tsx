// The panel beside the field: the analysis (CMC cells and scores), the line profiles, the likelihood ratio, and the
// tabs the hosting page adds (annotations, snapshots, conclusion…).
import { Tabs, Text } from '@mantine/core';
import { useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { CellsPanel, type CellsView } from './CellsPanel.tsx';
import { LrPanel } from './LrPanel.tsx';
import { ProfilePlot } from './ProfilePlot.tsx';
import type { lineProfiles } from './profile.ts';
import type { WorkspaceAnalysis, WorkspaceProps } from './workspaceTypes.ts';

export function WorkspaceTabs({
  result,
  analysisStatus,
  cellsView,
  setCellsView,
  names,
  profiles,
  surfaces,
  threeDOff,
  tabs,
  defaultTab,
}: {
  result: WorkspaceAnalysis | null;
  analysisStatus: ReactNode;
  cellsView: CellsView;
  setCellsView: Dispatch<SetStateAction<CellsView>>;
  names: [string, string];
  profiles: ReturnType<typeof lineProfiles> | null;
  surfaces: boolean;
  threeDOff: string | null;
  tabs: WorkspaceProps['tabs'];
  defaultTab: string | undefined;
}) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>(null);
  return (
    <Tabs value={tab ?? defaultTab ?? 'view'} onChange={setTab} keepMounted={false} data-testid="workspace-panel">
      <Tabs.List>
        <Tabs.Tab value="view">{t('exam.tab.analysis')}</Tabs.Tab>
        <Tabs.Tab value="profile">{t('exam.tab.profile')}</Tabs.Tab>
        {result ? <Tabs.Tab value="lr">{t('exam.tab.lr')}</Tabs.Tab> : null}
        {(tabs ?? []).map((x) => (
          <Tabs.Tab value={x.value} key={x.value}>
            {x.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="view" pt="xs">
        {result ? (
          <CellsPanel
            result={result}
            view={cellsView}
            onChange={(v) => setCellsView((c) => ({ ...c, ...v }))}
            names={names}
          />
        ) : (
          analysisStatus
        )}
      </Tabs.Panel>
      {result ? (
        <Tabs.Panel value="lr" pt="xs">
          <LrPanel lr={result.lr} />
        </Tabs.Panel>
      ) : null}
      <Tabs.Panel value="profile" pt="xs">
        {profiles ? (
          <ProfilePlot profiles={profiles} names={names} />
        ) : (
          <Text size="sm" c="dimmed">
            {surfaces ? t('exam.profile.none') : threeDOff}
          </Text>
        )}
      </Tabs.Panel>
      {(tabs ?? []).map((x) => (
        <Tabs.Panel value={x.value} key={x.value} pt="xs">
          {x.content}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
