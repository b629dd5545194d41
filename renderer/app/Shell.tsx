import {
  ActionIcon,
  AppShell,
  Badge,
  Group,
  Kbd,
  Menu,
  Modal,
  NavLink,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
  useMantineColorScheme,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../electron/contract/index.ts';
import { useStation } from '../api/hooks.tsx';
import { navEntries } from './nav.ts';
import { href, matchPath, navigate, usePath } from './router.ts';
import { StatusBar } from './StatusBar.tsx';
import { ConnectionNotice } from './ConnectionNotice.tsx';
import { useIdleLock } from '../features/auth/useIdleLock.ts';
import { ChangePasswordModal } from '../features/auth/ChangePasswordModal.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { LanguageSelect, useUserLanguage } from './LanguageSwitch.tsx';
import { sectionShortcut, useSectionKeys } from './sectionKeys.ts';
import { UserText } from '../shared/UserText.tsx';

export function Shell({ session }: { session: Session }) {
  const { t } = useTranslation();
  const station = useStation();
  const path = usePath();
  const route = path.split('?')[0]!;
  const { colorScheme, toggleColorScheme } = useMantineColorScheme();
  const [helpOpen, help] = useDisclosure(false);
  const [passwordOpen, password] = useDisclosure(false);
  useIdleLock(session.idleLockMinutes);
  const keepLanguage = useUserLanguage();

  const visible = navEntries.filter((entry) => session.permissions.includes(entry.permission));
  const shortcutOf = (entry: (typeof navEntries)[number]) => sectionShortcut(visible.indexOf(entry));
  useHotkeys([
    ['shift+?', help.open],
    ['mod+shift+L', () => void station.lock()],
  ]);
  const sectionList = visible.map((e) => e.path).join(' ');
  const sectionPaths = useMemo(() => sectionList.split(' '), [sectionList]);
  useSectionKeys(sectionPaths, navigate);

  let page: React.ReactNode = <NotFoundPage />;
  for (const entry of navEntries) {
    for (const route of entry.routes) {
      const params = matchPath(route.pattern, path);
      if (!params) continue;
      const Component = route.component;
      page = visible.includes(entry) ? <Component params={params} /> : <Text role="alert">{t('app.notAllowed')}</Text>;
    }
  }

  return (
    <AppShell header={{ height: 40 }} navbar={{ width: 180, breakpoint: 0 }} footer={{ height: 28 }} padding="sm">
      <AppShell.Header>
        {/* The first thing the keyboard reaches: past the header and the navigation, straight to the screen. */}
        <a
          className="cb-skip-link"
          href={href(path)}
          onClick={(event) => {
            event.preventDefault();
            document.getElementById('cb-main')?.focus();
          }}
        >
          {t('shell.skipToContent')}
        </a>
        <Group h="100%" px="sm" justify="space-between">
          <Group gap="xs">
            <Text fw={700} size="lg">
              {t('app.name')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="xs">
            <LanguageSelect onChosen={keepLanguage} />
            <Tooltip label={t('shell.shortcuts')}>
              <ActionIcon variant="subtle" onClick={help.open} aria-label={t('shell.shortcuts')}>
                ?
              </ActionIcon>
            </Tooltip>
            <Tooltip label={colorScheme === 'dark' ? t('shell.lightTheme') : t('shell.darkTheme')}>
              <ActionIcon
                variant="subtle"
                onClick={toggleColorScheme}
                aria-label={colorScheme === 'dark' ? t('shell.lightTheme') : t('shell.darkTheme')}
              >
                {colorScheme === 'dark' ? '☀' : '☾'}
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton data-testid="user-menu">
                  <Group gap={6}>
                    <VisuallyHidden>{t('shell.userMenu')}</VisuallyHidden>
                    <Text size="sm">
                      <UserText text={session.user.displayName} />
                    </Text>
                    <Badge size="xs" variant="light">
                      {t(`roles.${session.user.role}`)}
                    </Badge>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => void station.lock()} rightSection={<Kbd size="xs">Ctrl+Shift+L</Kbd>}>
                  {t('shell.lock')}
                </Menu.Item>
                <Menu.Item onClick={password.open}>{t('password.title')}</Menu.Item>
                <Menu.Item onClick={() => void station.signOut().finally(() => navigate('/cases'))}>
                  {t('shell.signOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={4} aria-label={t('shell.navigation')}>
        <Stack gap={2}>
          {visible.map((entry) => (
            <NavLink
              key={entry.id}
              href={href(entry.path)}
              label={t(entry.labelKey)}
              active={route === entry.path || route.startsWith(`${entry.path}/`)}
              rightSection={shortcutOf(entry) ? <Kbd size="xs">{shortcutOf(entry)}</Kbd> : undefined}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="cb-main" tabIndex={-1}>
        <ConnectionNotice />
        {page}
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar session={session} />
      </AppShell.Footer>
      <ChangePasswordModal opened={passwordOpen} onClose={password.close} />
      <Modal opened={helpOpen} onClose={help.close} title={t('shell.shortcuts')} size="sm">
        <Text size="sm" mb="xs">
          {t('shortcuts.sectionsHint')}
        </Text>
        <Table fz="sm">
          <Table.Tbody>
            {(
              [
                ['/', 'shortcuts.search'],
                ['n', 'shortcuts.newCase'],
                ['i', 'shortcuts.newItem'],
                ['Esc', 'shortcuts.close'],
                ['Ctrl+Shift+L', 'shortcuts.lock'],
                ['?', 'shortcuts.help'],
                ...visible.flatMap((e) => (shortcutOf(e) ? [[shortcutOf(e)!, e.labelKey]] : [])),
              ] as Array<[string, string]>
            ).map(([keys, label]) => (
              <Table.Tr key={keys}>
                <Table.Td>
                  <Kbd size="xs">{keys}</Kbd>
                </Table.Td>
                <Table.Td>{t(label)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Modal>
    </AppShell>
  );
}
