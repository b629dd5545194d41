// Every workspace action has a key. One table serves the key handler and the help overlay, so the overlay can
// never list a key that does nothing or miss one that does.

export const workspaceActions = [
  'panLeft',
  'panRight',
  'panUp',
  'panDown',
  'zoomIn',
  'zoomOut',
  'fit',
  'rotateLeft',
  'rotateRight',
  'toggleLock',
  'sideA',
  'sideB',
  'autoAlign',
  'resetAlignment',
  'nextMode',
  'previousMode',
  'splitLeft',
  'splitRight',
  'nextPicture',
  'lightLeft',
  'lightRight',
  'lightUp',
  'lightDown',
  'reliefUp',
  'reliefDown',
  'falseColour',
  'contrast',
  'cells',
  'cellDirection',
  'nextCell',
  'previousCell',
  'toolPan',
  'toolProfile',
  'toolPolygon',
  'toolBrush',
  'addPoint',
  'finishShape',
  'undoPoint',
  'snapshot',
  'help',
] as const;
export type WorkspaceAction = (typeof workspaceActions)[number];

/** Key (KeyboardEvent.key, lower-cased for letters) → action. Shift makes moves larger where that makes sense. */
export const workspaceKeys: ReadonlyArray<{ keys: string[]; action: WorkspaceAction }> = [
  { keys: ['ArrowLeft'], action: 'panLeft' },
  { keys: ['ArrowRight'], action: 'panRight' },
  { keys: ['ArrowUp'], action: 'panUp' },
  { keys: ['ArrowDown'], action: 'panDown' },
  { keys: ['+', '='], action: 'zoomIn' },
  { keys: ['-'], action: 'zoomOut' },
  { keys: ['0'], action: 'fit' },
  { keys: ['q'], action: 'rotateLeft' },
  { keys: ['e'], action: 'rotateRight' },
  { keys: ['l'], action: 'toggleLock' },
  { keys: ['1'], action: 'sideA' },
  { keys: ['2'], action: 'sideB' },
  { keys: ['m'], action: 'autoAlign' },
  { keys: ['Backspace'], action: 'undoPoint' },
  { keys: ['x'], action: 'resetAlignment' },
  { keys: ['v'], action: 'nextMode' },
  { keys: ['V'], action: 'previousMode' },
  { keys: [','], action: 'splitLeft' },
  { keys: ['.'], action: 'splitRight' },
  { keys: ['i'], action: 'nextPicture' },
  { keys: ['a'], action: 'lightLeft' },
  { keys: ['d'], action: 'lightRight' },
  { keys: ['w'], action: 'lightUp' },
  { keys: ['s'], action: 'lightDown' },
  { keys: ['r'], action: 'reliefUp' },
  { keys: ['f'], action: 'reliefDown' },
  { keys: ['c'], action: 'falseColour' },
  { keys: ['k'], action: 'contrast' },
  { keys: ['y'], action: 'cells' },
  { keys: ['u'], action: 'cellDirection' },
  { keys: [']'], action: 'nextCell' },
  { keys: ['['], action: 'previousCell' },
  { keys: ['Escape'], action: 'toolPan' },
  { keys: ['p'], action: 'toolProfile' },
  { keys: ['o'], action: 'toolPolygon' },
  { keys: ['b'], action: 'toolBrush' },
  { keys: [' '], action: 'addPoint' },
  { keys: ['Enter'], action: 'finishShape' },
  { keys: ['t'], action: 'snapshot' },
  { keys: ['?', 'h'], action: 'help' },
];

const byKey = new Map(workspaceKeys.flatMap(({ keys, action }) => keys.map((k) => [k, action] as const)));

/** The action of a key press; letters match either case unless a capital has its own action (V). */
export function actionOf(key: string): WorkspaceAction | undefined {
  return byKey.get(key) ?? byKey.get(key.length === 1 ? key.toLowerCase() : key);
}

/** How a key is written in the help overlay. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = {
    ArrowLeft: '←',
    ArrowRight: '→',
    ArrowUp: '↑',
    ArrowDown: '↓',
    ' ': 'Space',
    Escape: 'Esc',
    Backspace: '⌫',
    V: 'Shift+V',
  };
  return names[key] ?? (key.length === 1 ? key.toUpperCase() : key);
}

/** What the key handler needs to know of the focused element. */
export interface FocusedControl {
  tag: string;
  /** An input's type attribute ('' when absent). */
  type: string;
  role: string | null;
  editable: boolean;
}

/** Keys go to the workspace unless the user is typing or working a control that uses them itself. */
export function keyBelongsTo(control: FocusedControl | null, key: string): boolean {
  if (!control) return false;
  const { tag, role } = control;
  if (control.editable || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  // A switch or tick box only uses Space (radio buttons also arrows); every other input takes typed keys.
  const toggle = tag === 'INPUT' && (control.type === 'checkbox' || control.type === 'radio');
  if (tag === 'INPUT' && !toggle) return true;
  // Sliders, the split handle, tabs and radio groups move with arrows; buttons and switches act on Space/Enter.
  if (
    (role === 'slider' ||
      role === 'separator' ||
      role === 'tab' ||
      role === 'radio' ||
      role === 'option' ||
      control.type === 'radio') &&
    key.startsWith('Arrow')
  )
    return true;
  if (
    (toggle || tag === 'BUTTON' || tag === 'A' || role === 'switch' || role === 'button' || role === 'tab') &&
    (key === ' ' || key === 'Enter')
  )
    return true;
  return false;
}

export function keyBelongsToControl(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return keyBelongsTo(
    {
      tag: target.tagName,
      type: target.getAttribute('type')?.toLowerCase() ?? '',
      role: target.getAttribute('role'),
      editable: target.isContentEditable,
    },
    key,
  );
}
