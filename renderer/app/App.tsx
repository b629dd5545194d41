import { DirectionProvider, MantineProvider, mergeThemeOverrides } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { StationProvider, useAuth } from '../api/hooks.tsx';
import { forgetSession } from '../api/sessionMemory.ts';
import type { Station } from '../api/station.ts';
import { cssVariablesResolver, theme } from '../theme.ts';
import { FirstRunPage } from '../features/auth/FirstRunPage.tsx';
import { PasswordChangeRequiredPage } from '../features/auth/PasswordChangeRequiredPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { LockScreen } from '../features/auth/LockScreen.tsx';
import { ConnectingScreen } from './ConnectingScreen.tsx';
import { DirectionSync } from './LanguageSwitch.tsx';

// The signed-in screens load after sign-in: the first screen (sign-in or first run) needs only a small part of the bundle.
const Shell = lazy(() => import('./Shell.tsx').then((module) => ({ default: module.Shell })));

export function App({ station, queryClient }: { station: Station; queryClient: QueryClient }) {
  const { t } = useTranslation();
  // Close buttons Mantine draws (dialogs, notifications) get a name in the user's language.
  const closeLabel = t('common.close');
  const localTheme = useMemo(
    () =>
      mergeThemeOverrides(theme, {
        components: {
          Modal: { defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } },
          Drawer: { defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } },
          Notification: { defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } },
        },
      }),
    [closeLabel],
  );
  return (
    <DirectionProvider initialDirection={document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr'}>
      {/* Dark by default (imaging work); the choice is kept in localStorage by Mantine's colour-scheme manager. */}
      <DirectionSync />
      <MantineProvider theme={localTheme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="dark">
        <Notifications position="bottom-right" limit={4} />
        <StationProvider station={station} queryClient={queryClient}>
          <Gate queryClient={queryClient} />
        </StationProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}

/** Decides the screen from the sign-in state; nothing signed-in stays cached once the session ends. */
function Gate({ queryClient }: { queryClient: QueryClient }) {
  const auth = useAuth();
  const userId = auth.phase === 'signedIn' || auth.phase === 'locked' ? auth.session.user.id : null;
  useEffect(() => {
    if (userId !== null) return;
    queryClient.clear();
    forgetSession();
  }, [userId, queryClient]);

  switch (auth.phase) {
    case 'checking':
      return <ConnectingScreen />;
    case 'firstRun':
      return <FirstRunPage />;
    case 'signedOut':
      return <SignInPage notice={auth.notice} />;
    case 'locked':
      return <LockScreen session={auth.session} />;
    case 'signedIn':
      if (auth.session.passwordChangeDue) return <PasswordChangeRequiredPage session={auth.session} />;
      return (
        <Suspense fallback={<ConnectingScreen />}>
          <Shell session={auth.session} />
        </Suspense>
      );
  }
}
