// The one shape of a log function, so every layer can report through the host's log (its destination is the
// host's choice: JSON lines on stderr for `casebench serve`, nothing in tests).
export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;
