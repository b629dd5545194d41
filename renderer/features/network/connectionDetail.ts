// The connection test's and the credentials' findings worded in the station's language. Text from outside the
// station (the system's or TLS's error, the hub's refusal) is quoted as it came: no one here can translate it.
import type { TFunction } from 'i18next';
import type { ConnectionDetail, CredentialProblem } from '../../../electron/contract/networkSetup.ts';
import { isAppError } from '../../../electron/contract/index.ts';

export function credentialProblemText(t: TFunction, problem: CredentialProblem): string {
  return t(`networkSetup.problem.${problem}`);
}

export function connectionDetailText(t: TFunction, detail: ConnectionDetail): string {
  switch (detail.kind) {
    case 'hub_url':
      return t('networkSetup.detail.hubUrl', { url: detail.url });
    case 'no_hub':
      return t('networkSetup.detail.noHub');
    case 'credentials':
      return t('networkSetup.detail.credentials', { problem: credentialProblemText(t, detail.problem) });
    case 'unreachable':
      return t('networkSetup.detail.unreachable', {
        reason: t(`networkSetup.unreachable.${detail.reason}`),
        said: detail.said,
      });
    case 'tls':
      return t('networkSetup.detail.tls', { host: detail.host });
    case 'hub_issued':
      return t('networkSetup.detail.hubIssued', { hub: detail.hubId });
    case 'clock_offset':
      return t('networkSetup.detail.clockOffset', { seconds: detail.seconds });
    case 'versions':
      return t('networkSetup.detail.versions', {
        hub: detail.hub ?? t('networkSetup.detail.unknownVersion'),
        station: detail.station,
      });
    case 'accepted':
      return t('networkSetup.detail.accepted');
    case 'refused':
      return detail.code
        ? t('networkSetup.detail.refusedCode', { code: detail.code, said: detail.said })
        : t('networkSetup.detail.refused', { said: detail.said });
  }
}

/** A refused install or import worded by its credentials problem when the host named one. */
export function installErrorText(t: TFunction, error: unknown, fallback: (error: unknown) => string): string {
  const problem = isAppError(error)
    ? (error.details as { problem?: CredentialProblem } | undefined)?.problem
    : undefined;
  return problem ? credentialProblemText(t, problem) : fallback(error);
}
