// What `casebench calibrate` and `casebench capture` share: the station user they act as and contract errors as
// exit codes (their progress lines: ../progressText.ts).
import { isAppError } from '../../contract/errors.ts';
import { roleAllows, type Permission, type Role } from '../../contract/auth.ts';
import { UsersRepo } from '../../host/storage/repos/usersRepo.ts';
import type { Host } from '../../host/createHost.ts';
import { ExitCode, UsageError } from '../command.ts';

export const operatorHelp = `  --operator NAME   the station user this is done as (recorded as operator and in the audit trail);
                    must hold the permission; default the only enabled user allowed to, if there is one`;

/** The station user the command acts as: named, or the only enabled user holding the permission. */
export function operatorFor(
  host: Host,
  name: string | undefined,
  permission: Permission,
): { userId: number; username: string } {
  const everyone = new UsersRepo(host.db).list();
  // A fresh station: nobody could answer for the work in its audit trail yet.
  if (everyone.length === 0)
    throw new UsageError(
      `this station has no users yet, and its audit trail names who did what: set it up first (casebench serve --data-dir ${host.config.dataDir}, then create the administrator in the browser), then run this again`,
    );
  const users = everyone.filter((u) => !u.disabled && roleAllows(u.role as Role, permission));
  if (name !== undefined) {
    const user = users.find((u) => u.username === name);
    if (!user)
      throw new UsageError(`"${name}" is not an enabled station user allowed to ${permission.replace('.', ' ')}`);
    return { userId: user.id, username: user.username };
  }
  if (users.length === 1) return { userId: users[0].id, username: users[0].username };
  throw new UsageError(
    users.length === 0
      ? `no station user may ${permission.replace('.', ' ')}; create one first`
      : `several users may ${permission.replace('.', ' ')}; name one with --operator`,
  );
}

/** Contract errors → exit codes: bad input 3, refused (blocked, canceled) 1, device/storage 4. */
export function acquisitionCliError(error: unknown): Error {
  if (!isAppError(error)) return error as Error;
  const exitCode =
    error.code === 'invalid_input' || error.code === 'not_found'
      ? ExitCode.badInput
      : error.code === 'conflict' || error.code === 'canceled'
        ? ExitCode.failed
        : ExitCode.runtime;
  return Object.assign(new Error(error.message), { exitCode });
}
