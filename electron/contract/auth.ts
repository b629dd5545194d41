import { z } from 'zod';
import { defineCall, defineEvent } from './rpc.ts';

export const roles = ['technician', 'examiner', 'manager', 'admin'] as const;
export type Role = (typeof roles)[number];

// Permissions are checked in the host for every call; the UI only uses them to hide what would be refused.
export const permissions = [
  'case.read',
  'case.write', // create and amend cases and items
  'case.close', // close or reopen a case
  'rig.operate',
  'acquisition.write',
  'comparison.run',
  'conclusion.write',
  'examination.manage', // verification policy, verifier and arbiter assignment, test sets
  'export.create',
  'package.import', // verify and import case packages from other stations
  'outbox.manage',
  'calibration.manage',
  'audit.read',
  'audit.verify',
  'user.manage',
] as const;
export type Permission = (typeof permissions)[number];

const technician: Permission[] = ['case.read', 'case.write', 'rig.operate', 'acquisition.write'];
const examiner: Permission[] = ['case.read', 'case.write', 'comparison.run', 'conclusion.write'];
const manager: Permission[] = [
  ...new Set<Permission>([
    ...technician,
    ...examiner,
    'case.close',
    'examination.manage',
    'export.create',
    'package.import',
    'outbox.manage',
    'calibration.manage',
    'audit.read',
    'audit.verify',
  ]),
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  technician,
  examiner,
  manager,
  admin: permissions,
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'at least 3 characters')
  .max(40, 'at most 40 characters')
  .regex(/^[a-z0-9._-]+$/, 'lower-case letters, digits, dot, dash and underscore only');
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200, 'at most 200 characters');

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const sessionSchema = z.object({
  token: z.string(),
  user: userSchema,
  permissions: z.array(z.enum(permissions)),
  idleLockMinutes: z.number(),
  /** The password was given by an administrator: every call but auth.changePassword is refused until it changes. */
  passwordChangeDue: z.boolean(),
});
export type Session = z.infer<typeof sessionSchema>;

const newUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  password: passwordSchema,
});

export const authCalls = {
  'auth.status': defineCall({
    permission: 'public',
    input: z.object({}),
    output: z.object({ firstRun: z.boolean(), session: sessionSchema.nullable(), locked: z.boolean() }),
  }),
  'auth.setupAdmin': defineCall({ permission: 'public', input: newUserSchema, output: sessionSchema }),
  'auth.signIn': defineCall({
    permission: 'public',
    input: z.object({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) }),
    output: sessionSchema,
  }),
  /** Re-attaches a session token (after a page reload) to this connection. */
  'auth.resume': defineCall({
    permission: 'public',
    input: z.object({ token: z.string().min(1).max(200) }),
    output: sessionSchema,
  }),
  'auth.unlock': defineCall({
    permission: 'public',
    input: z.object({ password: z.string().min(1).max(200) }),
    output: sessionSchema,
  }),
  'auth.lock': defineCall({ permission: 'signedIn', input: z.object({}), output: z.object({}) }),
  'auth.signOut': defineCall({ permission: 'public', input: z.object({}), output: z.object({}) }),
  'auth.changePassword': defineCall({
    permission: 'signedIn',
    input: z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema }),
    output: z.object({}),
  }),
  'users.list': defineCall({ permission: 'user.manage', input: z.object({}), output: z.array(userSchema) }),
  'users.create': defineCall({
    permission: 'user.manage',
    // An administrator's password is known to two people: by default its holder must change it at first sign-in.
    input: newUserSchema.extend({ role: z.enum(roles), passwordChangeDue: z.boolean().default(true) }),
    output: userSchema,
  }),
  'users.update': defineCall({
    permission: 'user.manage',
    input: z.object({
      id: z.number().int(),
      role: z.enum(roles).optional(),
      disabled: z.boolean().optional(),
      displayName: z.string().trim().min(1).max(100).optional(),
    }),
    output: userSchema,
  }),
  'users.resetPassword': defineCall({
    permission: 'user.manage',
    input: z.object({ id: z.number().int(), password: passwordSchema, passwordChangeDue: z.boolean().default(true) }),
    output: z.object({}),
  }),
};

export const authEvents = {
  /** The connection's session changed (locked after idle, signed out elsewhere). */
  'auth.onSessionChanged': defineEvent({
    permission: 'public',
    filter: z.object({}),
    payload: z.object({ locked: z.boolean(), signedIn: z.boolean() }),
  }),
};
